"""Fingerprints of exactly what a steering committee approved: everything a module page shows or ships.

An approval covers, each by course-relative path:

* the module's ``index.md`` (its front matter without ``review``, and its body) and ``questionnaire.yml``,
  digested from the parsed YAML so re-indenting or a comment does not make an approval stale;
* every story and data set it embeds, as ``patientvoice.course.blocks`` finds them at any indentation (the same parse
  the renderer is held to);
* every other file in the module's folder, which mkdocs copies into the site (``files/``, images; hidden files
  are left out, as mkdocs leaves them out);
* every file elsewhere in ``modules/`` that the body links to or shows (an image in a shared folder);
* the PAG file of every embedded story (``source_pag``) and data set (``pag``): the PAG's name and
  relationship are printed on the module page and in the PDF;
* ``mkdocs.yml``, digested from its parsed YAML (the course's own reader, mkdocs' tags kept as text), since
  its copyright, logo, extra CSS and JavaScript, extensions and navigation reach every page; the deployment
  settings (``DEPLOYMENT_KEYS``, and the patientvoice options other than ``evaluation``) are left out;
* the files ``extra_css`` and ``extra_javascript`` name in ``modules/``;
* every file of the effective theme, as ``theme/<path>``: the course's ``theme/`` over the package's default
  theme (site/theme.py); overrides, CSS, JavaScript and fonts reach every page, wherever they come from.

Files are digested as raw bytes. A symbolic link is digested by where it points and never followed, and a pipe or
device by its kind, so a fingerprint never reads outside the course or blocks on a special file (the checks
refuse both; the fingerprint must still not hang before they run).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import stat
from pathlib import Path
from urllib.parse import unquote

from patientvoice.course.model import Course, Module
from patientvoice.course.sources import named_entries
from patientvoice.problems import Problems

SITE_CONFIG = "mkdocs.yml"
# Where and how the site is built and deployed: not what a learner reads (the patientvoice plugin's options other
# than ``evaluation`` are left out too: collector addresses, attempts, paper, pdf).
DEPLOYMENT_KEYS = {"site_url", "site_dir", "dev_addr", "strict", "watch", "remote_branch", "remote_name", "validation"}

THEME = "theme"
NEVER_PUBLISHED = {"index.md", "questionnaire.yml"}  # digested from their parsed YAML instead of their bytes
LINK_RES = (  # (a substring every match contains, so most bodies skip the pattern; the pattern)
    ("](", re.compile(r"\]\(\s*<?([^)\s>]+)")),  # [text](url) and ![alt](url)
    ("]:", re.compile(r"(?m)^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)")),  # [ref]: url
    ("<", re.compile(r"""(?i)<[a-z][^>]*?\b(?:src|href|srcset|poster|data)\s*=\s*["']?([^"'\s>]+)""")),  # raw HTML
)
SCHEME_RE = re.compile(r"^[A-Za-z][\w+.-]*:")


def _canon(value):
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canon(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str) and type(value) is not str:
        # site.options.Opaque (!ENV [VAR, default], !!python/name:x): the tag and what is written under it
        return {"!tag": str(value), "value": _canon(getattr(value, "written", None))}
    return value


def _digest(data, body: str | None = None) -> str:
    # Canonical JSON of the parsed YAML, so re-indenting or comments do not make an approval stale.
    text = json.dumps(_canon(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if body is not None:
        text += "\n---\n" + "\n".join(line.rstrip() for line in body.replace("\r\n", "\n").strip().splitlines())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes; a symlink by its target text, a pipe, socket or device by its kind (never read)."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        return hashlib.sha256(b"symlink\0" + os.fsencode(os.readlink(path))).hexdigest()
    if not stat.S_ISREG(st.st_mode):
        return hashlib.sha256(f"special\0{stat.S_IFMT(st.st_mode)}".encode()).hexdigest()
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _tree(folder: Path, skip: set[str] = frozenset()) -> list[Path]:
    """Files under ``folder`` as mkdocs would publish them: no hidden entries, symlinked folders not entered."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):  # followlinks=False: a linked folder is listed as a file
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        out += [here / n for n in sorted(filenames) if not n.startswith(".") and not (here == folder and n in skip)]
        out += [here / d for d in dirnames if (here / d).is_symlink()]
    return out


def linked_files(course: Course, module: Module) -> list[str]:
    """Course-relative paths of files in ``modules/`` outside the module's folder that its body links to or shows.

    Pages (``.md``) are left out: another module's page is covered by that module's own approval.
    """
    folder = module.path.parent.relative_to(course.root).as_posix()
    found = set()
    for needle, pattern in LINK_RES:
        for m in pattern.finditer(module.body) if needle in module.body else ():
            url = unquote(m.group(1).split("#", 1)[0].split("?", 1)[0])
            if not url or SCHEME_RE.match(url) or url.startswith("//"):
                continue
            target = os.path.normpath(f"modules/{url.lstrip('/')}" if url.startswith("/") else f"{folder}/{url}")
            if (target.startswith("modules/") and not target.startswith(folder + "/") and not target.endswith(".md")
                    and (os.path.isfile(course.root / target) or os.path.islink(course.root / target))):
                found.add(Path(target).as_posix())
    return sorted(found)


def _theme(course: Course) -> dict[str, str]:
    """Digests of the effective theme as ``theme/<rel>``, once per loaded course (every approval covers them).

    The effective theme is what learners get (site/theme.py): the course's theme/ files over the package's
    default theme. So moving a file between the two changes nothing, and a patientvoice upgrade that changes
    a script, stylesheet or font learners get makes approvals stale, as a course edit would.
    """
    memo = course.__dict__.setdefault("_digests", {})
    if THEME not in memo:
        theme = course.root / THEME
        # A linked theme folder is digested as the link (never entered); check refuses a link out of the course.
        paths = [theme] if theme.is_symlink() else _tree(theme) if theme.is_dir() else []
        own = {p.relative_to(course.root).as_posix(): file_digest(p) for p in paths}
        memo[THEME] = dict(sorted({**_package_theme(), **own}.items()))
    return memo[THEME]


@functools.lru_cache(maxsize=1)
def _package_theme() -> dict[str, str]:
    """Digests of the package's default theme as ``theme/<rel>``: once per process (an upgrade is a new process)."""
    from patientvoice.site.theme import PACKAGE_THEME

    return {f"{THEME}/{p.relative_to(PACKAGE_THEME).as_posix()}": file_digest(p) for p in _tree(PACKAGE_THEME)}


def _site(course: Course) -> dict[str, str]:
    """mkdocs.yml's canonical digest and the files in modules/ its extra_css/extra_javascript name (memoised)."""
    memo = course.__dict__.setdefault("_digests", {})
    if SITE_CONFIG not in memo:
        from patientvoice.site.exposure import script_path
        from patientvoice.site.mkdocs_yml import load_site_config

        path, out = course.root / SITE_CONFIG, {}
        if os.path.lexists(path):
            cfg = load_site_config(course.root, Problems(course.root))
            # Unreadable YAML (check reports it) is digested by its bytes, so any edit still counts.
            out[SITE_CONFIG] = _digest(_reviewed(cfg)) if cfg is not None else file_digest(path)
            for key in ("extra_css", "extra_javascript"):
                items = cfg.get(key) if cfg is not None else None
                for item in items if isinstance(items, list) else []:
                    entry = script_path(item) if key == "extra_javascript" else item
                    if not isinstance(entry, str) or SCHEME_RE.match(entry) or entry.startswith("//"):
                        continue
                    target = os.path.normpath("modules/" + entry.split("#", 1)[0].split("?", 1)[0].lstrip("/"))
                    if target.startswith("modules/") and os.path.lexists(course.root / target):
                        out[Path(target).as_posix()] = file_digest(course.root / target)
        else:  # a course added to a host docs site: the host's settings that shape its pages (site/addon.py)
            from patientvoice.site.addon import host_reviewed

            host = host_reviewed(course.root)
            if host is not None:
                out[SITE_CONFIG] = _digest(host)
        memo[SITE_CONFIG] = out
    return memo[SITE_CONFIG]


def _evaluation_only(options):
    return {"evaluation": options["evaluation"]} if isinstance(options, dict) and "evaluation" in options else {}


def _reviewed(cfg) -> dict:
    """mkdocs.yml less the settings that say where and how the site is deployed, not what learners read.

    A test server, a staging collector or another credit policy must not re-open the committee's review; the
    evaluation questions (shown to every learner) stay in.
    """
    out = {k: v for k, v in cfg.items() if k not in DEPLOYMENT_KEYS}
    theme = out.get("theme")
    if isinstance(theme, dict) and "custom_dir" not in theme:
        # The course's theme/ is merged over the package's whether mkdocs.yml names it or not (site/theme.py),
        # and its files are digested as the theme: naming it or leaving it out is the same published site.
        out["theme"] = {**theme, "custom_dir": THEME}
    plugins = out.get("plugins")
    if isinstance(plugins, (list, dict)):
        # '- patientvoice' and '- patientvoice: {submit_url: ...}' are the same plugin with other deployment options.
        names = [(name, _evaluation_only(opts) if name == "patientvoice" else opts)
                 for name, opts in named_entries(plugins)]
        out["plugins"] = [[str(name), opts] for name, opts in names]
    return out


def approved_files(course: Course, module: Module) -> dict[str, str]:
    """Map each file that an approval covers (course-relative path) to the digest of its content."""
    rel = lambda p: p.relative_to(course.root).as_posix()  # noqa: E731
    meta = {k: v for k, v in module.src.items() if k != "review"}
    files = {rel(module.path): _digest(meta, module.body)}
    if module.questionnaire is not None:
        files[rel(module.questionnaire.path)] = _digest(module.questionnaire.src)
    # Stories and data sets are shared between modules (and embedded several times in one): digest each
    # once per loaded course.
    memo = course.__dict__.setdefault("_digests", {})
    for block in module.blocks:
        ident, _ = block.target
        record = (course.stories.get(ident) if block.name == "story"
                  else course.datasets.get(ident) if block.name == "pag-data" else None)
        pag = (course.pags.get(getattr(record, "source_pag", None) or getattr(record, "pag", None) or "")
               if record is not None else None)
        for rec in (record, pag):
            if rec is not None and rel(rec.path) not in files:
                if rec.path not in memo:
                    memo[rec.path] = _digest(rec.src, getattr(rec, "body", None))
                files[rel(rec.path)] = memo[rec.path]
    for path in _tree(module.path.parent, NEVER_PUBLISHED):
        files[rel(path)] = file_digest(path)
    for path in linked_files(course, module):
        files[path] = file_digest(course.root / path)
    files.update(_theme(course))
    files.update(_site(course))
    return dict(sorted(files.items()))


def fingerprint(files: dict[str, str]) -> str:
    """Combine per-file digests into the ``sha256:…`` fingerprint stored in an approval."""
    manifest = "".join(f"{path}\0{digest}\n" for path, digest in sorted(files.items()))
    return "sha256:" + hashlib.sha256(manifest.encode("utf-8")).hexdigest()


def short(digest: str) -> str:
    """The 16-hex prefix stored per file in an approval's ``files`` map."""
    return digest[:16]
