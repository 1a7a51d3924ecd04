"""The engine's configuration, derived from the course's mkdocs.yml for a materialised tree.

The course's own settings are kept (site name, theme, palette, Markdown extensions, other plugins); what
patientvoice did as a plugin is now already in the tree, so the patientvoice plugin entry goes, the docs folder
is the tree, the nav and the assets are patientvoice's, and ``!ENV`` values are resolved. Each engine adapter
then writes this mapping in its own file name and format.
"""

from __future__ import annotations

from patientvoice.site.defaults import apply_defaults

from pathlib import Path

import yaml

from patientvoice.course.sources import named_entries
from patientvoice.materialise.tree import Tree
from patientvoice.site.options import Opaque, resolve


class _Dumper(yaml.SafeDumper):
    """Writes ``!!python/name:`` values back as the tag (the engine imports them, as mkdocs would)."""


def _opaque(dumper, value: Opaque):
    if value.startswith("name:"):
        return dumper.represent_scalar(f"tag:yaml.org,2002:python/{value}", "")
    return dumper.represent_data(resolve(value))


_Dumper.add_representer(Opaque, _opaque)


def engine_config(cfg: dict, tree: Tree, site_dir: Path, *, keep_plugins: bool = True) -> dict:
    """The engine config for ``tree``, building into ``site_dir`` (both beside the config file); ``keep_plugins=False`` keeps only search."""
    out = {k: v for k, v in dict(cfg).items() if k not in ("hooks", "INHERIT", "watch")}
    # Relative to the config file, which is written beside the tree (Zensical refuses absolute paths).
    out["docs_dir"] = tree.docs.name
    out["site_dir"] = Path(site_dir).name
    out["nav"] = tree.nav
    theme = dict(cfg.get("theme") or {"name": "material"}) if not isinstance(cfg.get("theme"), str) \
        else {"name": cfg["theme"]}
    theme.pop("custom_dir", None)
    if tree.templates is not None:
        theme["custom_dir"] = str(tree.templates)
    out["extra"] = dict(cfg.get("extra") or {})
    # The defaults every course gets (no generator credit, light/dark toggle, prev/next links; fonts never from
    # Google), exactly as the plugin applies them (site/defaults.py).
    apply_defaults(theme, out["extra"], custom_colours=any(c.endswith("patientvoice.css") for c in tree.extra_css))
    out["theme"] = theme
    out["extra_css"] = [*tree.extra_css, *(cfg.get("extra_css") or [])]
    out["extra_javascript"] = [*tree.extra_javascript, *(cfg.get("extra_javascript") or [])]
    plugins = [(n, o) for n, o in named_entries(cfg.get("plugins") or ["search"]) if n != "patientvoice"]
    if not keep_plugins:
        plugins = [(n, o) for n, o in plugins if n == "search"]
    out["plugins"] = [{n: o} if o else n for n, o in plugins]
    # Story pages are reached from the story library, not the nav (as the plugin marks them).
    out["not_in_nav"] = "\n".join(filter(None, [cfg.get("not_in_nav"), "/stories/*.md", "!/stories/index.md"]))
    out["exclude_docs"] = "\n".join(filter(None, [cfg.get("exclude_docs"), "questionnaire.yml"]))
    return out


def _plain(value):
    """Plain dicts, lists and strings (the course reader's line-keeping subclasses are not YAML types)."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, str) and not isinstance(value, Opaque):
        return str(value)
    return value


def dump(config: dict) -> str:
    """The config as YAML text, python/name tags written back."""
    return yaml.dump(_plain(config), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=float("inf"))
