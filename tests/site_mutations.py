"""Mistakes in the example course's mkdocs.yml, each with the check rule that must report it.

Each mutation is (name, edit, rule, marker): ``edit`` turns the example mkdocs.yml text into the broken one,
``rule`` is the problem `check` must report and ``marker`` a piece of the line it must point at. Every one of
them failed `patientvoice build` (or published something wrong) while `check` was clean, before check read
mkdocs.yml; tests/test_site_config.py asserts each is now a check problem, and that check-clean ⇒ build-ok.
"""

from __future__ import annotations


def _sub(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, f"the example mkdocs.yml no longer holds {old!r}"
        return text.replace(old, new, 1)
    return edit


def _append(extra: str):
    return lambda text: text.rstrip("\n") + "\n" + extra


PLUGIN = "  - patientvoice:\n      submit_url: \"\"\n      paper: A4\n"

MUTATIONS = [
    ("directory-urls-off", _sub("use_directory_urls: true", "use_directory_urls: false"),
     "site.config", "use_directory_urls"),
    ("docs-dir", _sub("docs_dir: modules", "docs_dir: content"), "site.config", "docs_dir"),
    ("docs-dir-missing", _sub("docs_dir: modules", "docs_dir: pages"), "site.config", "docs_dir"),
    ("strict-not-bool", _sub("strict: true", "strict: sometimes"), "site.config", "strict"),
    ("site-name-missing", _sub("site_name: Patient voices in practice\n", ""), "site.config", ""),
    ("site-name-not-text", _sub("site_name: Patient voices in practice", "site_name: [Patient, voices]"),
     "site.config", "site_name"),
    ("site-url-malformed", _append("site_url: not a web address\n"), "site.config", "site_url"),
    ("site-url-javascript", _append("site_url: javascript:alert(1)\n"), "site.config", "site_url"),
    ("repo-url-malformed", _append("repo_url: github.com/example\n"), "site.config", "repo_url"),
    ("extra-css-not-list", _append("extra_css: theme/extra.css\n"), "site.config", "extra_css"),
    ("extra-not-mapping", _sub("extra:\n  generator: false", "extra: false"), "site.config", "extra"),
    ("copyright-not-text", _sub("copyright: © 2026", "copyright:\n  - © 2026"), "site.config", "copyright"),
    ("unknown-key", _append("site_titel: Patient voices\n"), "site.unknown-key", "site_titel"),
    ("dev-addr-malformed", _append("dev_addr: localhost\n"), "site.config", "dev_addr"),
    ("hooks-missing-file", _append("hooks:\n  - hooks/nothing.py\n"), "site.config", "hooks"),
    ("watch-missing-path", _append("watch:\n  - nowhere\n"), "site.config", "nowhere"),
    ("theme-not-material", _sub("  name: material", "  name: readthedocs"), "site.theme", "name: readthedocs"),
    ("theme-unknown", _sub("  name: material", "  name: no-such-theme"), "site.theme", "no-such-theme"),
    ("custom-dir-missing", _sub("  custom_dir: theme", "  custom_dir: themes"), "site.theme", "custom_dir"),
    ("theme-features-not-list", _sub("  features:\n    - navigation.top\n    - navigation.prune     # each page "
                                     "holds only its own branch of the navigation, so builds stay linear\n"
                                     "    - search.highlight\n    - content.tooltips\n",
                                     "  features: navigation.top\n"), "site.theme", "features"),
    ("nav-missing-file", _append("nav:\n  - Home: index.md\n  - Itch: hearing-the-itch/nothing.md\n"),
     "site.nav", "nothing.md"),
    ("nav-unpublished-story", _append("nav:\n  - Home: index.md\n  - A story: stories/no-such-story.md\n"),
     "site.nav", "no-such-story"),
    ("nav-not-list", _append("nav: index.md\n"), "site.nav", "nav"),
    ("nav-bad-entry", _append("nav:\n  - Home: index.md\n  - 42\n"), "site.nav", "42"),
    ("plugin-missing", _sub(PLUGIN, ""), "site.plugin", "plugins"),
    ("plugin-unknown", _sub("  - search\n", "  - search\n  - no-such-plugin\n"), "site.plugin", "no-such-plugin"),
    ("plugins-not-list", _sub("plugins:\n  - search\n" + PLUGIN, "plugins: search\n"), "site.plugin", "plugins"),
    ("option-unknown", _sub("      paper: A4", "      paper: A4\n      papr: Letter"), "site.plugin-option", "papr"),
    ("option-paper", _sub("      paper: A4", "      paper: A5"), "site.plugin-option", "paper"),
    ("option-pdf-type", _sub("      paper: A4", "      paper: A4\n      pdf: sometimes"), "site.plugin-option", "pdf"),
    ("option-submit-javascript", _sub('      submit_url: ""', "      submit_url: javascript:alert(1)"),
     "site.plugin-option", "submit_url"),
    ("option-submit-http", _sub('      submit_url: ""', "      submit_url: http://collector.example.org/r"),
     "site.plugin-option", "submit_url"),
    ("option-submit-type", _sub('      submit_url: ""', "      submit_url: 42"), "site.plugin-option", "submit_url"),
    ("option-evaluation-type", _sub("      paper: A4", "      paper: A4\n      evaluation: yes please"),
     "site.plugin-option", "evaluation"),
    ("option-evaluation-item", _sub("      paper: A4", "      paper: A4\n      evaluation:\n"
                                    "        - {id: bias, kind: single, options: [Yes, No]}"),
     "site.plugin-option", "id: bias"),
    ("option-root", _sub("      paper: A4", "      paper: A4\n      root: /somewhere/else"),
     "site.plugin-option", "root"),
    ("options-not-mapping", _sub(PLUGIN, "  - patientvoice: A4\n"), "site.plugin-option", "patientvoice"),
    ("extension-missing", _sub("  - attr_list\n", "  - attr_list\n  - no_such_extension\n"),
     "site.markdown-extension", "no_such_extension"),
    ("extension-options", _sub("      permalink: true\n", "      permalnk: true\n"),
     "site.markdown-extension", "toc"),
    ("extensions-not-list", _sub("markdown_extensions:\n  - tables\n", "markdown_extensions: tables\n"
                                 "markdown_extension:\n  - tables\n"), "site.markdown-extension", "markdown_extensions"),
    ("extension-entry-list", _sub("  - attr_list\n", "  - [attr_list]\n"), "site.markdown-extension", "attr_list"),
    ("yaml-syntax", _sub("site_dir: build/site", "site_dir: [build/site"), "yaml.syntax", ""),
    ("duplicate-key", _append("use_directory_urls: false\n"), "yaml.duplicate-key", "use_directory_urls: false"),
    ("claim-url-http", _sub("      paper: A4\n", "      paper: A4\n      claim_url: http://cme.example.org/claims\n"),
     "site.plugin-option", "claim_url"),
    ("attempts-zero", _sub("      paper: A4\n", "      paper: A4\n      attempts: 0\n"), "site.plugin-option", "attempts"),
    ("attempts-text", _sub("      paper: A4\n", "      paper: A4\n      attempts: two\n"), "site.plugin-option", "attempts"),
    ("show-key-bad", _sub("      paper: A4\n", "      paper: A4\n      show_key: after-fail\n"), "site.plugin-option",
     "show_key"),
    # mkdocs loads its config with PyYAML's full loader: an alias bomb hangs it, a Python object tag runs code.
    ("alias-bomb", _append("extra:\n  a: &a [x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                           "  c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"), "yaml.alias", "b: &b"),
    ("python-object-tag", _append("extra:\n  x: !!python/object/apply:os.getcwd []\n"), "yaml.type", "os.getcwd"),
]

# Changes a course may make: check stays clean and the build succeeds (rule None).
ALLOWED = [
    ("site-url", _append("site_url: https://cme.example.org/\n"), None, ""),
    ("emoji-python-tags", _sub("  - footnotes\n", "  - footnotes\n  - pymdownx.emoji:\n"
                               "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                               "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"), None, ""),
    ("submit-env", _sub('      submit_url: ""', '      submit_url: !ENV [PV_NO_SUCH_VARIABLE, ""]'), None, ""),
    ("attempts-two", _sub("      paper: A4\n", "      paper: A4\n      attempts: 2\n"), None, ""),
    ("show-key-never", _sub("      paper: A4\n", "      paper: A4\n      show_key: never\n"), None, ""),
    ("submit-localhost", _sub('      submit_url: ""', "      submit_url: http://localhost:8001/responses"), None, ""),
    ("nav-explicit", _append("nav:\n  - Home: index.md\n  - The itch: hearing-the-itch/index.md\n"
                             "  - Post-test: hearing-the-itch/post.md\n  - Stories: stories/index.md\n"
                             "  - Faculty: faculty.md\n  - Elaine: stories/elaine-night-itch.md\n"
                             "  - Home again: https://example.org/\n"),
     None, ""),
]
