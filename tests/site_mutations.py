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
    ("site-url-malformed", _sub("site_url: https://learn.example.org/", "site_url: not a web address"), "site.config", "site_url"),
    ("site-url-javascript", _sub("site_url: https://learn.example.org/", "site_url: javascript:alert(1)"), "site.config", "site_url"),
    ("repo-url-malformed", _append("repo_url: github.com/example\n"), "site.config", "repo_url"),
    ("extra-css-not-list", _append("extra_css: theme/extra.css\n"), "site.config", "extra_css"),
    ("extra-not-mapping", _sub("extra:\n  generator: false", "extra: false"), "site.config", "extra"),
    ("copyright-not-text", _sub("copyright: © 2026", "copyright:\n  - © 2026"), "site.config", "copyright"),
    ("unknown-key", _append("site_titel: Patient voices\n"), "site.unknown-key", "site_titel"),
    ("dev-addr-malformed", _append("dev_addr: localhost\n"), "site.config", "dev_addr"),
    ("hooks-missing-file", _append("hooks:\n  - hooks/nothing.py\n"), "site.unsafe", "hooks"),
    # Hooks run Python at build time; an absolute path outside the course passed while the file existed.
    ("hooks-outside", _append("hooks:\n  - /usr/lib/python3/dist-packages/README.txt\n"), "site.unsafe", "hooks"),
    ("watch-missing-path", _append("watch:\n  - nowhere\n"), "site.config", "nowhere"),
    ("theme-not-material", _sub("  name: material", "  name: readthedocs"), "site.theme", "name: readthedocs"),
    ("theme-unknown", _sub("  name: material", "  name: no-such-theme"), "site.theme", "no-such-theme"),
    ("custom-dir-missing", _sub("  language: en\n", "  custom_dir: themes\n  language: en\n"), "site.theme", "custom_dir"),
    ("theme-features-not-list", _sub("  features:\n    - navigation.top\n    - navigation.footer    # previous / next links at the "
                                     "foot of every page\n    - navigation.prune     # each page "
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
    # Settings Material puts into every page: script, tracking and requests to other addresses (site/exposure.py).
    ("copyright-script", _sub("copyright: © 2026", "copyright: <img src=x onerror=alert(1)> © 2026"),
     "site.unsafe", "copyright"),
    ("copyright-javascript-link", _sub("copyright: © 2026", "copyright: <a href='javascript:alert(1)'>us</a> © 2026"),
     "site.unsafe", "copyright"),
    ("copyright-style", _sub("copyright: © 2026", "copyright: <span style='background:url(//t.example/x)'>c</span> © 2026"),
     "site.unsafe", "copyright"),
    ("logo-remote", _sub("  language: en\n", "  language: en\n  logo: https://tracker.example/logo.png\n"),
     "site.unsafe", "logo: https"),
    ("favicon-protocol-relative", _sub("  language: en\n", "  language: en\n  favicon: //tracker.example/f.ico\n"),
     "site.unsafe", "favicon"),
    ("logo-data", _sub("  language: en\n", "  language: en\n  logo: 'data:image/svg+xml,<svg/onload=alert(1)>'\n"),
     "site.unsafe", "logo: 'data"),
    ("logo-missing", _sub("  language: en\n", "  language: en\n  logo: assets/no-such-logo.png\n"),
     "site.unsafe", "no-such-logo"),
    ("extra-css-remote", _append("extra_css:\n  - https://cdn.example/x.css\n"), "site.unsafe", "cdn.example"),
    ("extra-css-outside", _append("extra_css:\n  - ../../etc/passwd\n"), "site.unsafe", "etc/passwd"),
    ("extra-js-remote", _append("extra_javascript:\n  - //cdn.example/x.js\n"), "site.unsafe", "cdn.example"),
    ("extra-js-mapping-remote", _append("extra_javascript:\n  - path: https://cdn.example/x.js\n    defer: true\n"),
     "site.unsafe", "cdn.example"),
    ("extra-js-data", _append("extra_javascript:\n  - 'data:text/javascript,alert(1)'\n"), "site.unsafe", "data:"),
    ("social-javascript", _sub("  generator: false", "  generator: false\n  social:\n    - icon: fontawesome/brands/x\n"
                                                     "      link: javascript:alert(1)"), "site.unsafe", "javascript:"),
    ("analytics", _sub("  generator: false", "  generator: false\n  analytics:\n    provider: google\n"
                                             "    property: G-XXXXXXX"), "site.unsafe", "analytics"),
    ("analytics-other-provider", _sub("  generator: false", "  generator: false\n  analytics:\n    provider: custom"),
     "site.unsafe", "analytics"),
    ("repo-url-github", _append("repo_url: https://github.com/example/course\n"), "site.repo-url", "repo_url"),
    # File-including extensions publish host files (--8<-- "/etc/passwd").
    ("snippets", _sub("  - footnotes\n", "  - footnotes\n  - pymdownx.snippets\n"),
     "site.markdown-extension", "pymdownx.snippets"),
    ("snippets-options", _sub("  - footnotes\n", "  - footnotes\n  - pymdownx.snippets:\n      base_path: [/]\n"),
     "site.markdown-extension", "pymdownx.snippets"),
    ("base-path-option", _sub("  - footnotes\n", "  - footnotes\n  - pymdownx.emoji:\n      base_path: /etc\n"),
     "site.markdown-extension", "pymdownx.emoji"),
    ("markdown-include", _sub("  - footnotes\n", "  - footnotes\n  - markdown_include.include:\n"
                                                 "      base_path: /\n"), "site.markdown-extension", "markdown_include"),
    # !!python/name: imports the module it names; only the engine's packages may be named.
    ("python-name-other", _sub("  - footnotes\n", "  - footnotes\n  - pymdownx.emoji:\n"
                                                  "      emoji_index: !!python/name:os.getcwd\n"),
     "site.config", "os.getcwd"),
    ("python-name-course-module", _sub("  generator: false", "  generator: false\n  x: !!python/name:hooks.evil.x"),
     "site.config", "hooks.evil"),
    ("python-object-tag", _append("extra:\n  x: !!python/object/apply:os.getcwd []\n"), "yaml.type", "os.getcwd"),
]

# Changes a course may make: check stays clean and the build succeeds (rule None).
ALLOWED = [
    ("site-url", _sub("site_url: https://learn.example.org/", "site_url: https://cme.example.org/"), None, ""),
    ("copyright-formatting", _sub("copyright: © 2026", "copyright: <strong>©</strong> <a href='https://cme.example.org/'>"
                                                       "2026</a><br>"), None, ""),
    ("extra-css-theme", _append("extra_css:\n  - assets/patientvoice.css\n"), None, ""),
    ("social-https", _sub("  generator: false", "  generator: false\n  social:\n    - icon: fontawesome/brands/github\n"
                                                "      link: https://example.org/"), None, ""),
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
