"""Add-on mode: a course published under a prefix (``cme/``) of an existing docs site, whose mkdocs.yml it is.

A standalone course is the whole site: its mkdocs.yml sits in the course folder and the plugin sets the site's
defaults (site/defaults.py) and nav. In add-on mode the host site keeps its nav, theme, fonts, palette and pages;
the plugin only adds the course's pages, generated pages and assets under ``prefix`` (and one nav section when the
host lists its pages). This module holds that logic without importing mkdocs, so `check` finds an add-on course
the same way the plugin does.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from patientvoice.rules import E, Rule, register
from patientvoice.security.files import publishable

PREFIX = re.compile(r"[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*")
HOST_DEPTH = 3  # how many folders up `check --root cme` looks for the host's mkdocs.yml

register(
    Rule("site.addon-in-docs", E, "The course folder is inside the host site's docs_dir and not excluded",
         "In a host docs site the plugin publishes only the course's pages, but the host built without the plugin "
         "(the plugin removed, Zensical, which ignores mkdocs plugins) copies every file of docs_dir: the course's "
         "content/ (people, disclosures, consent) and both questionnaire.yml answer keys would be published.",
         "Move the course folder beside docs_dir (root: cme next to docs/), or add it to exclude_docs in mkdocs.yml: "
         "exclude_docs: |  followed by an indented line  /cme/"),
)


def normal_prefix(value) -> str:
    """The prefix without surrounding slashes ('/cme/' → 'cme'); '' for standalone."""
    return str(value or "").strip().strip("/")


def prefix_error(value) -> str | None:
    """Why a ``prefix`` option is refused, or None."""
    prefix = normal_prefix(value)
    if not prefix or PREFIX.fullmatch(prefix) and ".." not in prefix.split("/"):
        return None
    return (f"prefix '{value}' must be a path of the site such as 'cme' or 'learn/cme' (lower-case letters, digits, "
            "'.', '-', '_', folders separated by '/')")


def missing_course(root: Path, root_option: str) -> str | None:
    """What to set when ``root`` holds no course (no content/ folder), or None when it does."""
    if (root / "content").is_dir() and (root / "modules").is_dir():
        return None
    lacking = " and ".join(f"{d}/" for d in ("content", "modules") if not (root / d).is_dir())
    said = f"root '{root_option}'" if root_option else "no root option, so the folder of mkdocs.yml"
    return (f"no patientvoice course found: {root} has no {lacking} ({said}). Set the plugin's 'root' option to "
            "the course folder, relative to mkdocs.yml; in an existing docs site also set 'prefix', the path "
            "the course is published under:  plugins: [search, patientvoice: {root: cme, prefix: cme}] "
            "(see docs/addon.md)")


def root_prefix_error(site: Path, root: Path, prefix: str) -> str | None:
    """Why ``root`` and ``prefix`` do not go together, or None.

    A course in another folder than mkdocs.yml's is an add-on and needs a prefix; an add-on's course folder
    must be its own folder, not the host's or one above it (the host's files there would be taken for the course's).
    """
    site, root = Path(site).resolve(), Path(root).resolve()
    if not prefix and site != root:
        return (f"root names another folder than mkdocs.yml's ({root}), so this is an existing docs site: set "
                "'prefix' to the path the course is published under, such as 'cme' (docs/addon.md)")
    if prefix and (site == root or root in site.parents):
        return (f"with prefix '{prefix}' the course is added to this docs site: set 'root' to the course's own "
                f"folder (such as 'cme', holding content/ and modules/), not the site's folder {site}")
    return None


@dataclass
class Located:
    """Where a course lives and which mkdocs.yml publishes it."""

    course: Path  # the course folder (content/, modules/)
    site: Path | None  # the folder of the mkdocs.yml that lists the plugin, or None
    prefix: str = ""  # '' for a standalone course

    @property
    def addon(self) -> bool:
        """True when the course is an add-on to another site (its own folder is not the site's)."""
        return self.site is not None and (bool(self.prefix) or self.site.resolve() != self.course.resolve())


def locate(root: Path) -> Located:
    """Find the course and its mkdocs.yml from ``root``: the course folder, or the host site's folder.

    ``root`` with a mkdocs.yml whose plugin entry names another ``root`` is a host site: the course is that
    folder. ``root`` without a mkdocs.yml may be a course inside a host: the nearest folder above (up to
    HOST_DEPTH) whose mkdocs.yml points its plugin at ``root``.
    """
    root = Path(root)
    options = _plugin_options(root)
    named = options.get("root") if options else None
    if options is not None:
        # A root that is no folder is check's to report (site.plugin-option); the site's own folder stands in.
        course = (root / named).resolve() if isinstance(named, str) and named and (root / named).is_dir() \
            else root.resolve()
        return Located(course, root, normal_prefix(options.get("prefix")) if isinstance(options.get("prefix"), str)
                       else "")
    if (root / "mkdocs.yml").exists():
        return Located(root.resolve(), root)
    here = root.resolve()
    for parent in list(here.parents)[:HOST_DEPTH]:
        options = _plugin_options(parent)
        if options and isinstance(options.get("root"), str) and (parent / options["root"]).resolve() == here:
            prefix = options.get("prefix")
            return Located(here, parent, normal_prefix(prefix) if isinstance(prefix, str) else "")
    return Located(here, None)


def _plugin_options(folder: Path) -> dict | None:
    """The patientvoice plugin's options in ``folder``/mkdocs.yml; None without that file or entry."""
    from patientvoice.problems import Problems
    from patientvoice.site.mkdocs_yml import load_site_config
    from patientvoice.site.options import given_options

    if not (folder / "mkdocs.yml").is_file():
        return None
    cfg = load_site_config(folder, Problems(folder))
    if cfg is None:
        return None
    plugins = cfg.get("plugins") if isinstance(cfg, dict) else None
    names = [p if isinstance(p, str) else next(iter(p), None) if isinstance(p, dict) else None
             for p in (plugins if isinstance(plugins, list) else list(plugins or {}))]
    return given_options(cfg) if "patientvoice" in names else None


def host_folders(cfg) -> tuple[str, ...]:
    """Where a host site's own files are, relative to its mkdocs.yml: docs_dir, and the theme's custom_dir."""
    docs = cfg.get("docs_dir") if isinstance(cfg.get("docs_dir"), str) else "docs"
    theme = cfg.get("theme") if isinstance(cfg.get("theme"), dict) else {}
    custom = theme.get("custom_dir")
    return (docs, custom) if isinstance(custom, str) and custom else (docs,)


def course_uri(src_uri: str, prefix: str) -> str | None:
    """A page's path inside the course ('cme/x/index.md' → 'x/index.md'), or None for a host page.

    Standalone (no prefix) every page is the course's.
    """
    if not prefix:
        return src_uri
    return src_uri[len(prefix) + 1:] if src_uri.startswith(prefix + "/") else None


def course_sources(course_root: Path) -> dict[str, Path]:
    """The course's own files to publish: modules/ without answer keys, dot files or files outside the course
    (the materialiser's own list; imported here, so `check` does not load the materialiser to find a course)."""
    from patientvoice.materialise.tree import module_sources

    return module_sources(course_root)


def theme_sources(course_root: Path) -> dict[str, Path]:
    """The course's static theme files (assets/, fonts/, print.css) by their path in the site: the package's
    default theme with the course's theme/ on top (site/theme.py).

    Template overrides (.html) are left out: the host's theme renders every page.
    """
    from patientvoice.site.theme import in_package_theme, theme_files

    # A course theme file that leads out of the course (check: file.outside-course) is not copied, even in a preview.
    return {rel: path for rel, path in theme_files(course_root).items() if not rel.endswith(".html")
            and (in_package_theme(path) or publishable(str(path), course_root))}


def nav_section(nav: list, prefix: str, title: str) -> dict:
    """The course's nav as one section of the host's nav, every page under ``prefix``."""
    def move(item):
        if isinstance(item, str):
            return item if "://" in item else f"{prefix}/{item}"
        if isinstance(item, list):
            return [move(i) for i in item]
        if isinstance(item, dict):
            return {k: move(v) for k, v in item.items()}
        return item
    return {title: move(nav)}


def asset_tags(page_url: str, prefix: str, css: list[str], scripts: list[str]) -> tuple[str, str]:
    """The <link> tags for a course page's <head> and <script> tags for its body end, relative to the page.

    Only course pages load the course's stylesheet and scripts, so the host's pages are unchanged.
    """
    base = "../" * page_url.count("/") + prefix + "/"
    head = "".join(f'<link rel="stylesheet" href="{base}{c}">' for c in css)
    body = "".join(f'<script src="{base}{s}"></script>' for s in scripts)
    return head, body


def add_assets(output: str, head: str, body: str) -> str:
    """``output`` with ``head`` before Material's first stylesheet and ``body`` before ``</body>``.

    Before the theme's stylesheets, so the host's own font and palette declarations (which follow them) win
    over the course stylesheet's defaults: a course page keeps the host's look.
    """
    at = output.find('<link rel="stylesheet"')
    at = at if at >= 0 else output.find("</head>")
    if at >= 0 and head:
        output = output[:at] + head + output[at:]
    end = output.rfind("</body>")
    if end >= 0 and body:
        output = output[:end] + body + output[end:]
    return output


def section_title(course, prefix: str) -> str:
    """The nav section's title: the course home page's title or first heading, else the prefix."""
    from html import escape

    text = course.home.read_text(encoding="utf-8") if course.home else ""
    found = re.search(r"(?m)^title:\s*['\"]?(.+?)['\"]?\s*$", text.partition("\n---\n")[0]) \
        if text.startswith("---\n") else None
    found = found or re.search(r"(?m)^#\s+(.+?)\s*#*\s*$", text)
    # Material prints nav titles unescaped (site/pages.navigation escapes its own for the same reason).
    return escape(found.group(1)) if found else escape(prefix.rsplit("/", 1)[-1].upper())



def check_addon(site: Path, course, cfg, problems, path: Path) -> None:
    """site.addon-in-docs: a course folder inside the host's docs_dir must be excluded from its plain build."""
    from pathspec.gitignore import GitIgnoreSpec  # mkdocs' own matcher for exclude_docs

    from patientvoice.course.sources import line_of

    docs = cfg.get("docs_dir") if isinstance(cfg.get("docs_dir"), str) else "docs"
    try:
        rel = Path(course.root).resolve().relative_to((site / docs).resolve()).as_posix()
    except ValueError:
        return  # beside docs_dir: nothing of the course is published without the plugin
    exclude = cfg.get("exclude_docs")
    spec = GitIgnoreSpec.from_lines(exclude.splitlines() if isinstance(exclude, str) else [])
    # Every file of content/ (stories with their consent records, people), not one of them: a pattern such as
    # '*.yml' excludes provider.yml and the answer keys but publishes content/stories/*.md.
    root = Path(course.root)
    probes = [Path(folder, name).relative_to(root).as_posix() for folder, _, names in os.walk(root / "content")
              for name in names]
    probes += ["content/provider.yml", *(f"modules/{m.id}/questionnaire.yml" for m in course.modules.values())]
    if all(spec.match_file(p if rel == "." else f"{rel}/{p}") for p in probes):
        return
    where = "exclude_docs" if "exclude_docs" in cfg else "docs_dir" if "docs_dir" in cfg else None
    problems.add(path, line_of(cfg, where) if where else 1, "site.addon-in-docs",
                 f"the course folder {docs}/{rel}/ is inside docs_dir: the site built without the plugin would "
                 f"publish its content/ and answer keys; move it beside {docs}/ or add an indented line '/{rel}/' "
                 "under 'exclude_docs: |'")


def course_url(cfg: dict) -> str:
    """The course's own web address from a loaded mkdocs.yml: ``site_url``, plus the prefix in a host site.

    Handouts print it with a QR code and LMS packages link it, so in add-on mode it must name ``…/cme/``.
    """
    from patientvoice.site.options import given_options

    site = cfg.get("site_url") if isinstance(cfg, dict) and isinstance(cfg.get("site_url"), str) else ""
    prefix = given_options(cfg).get("prefix") if isinstance(cfg, dict) else ""
    prefix = normal_prefix(prefix) if isinstance(prefix, str) else ""
    return f"{site.rstrip('/')}/{prefix}/" if site and prefix else site


def host_reviewed(course_root: Path) -> dict | None:
    """What of a host site's mkdocs.yml shapes a course's pages, for the approval fingerprint; None standalone.

    Only the Markdown extensions (they render every course page) and the evaluation questions (every post-test
    asks them): the host editing its own nav, theme or pages must not reopen the committee's review. Read
    without resolving tags, so nothing is imported and the digest is stable.
    """
    from patientvoice.course.sources import named_entries
    from patientvoice.problems import Problems
    from patientvoice.site.mkdocs_yml import load_site_config

    where = locate(Path(course_root))
    if not where.addon or where.site is None:
        return None
    cfg = load_site_config(where.site, Problems(where.site))
    if cfg is None:
        return None
    options = dict(named_entries(cfg.get("plugins") or [])).get("patientvoice")
    return {"markdown_extensions": cfg.get("markdown_extensions"),
            "evaluation": options.get("evaluation") if isinstance(options, dict) else None}
