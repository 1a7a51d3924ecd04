"""`check` reads mkdocs.yml: every mistake that would stop `patientvoice build` becomes a path:line problem.

mkdocs validates its configuration only when it builds, and then without a line; this module repeats the
checks mkdocs (and the patientvoice plugin) make, without importing mkdocs, so that a course that passes
`check` builds. tests/site_mutations.py lists the mistakes it was written against.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import yaml
from urllib.parse import urlsplit


from patientvoice.site import options as so
from patientvoice.site.exposure import check_exposure
from patientvoice.pdf.checks import check_print
from patientvoice.site.answer_keys import check_answer_keys
from patientvoice.rules import E, Rule, register
from patientvoice.course.sources import YMap, _LineLoader, line_of, named_entries, parse_yaml, read_text

_WHY = "mkdocs refuses this when it builds the site, and then without naming the line; check names it first."
register(
    Rule("site.config", E, "A setting in mkdocs.yml is wrong", _WHY, "Correct the setting as the message says."),
    Rule("site.unknown-key", E, "mkdocs.yml has a key mkdocs does not know",
         "An unknown key is a typo or a setting of another tool: mkdocs ignores it (so the intended setting is "
         "not applied) and under `strict: true` refuses to build.", "Correct the key's spelling or remove it."),
    Rule("site.theme", E, "The theme in mkdocs.yml is not the course theme",
         "The course's pages, fonts and print styles are made for Material with patientvoice's default theme, "
         "which a course's theme/ folder may override file by file; another theme publishes pages without them.",
         "Set theme: {name: material}, with custom_dir: theme when the course has a theme/ folder."),
    Rule("site.nav", E, "The nav in mkdocs.yml is malformed or names a missing page", _WHY,
         "Point each nav entry at a page in modules/ or one patientvoice generates, or remove nav to get the "
         "generated navigation."),
    Rule("site.plugin", E, "The plugins list in mkdocs.yml is wrong", _WHY,
         "List the patientvoice plugin under plugins, and only plugins that are installed."),
    Rule("site.plugin-option", E, "An option of the patientvoice plugin is wrong", _WHY,
         "Correct the option under plugins: - patientvoice: (see docs/authoring.md)."),
    Rule("site.markdown-extension", E, "A markdown extension in mkdocs.yml cannot load", _WHY,
         "Install the extension, correct its name or options, or remove the entry."),
)


class _SiteLoader(_LineLoader):
    """The course's safe reader, plus mkdocs.yml's tags read as opaque text."""


SITE_TAGS = ("tag:yaml.org,2002:python/name:", "!ENV", "!relative")


def _opaque(loader, suffix: str, node) -> so.Opaque:
    # The tag's name and the plain value written under it (the variable list of !ENV); nothing is run here.
    value = so.Opaque(suffix)
    value.written = (loader.construct_scalar(node) if isinstance(node, yaml.ScalarNode)
                     else loader.construct_sequence(node, deep=True) if isinstance(node, yaml.SequenceNode)
                     else loader.construct_mapping(node, deep=True))
    return value


_SiteLoader.add_multi_constructor("tag:yaml.org,2002:python/", _opaque)
_SiteLoader.add_multi_constructor("!", _opaque)

_TEXT = ("site_description", "site_author", "copyright", "repo_name", "edit_uri", "edit_uri_template",
         "remote_branch", "remote_name", "site_dir", "exclude_docs", "draft_docs", "not_in_nav", "INHERIT")
_LISTS = ("extra_css", "extra_javascript", "extra_templates", "hooks", "watch")
KNOWN_KEYS = {"site_name", "nav", "site_url", "theme", "docs_dir", "dev_addr", "use_directory_urls", "repo_url",
              "markdown_extensions", "strict", "extra", "plugins", "validation", *_TEXT, *_LISTS}


def load_site_config(root: Path, problems) -> YMap | None:
    """mkdocs.yml as a YMap with lines (Python tags kept as Opaque text), or None with problems recorded."""
    path = root / "mkdocs.yml"
    if not path.exists():
        # A course added to a host docs site reads the host's (extensions, site_url, evaluation: site/addon.py);
        # otherwise content is checked on its own and `patientvoice build` says a course needs one.
        from patientvoice.site.addon import locate

        host = locate(root).site
        if host is None or not (host / "mkdocs.yml").exists():
            return None
        root, path = host, host / "mkdocs.yml"
    text = read_text(path, problems, root)  # the site's folder: a host site's, in add-on mode (site/addon.py)
    if text is None:
        return None
    # The course's own reader (limits on aliases, depth and tags; a duplicate key is a problem where mkdocs
    # would silently keep the last one), with mkdocs' own tags accepted and kept as text.
    before = len(problems)
    data = parse_yaml(text, path, problems, _SiteLoader, SITE_TAGS)
    if data is None and len(problems) > before:
        return None
    if not isinstance(data, YMap):
        problems.add(path, 1, "site.config", "must be a mapping of 'key: value' lines")
        return None
    return data


def check_site(root: Path, course, problems, addon: bool = False) -> YMap | None:
    """Validate mkdocs.yml (settings, theme, nav, plugins, extensions); return it, or None if unreadable.

    ``addon``: ``root`` is a host docs site that publishes the course under a prefix (site/addon.py); its
    docs_dir and nav are the host's own, so the rules for a course's own site do not apply to them.
    """
    path = root / "mkdocs.yml"
    cfg = load_site_config(root, problems)
    if cfg is None:
        return None

    def add(rule, key, message, container=cfg):
        problems.add(path, line_of(container, key), rule, message)

    for key in cfg:
        if key not in KNOWN_KEYS:
            add("site.unknown-key", key, f"'{key}' is not an mkdocs setting; correct it or remove it")
    if not isinstance(cfg.get("site_name"), str) or not cfg["site_name"].strip():
        add("site.config", "site_name", "site_name (the site's title) is missing or not text")
    for key in _TEXT:
        if key in cfg and not isinstance(cfg[key], str):
            add("site.config", key, f"{key} must be text, not {cfg[key]!r}")
    for key in _LISTS:
        if key in cfg and not isinstance(cfg[key], list):
            add("site.config", key, f"{key} must be a list ('- item' lines), not {cfg[key]!r}")
    for key in ("watch",):  # hooks are refused outright (site/exposure.py)
        for i, item in enumerate(cfg.get(key) if isinstance(cfg.get(key), list) else []):
            if not isinstance(item, str) or not (root / item).exists():
                problems.add(path, line_of(cfg[key], i), "site.config", f"{key}: '{item}' does not exist")
    for key in ("strict", "use_directory_urls"):
        if key in cfg and not isinstance(cfg[key], bool):
            add("site.config", key, f"{key} must be true or false, not {cfg[key]!r}")
    if so.directory_urls_error(cfg.get("use_directory_urls")):
        add("site.config", "use_directory_urls", so.directory_urls_error(cfg["use_directory_urls"]))
    if cfg.get("docs_dir", "docs") != "modules" and not addon:
        add("site.config", "docs_dir", "docs_dir must be 'modules': the course's modules are its pages")
    for key in ("site_url", "repo_url"):
        url = cfg.get(key)
        if url is not None and (not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https")
                                or not urlsplit(url).netloc):
            add("site.config", key, f"{key} must be a web address starting with https://, not {url!r}")
    if "extra" in cfg and not isinstance(cfg["extra"], dict):
        add("site.config", "extra", "extra must be a mapping of 'key: value' lines")
    if "validation" in cfg and not isinstance(cfg["validation"], dict):
        add("site.config", "validation", "validation must be a mapping of 'key: value' lines")
    if "dev_addr" in cfg and not _address_ok(cfg["dev_addr"]):
        add("site.config", "dev_addr", f"dev_addr must be HOST:PORT such as 127.0.0.1:8000, not {cfg['dev_addr']!r}")
    _theme(root, cfg, add)
    if not addon:
        _nav(root, course, cfg, add)
    _plugins(root, cfg, add, Path(course.root), addon)
    _extensions(cfg, add)
    if addon:  # a host's logo, extra_css and extra_javascript are files of its docs_dir or custom_dir
        from patientvoice.site.addon import host_folders

        check_exposure(root, cfg, problems, path, host_folders(cfg))
    else:
        check_exposure(root, cfg, problems, path)
    check_print(root, course, cfg, problems)  # what the PDFs lose without site_url or a return address
    check_answer_keys(root, course, cfg, problems, path)
    if addon:
        from patientvoice.site.addon import check_addon

        check_addon(root, course, cfg, problems, path)
    return cfg


def _address_ok(value) -> bool:
    host, _, port = str(value).rpartition(":")
    try:
        if host != "localhost":
            ipaddress.ip_address(host)
        return 0 < int(port) < 65536
    except ValueError:
        return False


def _theme(root: Path, cfg, add) -> None:
    theme = cfg.get("theme")
    spec = theme if isinstance(theme, dict) else {"name": theme}
    if spec.get("name") != "material":
        where = theme if isinstance(theme, dict) and "name" in theme else cfg
        add("site.theme", "name" if where is theme else "theme",
            f"theme name must be material, not {spec.get('name')!r}", where)
    custom = spec.get("custom_dir")
    where = theme if isinstance(theme, dict) else cfg
    if (root / "theme").is_dir() and custom != "theme":
        add("site.theme", "custom_dir" if custom else "theme",
            "custom_dir must be 'theme': the course's styles, fonts and scripts live in theme/", where)
    elif custom is not None and (not isinstance(custom, str) or not (root / custom).is_dir()):
        add("site.theme", "custom_dir", f"custom_dir '{custom}' is not a folder of the course; remove custom_dir "
            "(the default theme comes with patientvoice) or create theme/ for the files you override", where)
    for key, types, what in (("features", list, "a list"), ("palette", (list, dict), "a list or mapping"),
                             ("language", str, "text")):
        if isinstance(theme, dict) and key in theme and not isinstance(theme[key], types):
            add("site.theme", key, f"theme {key} must be {what}, not {theme[key]!r}", theme)


def _nav(root: Path, course, cfg, add) -> None:
    if cfg.get("nav") is None:
        return  # the plugin generates the navigation
    if not isinstance(cfg["nav"], list):
        add("site.nav", "nav", "nav must be a list of '- Title: page.md' entries (or remove it)")
        return
    # The pages site/pages.generated_pages makes (without rendering them): a nav entry may name them.
    from patientvoice.site.pages import PHASES, web_stories

    generated = {f"{m.id}/{p}.md" for m in course.modules.values() if m.questionnaire for p in PHASES}
    generated |= {"faculty.md", "stories/index.md", *(f"stories/{s.id}.md" for s in web_stories(course)),
                  *(f"pags/{p}.md" for p in course.pags)}

    def walk(items):
        for i, item in enumerate(items):
            target = next(iter(item.values())) if isinstance(item, dict) and len(item) == 1 else item
            if isinstance(target, list):
                walk(target)
            elif not isinstance(target, str):
                add("site.nav", i, f"nav entry {item!r} must be 'page.md' or 'Title: page.md'", items)
            elif "://" not in target and target not in generated and not (root / "modules" / target).is_file():
                add("site.nav", i, f"nav names '{target}', which is not a page in modules/; correct the path", items)
    walk(cfg["nav"])


def _plugins(root: Path, cfg, add, course_root: Path | None = None, addon: bool = False) -> None:
    plugins = cfg.get("plugins", ["search"])
    if not isinstance(plugins, (list, dict)):
        add("site.plugin", "plugins", "plugins must be a list of plugin names; include '- patientvoice'")
        return
    installed, seen = so.installed_plugins(), False
    for i, (name, options) in enumerate(named_entries(plugins)):
        line_key = name if isinstance(plugins, dict) else i
        if not isinstance(name, str) or name not in installed:
            add("site.plugin", line_key, f"plugin '{name}' is not installed; install it or remove the entry", plugins)
        elif name == "patientvoice":
            seen = True
            holder = plugins[i] if isinstance(plugins, list) else plugins
            same = lambda value: (root / value).resolve() == (course_root or root).resolve()  # noqa: E731
            errors = so.plugin_option_errors(options, same)
            if addon and isinstance(options, dict) and not any(k == "prefix" for k, _ in errors):
                from patientvoice.site.addon import normal_prefix, root_prefix_error

                prefix = options.get("prefix") if isinstance(options.get("prefix"), str) else ""
                errors += [("root", m) for m in [root_prefix_error(root, course_root, normal_prefix(prefix))] if m]
            for key, message in errors:
                target = options if isinstance(options, dict) and key in options else holder
                if isinstance(key, int):
                    target, key = options.get("evaluation"), key
                add("site.plugin-option", key if key != "" else "patientvoice", message, target)
    if not seen:
        add("site.plugin", "plugins", "the patientvoice plugin is not listed under plugins; add '- patientvoice'")


def _extensions(cfg, add) -> None:
    exts = cfg.get("markdown_extensions")
    if exts is None:
        return
    if not isinstance(exts, (list, dict)):
        add("site.markdown-extension", "markdown_extensions", "markdown_extensions must be a list of extension names")
        return
    for i, (name, options) in enumerate(named_entries(exts)):
        key = name if isinstance(exts, dict) else i
        if not isinstance(name, str):
            add("site.markdown-extension", key, f"entry {name!r} must be an extension name or 'name: options'", exts)
            continue
        error = so.extension_error(name, options)
        if error:
            add("site.markdown-extension", key, error, exts)
