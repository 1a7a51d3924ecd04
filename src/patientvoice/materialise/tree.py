"""Write the materialised docs tree: every page as plain Markdown/HTML, the files beside them, the assets.

The page content comes from the core functions the mkdocs plugin uses too (render.activity_info,
site/pages.module_path and generated_pages, the ``///`` extension), so every engine publishes the same pages.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import yaml

from patientvoice.course.model import Course, Module
from patientvoice.materialise.blocks import expand_blocks
from patientvoice.materialise.options import plugin_options
from patientvoice.security.files import publishable
from patientvoice.site.module_page import module_page
from patientvoice.site.pages import module_condition, navigation, page_plans
from patientvoice.site.theme import COURSE_THEME, theme_files

ASSETS = ["assets/patientvoice.css"]
SCRIPTS = ["assets/patientvoice.js", "assets/questionnaire-store.js", "assets/questionnaire.js", "assets/claim.js",
           "assets/journey.js"]
MARKUP_FIXES = [
    # Material marks its drawer checkboxes autocomplete="off" (a Firefox workaround), which HTML does not allow
    # on checkboxes; the site must validate, and Firefox restoring an open drawer is harmless.
    (' type="checkbox" id="__drawer" autocomplete="off">', ' type="checkbox" id="__drawer">'),
    (' type="checkbox" id="__search" autocomplete="off">', ' type="checkbox" id="__search">'),
    # The search overlay is a dialog without a name (WCAG 4.1.2, axe: aria-dialog-name).
    ('data-md-component="search" role="dialog">', 'data-md-component="search" role="dialog" aria-label="Search">'),
]


def mend_markup(html: str) -> str:
    """A page's HTML with MARKUP_FIXES applied (the plugin per page, the other engines' adapters per file)."""
    for old, new in MARKUP_FIXES:
        html = html.replace(old, new)
    return html


ANSWER_KEYS = "questionnaire.yml"  # every phase's answer key: only the post-test page may carry it
# libyaml when PyYAML has it: a thousand front matters round-trip in a tenth of the time (same safe schema).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
META_KEYS = ("description", "hide", "template", "icon", "status", "search")  # front matter an engine reads


class MaterialiseError(Exception):
    """The course cannot be laid out as a docs tree (a hand-made page in the way of a generated one)."""


@dataclass
class Tree:
    """A materialised course: its docs folder, what each page is and the settings the engine config needs."""

    docs: Path
    pages: dict[str, str] = field(default_factory=dict)  # source path → "module", "generated" or "file"
    nav: list = field(default_factory=list)
    extra_css: list[str] = field(default_factory=list)
    extra_javascript: list[str] = field(default_factory=list)
    templates: Path | None = None  # the course theme, when it overrides templates (custom_dir)
    options: dict = field(default_factory=dict)
    written: list[str] = field(default_factory=list)  # paths this call wrote or removed (see materialise)


def front_matter(meta: dict) -> str:
    """A YAML front matter block; the title is HTML-escaped, as engines print it unescaped."""
    meta = {**meta, "title": escape(str(meta["title"]))} if "title" in meta else meta
    # Plain types only (the course reader's line-keeping mappings are no YAML types); one unbroken line each.
    meta = json.loads(json.dumps(meta, default=str))
    text = yaml.dump(meta, Dumper=_DUMPER, default_style='"', allow_unicode=True, width=1 << 30, sort_keys=False)
    return f"---\n{text}---\n\n"


def module_page_markdown(course: Course, module: Module, options: dict, body: str, *, handouts: bool = False) -> str:
    """A module page's Markdown (site/module_page.py): title, summary, activity information, journey, ``body``.

    ``handouts``: the build publishes this module's PDFs in the site, so the page links them.
    """
    from patientvoice.site.questionnaire import REQUIRED_KINDS, evaluation_items

    required = [i.id for i in evaluation_items(options["evaluation"]) if i.kind in REQUIRED_KINDS]
    return module_page(course, module, body, attempts=options["attempts"], show_key=options["show_key"],
                       evaluation=required, handouts=handouts)


def site_pages(course: Course, options: dict) -> dict[str, str]:
    """Every generated page (stories, PAGs, faculty, questionnaire phases, claim) for the plugin's options."""
    return {uri: plan.make() for uri, plan in site_plans(course, options).items()}


def site_plans(course: Course, options: dict) -> dict:
    """site_pages, each page as a site.pages.Plan (made on demand)."""
    from patientvoice.credit.claim_page import claim_url
    from patientvoice.site.questionnaire import evaluation_items

    return page_plans(course, submit_url=options["submit_url"], evaluation=evaluation_items(options["evaluation"]),
                      attempts=options["attempts"], show_key=options["show_key"],
                      claim_url=claim_url(options["submit_url"], options["claim_url"]))


def _home(course: Course, path: Path) -> str:
    """The home page's text with the module cards put in; its front matter is kept as written."""
    from patientvoice.site.home import home_page

    text = _guarded(course, path)
    text = text if isinstance(text, str) else path.read_text(encoding="utf-8")
    head, body = "", text
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        meta, _, body = text[4:].partition("\n---\n")
        head = f"---\n{meta}\n---\n"
    return head + home_page(course, body)


def _guarded(course: Course, path: Path) -> str | Path:
    """A page of the author's own in modules/: its file, or a placeholder when the renderer must not be given it.

    `build` stops on content.too-complex before it gets here; a preview builds despite problems, and a page the
    renderer chokes on would stall every rebuild (stories and module bodies: engines/incremental._refuse_complex).
    """
    from patientvoice.security.complexity import placeholder, too_complex

    text = course.pages.get(path) if path.suffix == ".md" else None
    reason = too_complex(text) if text else None
    return placeholder("this page", reason) + "\n" if reason else path


def _escape_title(text: str) -> str:
    """A generated page with its front matter title HTML-escaped (see front_matter)."""
    if not text.startswith("---\n"):
        return text
    head, _, rest = text[4:].partition("\n---\n")
    return front_matter(yaml.load(head, Loader=_LOADER) or {}) + rest.lstrip("\n")


def materialise(course: Course, out: Path, cfg: dict, *, cache: dict | None = None,
                digests: dict[str, str] | None = None, handouts: bool = False) -> Tree:
    """Write the checked ``course`` as a plain docs tree in ``out``; ``cfg`` is its mkdocs.yml.

    Only files whose content changed are written, and files no longer part of the tree are removed, so a
    second call after an edit touches just the affected pages (``Tree.written``) and an engine's dirty or
    incremental build redoes only those. With ``digests`` (course path → file digest) and a ``cache`` dict kept
    between calls, a module page whose files did not change, and the generated pages while no file they show
changed (materialise/depends.py), are not rendered again.
    """
    from patientvoice.materialise.depends import module_key, page_base, page_key, shared_key

    from patientvoice.pdf.html import site_settings

    out = Path(out)
    root = Path(course.root)
    tree = Tree(out, options=plugin_options(cfg))
    settings = site_settings(root)
    modules = {str(m.path): m for m in course.modules.values()}  # the loader's paths, as the walk spells them
    planned: dict[str, str | Path] = {}  # tree path → page text, or the course file to copy
    use_cache = cache is not None and digests is not None
    shared = shared_key(digests) if use_cache else ""
    for rel, path in module_sources(root).items():
        module = modules.get(str(path))
        if module is not None:
            key = module_key(course, module, digests, shared) if use_cache else None
            if use_cache and cache.get(rel, (None,))[0] == key:
                planned[rel] = cache[rel][1]
            else:
                meta = {"title": module.title, **{k: module.src[k] for k in META_KEYS if k in (module.src or {})}}
                body = expand_blocks(course, module, settings)
                planned[rel] = front_matter(meta) + module_page_markdown(course, module, tree.options, body,
                                                                         handouts=handouts)
                if use_cache:
                    cache[rel] = (key, planned[rel])
            tree.pages[rel] = "module"
        elif rel == "index.md":
            # The home page: the author's text with a card per module (site/home.py), as the plugin shows it.
            # A card shows its module's front matter, the condition most of its stories share (story files
            # are not in ``shared``) and whether it has expired by today (site/home.py).
            key = (digests.get("modules/index.md"), shared, str(dt.date.today()),
                   [(m.id, repr(m.src), module_condition(course, m)) for m in course.modules.values()]) \
                if use_cache else None
            if use_cache and cache.get(rel, (None,))[0] == key:
                planned[rel] = cache[rel][1]
            else:
                planned[rel] = _home(course, path)
                if use_cache:
                    cache[rel] = (key, planned[rel])
            tree.pages[rel] = "generated"
        else:
            planned[rel] = _guarded(course, path)
            tree.pages[rel] = "file"
    generated = {}
    base = page_base(shared, tree.options)
    for rel, plan in site_plans(course, tree.options).items():
        # Each generated page is made again only when what it shows changed (materialise/depends.py).
        key = page_key(course, plan, digests, base) if use_cache else None
        if use_cache and cache.get(rel, (None,))[0] == key:
            generated[rel] = cache[rel][1]
            continue
        generated[rel] = _escape_title(plan.make())
        if use_cache:
            cache[rel] = (key, generated[rel])
    clashes = sorted(tree.pages.keys() & generated.keys())
    if clashes:
        raise MaterialiseError(f"{', '.join(clashes)} in modules/ would replace a page patientvoice generates "
                               "(story library, PAG, faculty or questionnaire); rename it")
    for rel, text in generated.items():
        planned[rel] = text
        tree.pages[rel] = "generated"
    _theme(root, tree, planned)
    tree.nav = cfg.get("nav") or navigation(course)
    tree.written = _sync(out, planned, cache if use_cache else None)
    return tree


def module_sources(root: Path) -> dict[str, Path]:
    """The files of modules/ an engine may publish, by their path under modules/, in walk order: no answer keys,
    no hidden files or folders, nothing that is not a regular file inside the course."""
    source = root / "modules"
    # A walk that does not follow links stays inside modules/ when modules/ itself does: a file there that is
    # no link needs no resolving (publishable resolves every path, a thousand system calls per save).
    inside = not os.path.islink(source)
    out = {}
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if not name.startswith(".") and name != ANSWER_KEYS and _publishable(path, root, inside):
                out[path.relative_to(source).as_posix()] = path
    return out


def _publishable(path: Path, root: Path, inside: bool) -> bool:
    """security.files.publishable, without resolving a plain regular file found by a walk that stays inside."""
    if not inside:
        return publishable(str(path), root)
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    return publishable(str(path), root) if stat.S_ISLNK(mode) else stat.S_ISREG(mode)


def _sync(out: Path, planned: dict[str, str | Path], memo: dict | None = None) -> list[str]:
    """Make ``out`` hold exactly ``planned``, writing only what differs; return the paths written or removed.

    With a ``memo`` kept between calls (what the last call wrote), a page whose text is the one written last
    time is not read back, and only pages planned last time are looked for to remove: a save in a large course
    then costs no walk of the tree.
    """
    changed = []
    last = memo.get("\0synced") if memo is not None else None
    for rel, content in planned.items():
        target = out / rel
        if last is not None and rel in last and _same(last[rel], content) and os.path.exists(target):
            continue
        data = content.read_bytes() if isinstance(content, Path) else content.encode("utf-8")
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed.append(rel)
    if last is not None:
        for rel in sorted(last.keys() - planned.keys()):
            target = out / rel
            if target.is_file():
                target.unlink()
                changed.append(rel)
            for folder in target.parents:  # the folders it leaves empty
                if folder == out or not folder.is_dir() or any(folder.iterdir()):
                    break
                folder.rmdir()
    elif out.is_dir():
        for path in sorted(out.rglob("*"), reverse=True):  # files before their folders
            rel = path.relative_to(out).as_posix()
            if path.is_file() and rel not in planned:
                path.unlink()
                changed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    if memo is not None:
        memo["\0synced"] = {rel: _state(content) for rel, content in planned.items()}
    return changed


def _state(content: str | Path):
    """What _sync remembers of a planned file: a page's text, or a copied file's path and state."""
    if isinstance(content, Path):
        try:
            st = content.stat()
            return content, st.st_mtime_ns, st.st_ctime_ns, st.st_size
        except OSError:
            return None
    return content


def _same(remembered, content: str | Path) -> bool:
    return remembered is not None and remembered == _state(content)


def _theme(root: Path, tree: Tree, planned: dict) -> None:
    """Copy the effective theme's static files (the course's theme/ over the package's) into the tree."""
    files = theme_files(root)
    for rel, path in files.items():
        if rel in tree.pages or not path.is_file() or not publishable(str(path), root):
            continue
        if path.suffix == ".html":  # a template override: the engine reads it from the course's theme folder
            tree.templates = root / COURSE_THEME
            continue
        planned[rel] = path
        tree.pages[rel] = "asset"
    tree.extra_css = [a for a in ASSETS if a in files]
    tree.extra_javascript = [s for s in SCRIPTS if s in files]
