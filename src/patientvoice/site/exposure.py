"""What mkdocs.yml may make every page show, load or run: no script, tracking or request to another address.

mkdocs.yml is the provider's own file, but a few of its settings reach every learner's browser unreviewed:
Material prints ``copyright`` as raw HTML in every footer, loads ``theme.logo``/``theme.favicon``,
``extra_css`` and ``extra_javascript`` on every page, links ``extra.social``, injects ``extra.analytics``'
tracker and, for a ``repo_url``, calls the repository host's API from each reader's browser. ``hooks`` and
``!!python/name:`` run Python in the build. Each is held to the policy the content is held to
(security/urls.py, security/markup.py).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from patientvoice.course.sources import line_of
from patientvoice.rules import E, W, Rule, register
from patientvoice.security import markup
from patientvoice.security.urls import link_problem, resource_problem
from patientvoice.site import options as so

register(
    Rule("site.unsafe", E, "mkdocs.yml adds script, tracking, a request to another address or code to the build",
         "These settings reach every page without review: Material prints copyright as raw HTML, loads the logo, "
         "favicon, extra_css and extra_javascript on every page and injects an analytics tracker (ACCME Standard 5: "
         "no tracking or advertising in accredited content); hooks run Python in the build.",
         "Keep files of the site (in modules/ or theme/), https:/mailto: links, plain text with simple inline "
         "formatting in copyright; remove extra.analytics and hooks."),
    Rule("site.repo-url", W, "repo_url makes every learner's browser call the repository host",
         "Material shows the repository in the header and, for GitHub or GitLab, fetches its stars and forks from "
         "the host's API in each reader's browser: a request leaving the site on every page view.",
         "Remove repo_url (and repo_name) from mkdocs.yml, or accept the request knowingly."),
)

# Tags the copyright may hold: simple inline formatting, and links held to the link policy.
COPYRIGHT_TAGS = {"a", "b", "strong", "i", "em", "small", "br", "span", "abbr"}
COPYRIGHT_ATTRS = {"href", "title"}


def copyright_problems(text: str) -> list[str]:
    """Why the copyright text may not be printed raw in every footer (one message per refused tag or link)."""
    tags, links = markup.scan(text)
    out = []
    for tag in tags:
        if tag.name not in COPYRIGHT_TAGS:
            out.append(f"copyright holds '{tag.text[:60]}': only simple inline formatting "
                       f"({', '.join(sorted(COPYRIGHT_TAGS))}) is printed in the footer")
            continue
        for attr, value in tag.attrs:
            if attr not in COPYRIGHT_ATTRS:
                out.append(f"copyright's <{tag.name}> has the attribute '{attr}'; only href and title are allowed")
            elif attr == "href" and link_problem(value):
                out.append(f"copyright's link '{value}': {link_problem(value)}")
    out += [f"copyright's link '{lk.url}': {link_problem(lk.url)}" for lk in links if link_problem(lk.url)]
    return out


def site_file_problem(root: Path, value, folders: tuple[str, ...] = ("modules", "theme")) -> str | None:
    """Why a logo, favicon, extra_css or extra_javascript entry is not a file of the site, or None.

    ``folders``: where the site's files are, under ``root`` (a host site's docs_dir and custom_dir in add-on mode).
    """
    if not isinstance(value, str) or not value.strip():
        return f"{value!r} must be the path of a file of the site (in modules/ or theme/)"
    if resource_problem(value):
        return f"'{value}': {resource_problem(value)}"
    rel = value.split("#", 1)[0].split("?", 1)[0].lstrip("/")
    for folder in folders:
        base = (root / folder).resolve()
        target = (base / rel).resolve()
        if target.is_relative_to(base) and target.is_file():
            return None
    from patientvoice.site.theme import PACKAGE_THEME

    target = (PACKAGE_THEME / rel).resolve()  # a file of the default theme the course does not override
    if target.is_relative_to(PACKAGE_THEME.resolve()) and target.is_file():
        return None
    return f"'{value}' is not a file in {' or '.join(f + '/' for f in folders)}; add the file or correct the path"


def script_path(entry):
    """The path of an extra_javascript entry (text, or a mapping with ``path`` as mkdocs 1.5 allows)."""
    return entry.get("path") if isinstance(entry, dict) else entry


def check_exposure(root: Path, cfg, problems, path: Path, folders: tuple[str, ...] = ("modules", "theme")) -> None:
    """site.unsafe and site.repo-url problems of mkdocs.yml (``cfg`` as load_site_config read it)."""
    def add(rule, container, key, message):
        problems.add(path, line_of(container, key), rule, message)

    if isinstance(cfg.get("copyright"), str):
        for message in copyright_problems(cfg["copyright"]):
            add("site.unsafe", cfg, "copyright", message)
    theme = cfg.get("theme")
    if isinstance(theme, dict):
        for key in ("logo", "favicon"):
            if key in theme and site_file_problem(root, theme[key], folders):
                add("site.unsafe", theme, key, f"theme {key} {site_file_problem(root, theme[key], folders)}")
    for key in ("extra_css", "extra_javascript"):
        items = cfg.get(key)
        for i, item in enumerate(items if isinstance(items, list) else []):
            entry = script_path(item) if key == "extra_javascript" else item
            if site_file_problem(root, entry, folders):
                add("site.unsafe", items, i, f"{key}: {site_file_problem(root, entry, folders)}")
    extra = cfg.get("extra")
    if isinstance(extra, dict):
        if "analytics" in extra:
            add("site.unsafe", extra, "analytics", "extra.analytics puts a tracker on every page; accredited content "
                                                   "may carry no tracking (ACCME Standard 5): remove it")
        social = extra.get("social")
        for i, item in enumerate(social if isinstance(social, list) else []):
            link = item.get("link") if isinstance(item, dict) else None
            if not isinstance(link, str) or link_problem(link):
                why = link_problem(link) if isinstance(link, str) else "each entry needs 'link: https://...'"
                add("site.unsafe", item if isinstance(item, dict) and "link" in item else social,
                    "link" if isinstance(item, dict) and "link" in item else i, f"extra.social link {link!r}: {why}")
    _runs_code(cfg, problems, path)
    url = cfg.get("repo_url")
    if isinstance(url, str) and urlsplit(url).netloc:
        add("site.repo-url", cfg, "repo_url",
            f"repo_url shows {urlsplit(url).netloc} in every page header and, for GitHub or GitLab, makes every "
            "learner's browser fetch the repository's stars and forks from the host's API; remove it unless wanted")


def _runs_code(cfg, problems, path: Path) -> None:
    # What mkdocs runs while it loads mkdocs.yml: hooks, and every !!python/name: it imports. One place for
    # check and for serve's guard (serve must ask before mkdocs loads the file at all).
    if "hooks" in cfg:
        problems.add(path, line_of(cfg, "hooks"), "site.unsafe",
                     "hooks run Python files at every build, outside any review, with the builder's rights; "
                     "a course needs none: remove hooks")
    _python_names(cfg, problems, path)


def _python_names(value, problems, path: Path, container=None, key=None) -> None:
    # Every !!python/name: anywhere in mkdocs.yml: mkdocs imports each when it loads the file.
    if isinstance(value, dict):
        for k, v in value.items():
            _python_names(v, problems, path, value, k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _python_names(v, problems, path, value, i)
    elif so.python_name_error(value):
        problems.add(path, line_of(container, key), "site.config", so.python_name_error(value))


def code_problems(root: Path) -> list:
    """Problems of mkdocs.yml that would run code as mkdocs loads it (hooks, foreign !!python/name:), or none.

    mkdocs runs both before any plugin (and so before patientvoice's check): `serve` asks this first.
    """
    from patientvoice.problems import Problems
    from patientvoice.site.mkdocs_yml import load_site_config

    problems = Problems(root)
    cfg = load_site_config(root, problems)
    if cfg is not None:
        _runs_code(cfg, problems, root / "mkdocs.yml")
    return list(problems.errors)
