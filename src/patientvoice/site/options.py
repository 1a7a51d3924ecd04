"""mkdocs.yml's ``plugins`` and ``markdown_extensions``, and the patientvoice plugin's own options.

The rules here are the single copy: `check` applies them to mkdocs.yml with lines (site/mkdocs_yml.py), and the
mkdocs plugin applies ``plugin_option_errors`` and ``directory_urls_error`` to what mkdocs loaded, so a
course built with plain `mkdocs build` is held to the same rules. No mkdocs import: the core stays engine-free
(installed plugins and extensions are found through package metadata and ``importlib.util.find_spec``).
"""

from __future__ import annotations

import importlib
import os

import difflib
import importlib.util
from importlib.metadata import entry_points
from urllib.parse import urlsplit

from patientvoice.site.questionnaire import SHOW_KEY, EvaluationError, evaluation_items
from patientvoice.course.sources import line_of
from patientvoice.site.addon import prefix_error

# name: (types, what it is); kept equal to site/config.PatientVoiceConfig by tests/test_site_config.py
PLUGIN_OPTIONS = {
    "root": ((str,), "text: the course folder, empty for the folder of mkdocs.yml"),
    "prefix": ((str,), "text: the path of the host site the course is published under, or empty (docs/addon.md)"),
    "submit_url": ((str,), "text: the collector's https:// address, or empty"),
    "evaluation": ((list,), "a list of evaluation items"),
    "claim_url": ((str,), "text: the collector's https:// claims address, or empty for submit_url's"),
    "attempts": ((int,), "a whole number of at least 1: the post-test attempts that may count for credit"),
    "show_key": ((str,), "after-pass-or-last-attempt, always or never: when the post-test shows its key"),
    "paper": ((str,), "A4 or Letter"),
    "pdf": ((bool,), "true or false"),
    "strict": ((bool,), "true or false"),
    "engine": ((str,), "mkdocs, properdocs or zensical: the engine `patientvoice build` uses"),
}
ENGINES = ("mkdocs", "properdocs", "zensical")  # kept equal to patientvoice.engines.ENGINES
PAPERS = ("A4", "Letter")


class Opaque(str):
    """A value mkdocs.yml builds with a Python tag (``!!python/name:...``) or ``!ENV``: kept, never run.

    The string is the tag's suffix (``name:material.extensions.emoji.twemoji``, ``ENV``); ``written`` is the
    plain value under the tag.
    """

    written = None


def given_options(cfg) -> dict:
    """The ``patientvoice`` plugin's options as mkdocs.yml gives them (mkdocs' tags resolved); {} when unlisted.

    The one place that finds the plugin's entry in a loaded mkdocs.yml: the materialiser fills in the defaults,
    the collector, report and credit policy read single options (outcomes/evaluation.plugin_options).
    """
    from patientvoice.course.sources import named_entries

    plugins = cfg.get("plugins") if isinstance(cfg, dict) else None
    for name, options in named_entries(plugins or []):
        if name == "patientvoice":
            return resolve(dict(options)) if isinstance(options, dict) else {}
    return {}


def resolve(value):
    """``value`` with mkdocs' own tags resolved as mkdocs resolves them, for the renderers that need them.

    ``!!python/name:pkg.mod.attr`` imports a name (nothing is called; the limited reader already refused the
    tags that call code, such as ``!!python/object/apply``), ``!ENV [VAR, default]`` reads the environment.
    Any other tag is its plain value.
    """
    if isinstance(value, dict):
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    if not isinstance(value, Opaque):
        return value
    if value.startswith("name:"):
        module, _, attr = value[5:].rpartition(".")
        if python_name_error(value):
            return None  # never imported: check reports it (site.config)
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError, ValueError):
            return None  # check reports an extension that cannot load (site.markdown-extension)
    if value == "ENV":
        names = value.written if isinstance(value.written, list) else [value.written]
        for name in names[:-1] if len(names) > 1 else names:
            if isinstance(name, str) and name in os.environ:
                return os.environ[name]
        return names[-1] if len(names) > 1 else None
    return value.written


# Packages whose objects mkdocs.yml may name with !!python/name: (importing them runs only the engine's own code).
PYTHON_NAME_PACKAGES = ("markdown", "pymdownx", "material", "mkdocs")


def python_name_error(value) -> str | None:
    """Why an ``!!python/name:`` value is refused, or None: it must name an object of the engine's packages.

    mkdocs imports the named module when it loads mkdocs.yml; a module of the course (or any other package)
    would run its import-time code in the build, which no review sees.
    """
    if not (isinstance(value, Opaque) and value.startswith("name:")):
        return None
    module = value[5:].rpartition(".")[0]
    if module.split(".")[0] in PYTHON_NAME_PACKAGES and all(p.isidentifier() for p in module.split(".")):
        return None
    return (f"!!python/name:{value[5:]} is not allowed: mkdocs imports the module it names, which would run its "
            f"code in the build; only objects of the {', '.join(PYTHON_NAME_PACKAGES)} packages may be named")


# Extensions that copy files into a page (`--8<-- "/etc/passwd"`): the build would publish whatever the build
# machine can read, and no review sees it. Matched by the module the entry loads.
INCLUDING_EXTENSIONS = ("pymdownx.snippets", "markdown_include", "mdx_include")
INCLUDING_OPTIONS = ("base_path", "base_paths")

_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def directory_urls_error(value) -> str | None:
    """Why ``use_directory_urls`` is refused, or None (patientvoice's URLs are directory URLs)."""
    if value is False:
        return ("use_directory_urls: false is not supported; the course's URLs (/<module>/pre/, /stories/<id>/) "
                "are directory URLs. Remove the setting")
    return None


def submit_url_error(url: str) -> str | None:
    """Why a ``submit_url`` is refused, or None: https://, or http:// only to this machine, or empty."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS:
        return None
    return (f"submit_url '{url}' must be an https:// address of the collector (http:// only for localhost): "
            "learners' answers must not travel unencrypted")


def plugin_option_errors(options, root_ok=lambda value: True) -> list[tuple[str | int, str]]:
    """(key or evaluation item index, message) for each mistake in the patientvoice plugin's options."""
    if options is None:
        return []
    if not isinstance(options, dict):
        return [("", "the patientvoice plugin's options must be a mapping of 'option: value' lines")]
    errors: list[tuple[str | int, str]] = []
    for key, value in options.items():
        if key not in PLUGIN_OPTIONS:
            close = difflib.get_close_matches(str(key), PLUGIN_OPTIONS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"the options are {', '.join(PLUGIN_OPTIONS)}"
            errors.append((key, f"unknown patientvoice option '{key}'; {hint}"))
            continue
        types, what = PLUGIN_OPTIONS[key]
        if isinstance(value, Opaque):
            continue  # known only when mkdocs builds (an environment variable, say)
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            errors.append((key, f"option '{key}' must be {what}, not {value!r}"))
        elif key == "attempts" and value < 1:
            errors.append((key, f"attempts must be a whole number of at least 1, not {value}"))
        elif key == "show_key" and value not in SHOW_KEY:
            errors.append((key, f"show_key must be {', '.join(SHOW_KEY[:-1])} or {SHOW_KEY[-1]}, not '{value}'"))
        elif key == "engine" and value not in ENGINES:
            errors.append((key, f"engine must be mkdocs, properdocs or zensical, not '{value}'"))
        elif key == "paper" and value not in PAPERS:
            errors.append((key, f"paper must be A4 or Letter, not '{value}'"))
        elif key in ("submit_url", "claim_url") and submit_url_error(value):
            errors.append((key, submit_url_error(value).replace("submit_url", key, 1)))
        elif key == "root" and value and not root_ok(value):
            errors.append((key, f"root '{value}' is not this course; remove the option (the course is the "
                                "folder that holds mkdocs.yml)"))
        elif key == "prefix" and prefix_error(value):
            errors.append((key, prefix_error(value)))
        elif key == "evaluation":
            errors += _evaluation_errors(value)
    return errors


def _evaluation_errors(items: list) -> list[tuple[str | int, str]]:
    errors = []
    for i, item in enumerate(items):
        try:
            evaluation_items([item])
        except EvaluationError as exc:
            errors.append((i, str(exc).replace("evaluation[0]", f"evaluation[{i}]")))
    if not errors:
        try:
            evaluation_items(items)
        except EvaluationError as exc:  # ids used twice
            errors.append(("evaluation", str(exc)))
    return errors


def installed_plugins() -> set[str]:
    """Names of the mkdocs plugins installed (from package metadata, without importing them)."""
    return {e.name for e in entry_points(group="mkdocs.plugins")}


def _extension_names() -> dict[str, str]:
    return {e.name: e.value for e in entry_points(group="markdown.extensions")}


def extension_error(name: str, options) -> str | None:
    """Why a markdown extension entry cannot load, or None; built-in extensions' options are tried too."""
    known = _extension_names()
    target = known.get(name, name).split(":")[0]
    including = next((m for m in INCLUDING_EXTENSIONS if f"{target}.".startswith(m + ".")
                      or f"{name}.".startswith(m + ".")), None)
    if including is None and isinstance(options, dict):
        including = next((o for o in INCLUDING_OPTIONS if o in options), None)
    if including is not None:
        return (f"markdown extension '{name}' includes files into pages ({including}): the build would publish any "
                "file the build machine can read, which no committee reviewed; remove it and write the text in "
                "the module")
    try:
        found = importlib.util.find_spec(target) is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"markdown extension '{name}' is not installed{hint}; install it or remove the entry"
    if options is not None and not isinstance(options, dict):
        return f"the options of markdown extension '{name}' must be a mapping of 'option: value' lines"
    if options and target.startswith("markdown.extensions.") and not _opaque(options):
        # Python-Markdown's own extensions are part of the core's dependencies: trying their options is safe.
        import markdown

        try:
            markdown.Markdown(extensions=[name], extension_configs={name: dict(options)})
        except Exception as exc:  # noqa: BLE001 - any failure here is a failure of the build later
            return f"markdown extension '{name}' rejects its options ({type(exc).__name__}: {exc}); correct them"
    return None


def _opaque(value) -> bool:
    if isinstance(value, dict):
        return any(_opaque(v) for v in value.values())
    if isinstance(value, list):
        return any(_opaque(v) for v in value)
    return isinstance(value, Opaque)


def entry_line(container, index: int, name) -> int:
    """The line of a plugins/markdown_extensions entry (a list item or a mapping key)."""
    return line_of(container, name if isinstance(container, dict) else index)
