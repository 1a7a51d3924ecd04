"""Property-based fuzzing of the content files: whatever an author (or a broken editor, or an attacker) saves,
patientvoice answers with ``path:line`` problems within seconds, never a traceback or a hang, and never
publishes while ``check`` reports errors.

Each example starts from the minimal approved course (tests/coursekit.py) and applies one mutation: truncation,
a wrong type, deep nesting, YAML aliases (a 9x9 alias bomb too), odd characters (NUL, BOM, CRLF, lone
surrogates), unterminated or indented blocks, odd ids, symlinks in and out of the course, special files, binary
files, ``!!set``/``!!binary`` tags. ``check``, ``review approve`` and ``build`` run in a forked child so that a
hang is a failure after TIME_LIMIT seconds, not a stuck suite; a subset runs the real CLI.

Bounded for CI (derandomized, so a failure reproduces): ``PATIENTVOICE_FUZZ_EXAMPLES=N`` runs N examples per
mutation kind in-process (and N/5 through the CLI); ``PATIENTVOICE_FUZZ_SHRINK=1`` lets hypothesis shrink a
failure to its smallest form (slow when the failure is a hang).
"""

from __future__ import annotations

import json
import os
import pickle
import select
import shutil
import signal
import tempfile
import time
import traceback
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from coursekit import BASE, MODULE, MODULE_MD, STORY, make_course
from hostilekit import run_cli
from sitekit import REPO

EXAMPLES = int(os.environ.get("PATIENTVOICE_FUZZ_EXAMPLES", "0") or 0)
TIME_LIMIT = 10.0  # seconds a check (or approve, or a refused build) may take on any input
SECRET = "QXZ7731"
FILES = sorted(BASE)
YAML_FILES = [f for f in FILES if f.endswith(".yml")]
MD_FILES = [f for f in FILES if f.endswith(".md")]


def _settings(default: int):
    phases = [Phase.explicit, Phase.reuse, Phase.generate]
    if os.environ.get("PATIENTVOICE_FUZZ_SHRINK"):
        phases.append(Phase.shrink)
    return settings(max_examples=EXAMPLES or default, deadline=None, derandomize=True, database=None,
                    phases=phases, suppress_health_check=list(HealthCheck), print_blob=True)


class Mutation:
    """A drawn mutation: callable on a course root, returning (path it changed, must_error); its repr says what
    it does, so hypothesis prints a readable failing example."""

    def __init__(self, apply, **what):
        self.apply, self.what = apply, what

    def __call__(self, root: Path):
        return self.apply(root)

    def __repr__(self):
        return "Mutation(" + ", ".join(f"{k}={v!r:.80}" for k, v in self.what.items()) + ")"


# --- mutations ---------------------------------------------------------------------------------------------
# Each strategy draws a function course_root -> (path it changed, must_error); must_error says the mutation is
# one check must report as an error on that path (a symlink out of the course, a bomb, a binary file…).

def _split_front(text: str) -> tuple[str, str] | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 4)
    return (text[4:end + 1], text[end + 5:]) if end > 0 else None


def _yaml_part(text: str, rel: str) -> tuple[str, callable]:
    """The YAML of a file (its front matter for Markdown) and a function that puts new YAML back."""
    if rel.endswith(".yml"):
        return text, lambda y: y
    front, body = _split_front(text)
    return front, lambda y: f"---\n{y}---\n{body}"


def _paths(node, prefix=()):
    """Every key path in a YAML tree."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _set(node, path, value):
    if not path:
        return value
    node[path[0]] = _set(node[path[0]], path[1:], value)
    return node


WRONG_VALUES = st.sampled_from([
    None, "", " ", 0, -1, 10**30, 1e308, float("nan"), True, [], {}, [[[]]], {"a": {"b": [1]}}, "x" * 5000,
    "2026-02-30", "../../etc/passwd", "Robert'); DROP TABLE", "\u202eevil", "<b>bold</b>", ["a", 1, None],
])


@st.composite
def wrong_type(draw):
    rel = draw(st.sampled_from([f for f in FILES if f != "modules/index.md"]))
    part, _ = _yaml_part(BASE[rel], rel)
    path = draw(st.sampled_from(sorted(_paths(yaml.safe_load(part)), key=repr)))
    value = draw(WRONG_VALUES)

    def apply(root: Path):
        text = (root / rel).read_text(encoding="utf-8")
        part, put = _yaml_part(text, rel)
        data = _set(yaml.safe_load(part), path, value)
        (root / rel).write_text(put(yaml.safe_dump(data, allow_unicode=True, sort_keys=False)), encoding="utf-8")
        return rel, False
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


@st.composite
def truncation(draw):
    rel = draw(st.sampled_from(FILES))
    cut = draw(st.floats(0, 1))

    def apply(root: Path):
        data = (root / rel).read_bytes()
        (root / rel).write_bytes(data[: int(len(data) * cut)])  # may cut a multi-byte character in half
        return rel, False
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


def _nested(depth: int, style: str) -> str:
    if style == "flow-list":
        return "[" * depth + "1" + "]" * depth
    if style == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    return "\n" + "".join("  " * (i + 1) + "- \n" for i in range(depth - 1)) + "  " * depth + "- 1"


@st.composite
def deep_nesting(draw):
    rel = draw(st.sampled_from([f for f in FILES if f != "modules/index.md"]))
    depth = draw(st.sampled_from([60, 250, 500, 2000]))
    style = draw(st.sampled_from(["flow-list", "flow-map", "block-list"]))

    def apply(root: Path):
        text = (root / rel).read_text(encoding="utf-8")
        part, put = _yaml_part(text, rel)
        first = part.splitlines()[0]
        key = first.split(":")[0]
        rest = "\n".join(part.splitlines()[1:])
        (root / rel).write_text(put(f"{key}: {_nested(depth, style)}\n{rest}\n"), encoding="utf-8")
        return rel, depth >= 250
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


def _bomb(width: int, levels: int) -> str:
    lines = [f"x0: &a0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@st.composite
def aliases(draw):
    rel = draw(st.sampled_from([f for f in FILES if f != "modules/index.md"]))
    kind = draw(st.sampled_from(["bomb", "bomb-in-value", "small", "merge-key"]))

    def apply(root: Path):
        text = (root / rel).read_text(encoding="utf-8")
        part, put = _yaml_part(text, rel)
        lines = part.splitlines()
        key = lines[0].split(":")[0]
        if kind == "bomb":
            new = _bomb(9, 9) + part
        elif kind == "bomb-in-value":  # the bomb is the value of a real field, so the checks walk it
            bomb = _bomb(9, 9).splitlines()
            bomb[-1] = bomb[-1].replace("x8:", f"{key}:", 1)
            new = "\n".join(bomb + lines[1:]) + "\n"
        elif kind == "small":
            new = f"{key}: &v {lines[0].split(':', 1)[1].strip() or 'x'}\nextra: *v\n" + "\n".join(lines[1:]) + "\n"
        else:
            new = "base: &b {x: 1}\n" + part + "merged:\n  <<: *b\n"
        (root / rel).write_text(put(new), encoding="utf-8")
        return rel, kind.startswith("bomb")
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


ODD_TEXT = st.sampled_from(["\x00", "\ufeff", "\r\n", "\r", "\u2028", "\u0085", "\x1b[31m", "\t", "\u200b",
                            "\U0001F600", "\\", "\"", "'", ":", "#", "{{", "{%", "&", "*", "!", "|", ">", "%"])


@st.composite
def odd_characters(draw):
    rel = draw(st.sampled_from(FILES))
    kind = draw(st.sampled_from(["insert", "bom", "crlf", "surrogate", "random-text"]))
    pos = draw(st.floats(0, 1))
    inserted = draw(ODD_TEXT) if kind == "insert" else draw(st.text(min_size=1, max_size=40))

    def apply(root: Path):
        data = (root / rel).read_bytes()
        at = int(len(data) * pos)
        if kind == "bom":
            data = b"\xef\xbb\xbf" + data
        elif kind == "crlf":
            data = data.replace(b"\n", b"\r\n")
        elif kind == "surrogate":  # a lone surrogate: not UTF-8 at all
            data = data[:at] + b"\xed\xa0\x80" + data[at:]
        else:
            data = data[:at] + inserted.encode("utf-8", "surrogatepass") + data[at:]
        (root / rel).write_bytes(data)
        return rel, kind == "surrogate"
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


BLOCK_EDITS = [
    ("remove-close", None),
    ("unclosed", "\n/// story | maria-itch\n"),
    ("unclosed-outer", "\n//// web-only\n/// story | maria-itch\n///\n"),
    ("indented-in-list", "\n- a point\n\n    /// story | maria-itch\n    ///\n"),
    ("indented-4", "\n    /// story | maria-itch#work\n    ///\n"),
    ("odd-argument", "\n/// story | ../../etc/passwd\n///\n"),
    ("odd-fragment", "\n/// story | maria-itch#../../x\n///\n"),
    ("unknown-block", "\n/// script | alert\n///\n"),
    ("options", "\n/// pag-data | pbc-symptoms-2024#fatigue-limits\n    show: [1, 2]\n    x: !!binary aGk=\n///\n"),
    ("deep-blocks", "\n" + "".join(f"{'/' * (3 + i)} web-only\n" for i in range(40, 0, -1))
     + "".join(f"{'/' * (3 + i)}\n" for i in range(1, 41))),
    ("code-fence", "\n```\n/// story | maria-itch\n"),
]


@st.composite
def blocks(draw):
    name, addition = draw(st.sampled_from(BLOCK_EDITS))
    rel = draw(st.sampled_from([MODULE_MD, STORY]))
    closes = [i for i, line in enumerate(BASE[rel].splitlines()) if line.strip() == "///"]
    drop = draw(st.sampled_from(closes)) if closes else None

    def apply(root: Path):
        text = (root / rel).read_text(encoding="utf-8")
        if name == "remove-close":
            lines = text.splitlines(keepends=True)
            if drop is not None:
                del lines[drop]
            text = "".join(lines)
        else:
            text += addition
        (root / rel).write_text(text, encoding="utf-8")
        return rel, False
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


ODD_NAMES = ["Maria Itch", "-x", "x-", "ünï", ".hidden", "a" * 200, "con", "x.y", "1", "--", "MODULE", "x\ty"]


@st.composite
def odd_ids(draw):
    rel = draw(st.sampled_from([f for f in FILES if f.startswith("content/") and f != "content/provider.yml"]
                               + [f"modules/{MODULE}"]))
    new = draw(st.sampled_from(ODD_NAMES))

    def apply(root: Path):
        src = root / rel
        dest = src.with_name(new + src.suffix)
        src.rename(dest)
        return dest.relative_to(root).as_posix(), False
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


@st.composite
def symlinks(draw):
    rel = draw(st.sampled_from(FILES + ["modules/hearing-the-itch/files/x.txt", "content/stories/extra.md",
                                        "content/people/extra.yml", "theme"]))
    target = draw(st.sampled_from(["outside-file", "outside-dir", "/etc/passwd", "/dev/zero", "/dev/null",
                                   "/proc/self/environ", "self-loop", "dangling", "inside-file", "inside-dir"]))

    def apply(root: Path):
        link = root / rel
        outside = root.parent / "outside"
        outside.mkdir(exist_ok=True)
        (outside / "secret.yml").write_text(f"{SECRET}-key: {SECRET}-value\nname: {SECRET}\n")
        targets = {"outside-file": outside / "secret.yml", "outside-dir": outside, "/etc/passwd": Path("/etc/passwd"),
                   "/dev/zero": Path("/dev/zero"), "/dev/null": Path("/dev/null"),
                   "/proc/self/environ": Path("/proc/self/environ"), "self-loop": link,
                   "dangling": root / "nowhere.yml", "inside-file": root / "content" / "provider.yml",
                   "inside-dir": root / "content"}
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        elif link.exists() or link.is_symlink():
            link.unlink()
        link.symlink_to(targets[target])
        # A symlink out of the course, or to a device, is an error naming the link, wherever it is.
        return rel, target in ("outside-file", "outside-dir", "/etc/passwd", "/proc/self/environ", "/dev/zero",
                               "/dev/null")
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


@st.composite
def special_files(draw):
    rel = draw(st.sampled_from(FILES + ["content/stories/pipe.md", "content/data/pipe.yml"]))
    kind = draw(st.sampled_from(["fifo", "directory", "socket"]))

    def apply(root: Path):
        path = root / rel
        if path.exists():
            path.unlink()
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "directory":
            path.mkdir()
        else:
            import socket

            s = socket.socket(socket.AF_UNIX)
            try:
                s.bind(str(path))
            except OSError:  # a path too long for a socket: a FIFO makes the same point
                os.mkfifo(path)
            finally:
                s.close()
        # (The home page may be missing, so a folder in its place is not necessarily an error.)
        return rel, kind != "directory" or (rel in FILES and rel != "modules/index.md")
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


@st.composite
def binary_files(draw):
    rel = draw(st.sampled_from(FILES + ["content/stories/extra.md", "content/data/extra.yml"]))
    kind = draw(st.sampled_from(["random", "png-header", "huge", "zeros"]))
    noise = draw(st.binary(min_size=1, max_size=2000))

    def apply(root: Path):
        path = root / rel
        if kind == "random":
            data = noise
        elif kind == "png-header":
            data = b"\x89PNG\r\n\x1a\n" + noise
        elif kind == "zeros":
            data = b"\x00" * 4096
        else:  # more than any course file: refused by size, read only in part
            data = b"title: x\n" + b"# " + b"a" * (6 * 1024 * 1024) + b"\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        must = kind in ("huge", "png-header") or (kind == "zeros" and rel != "modules/index.md")
        return rel, must
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


TAGS = ["!!set {a, b}", "!!binary aGVsbG8=", "!!python/object/apply:os.system ['true']", "!!omap [a: 1]",
        "!!pairs [a: 1]", "!!float .nan", "!!timestamp 2001-12-14t21:59:43.10-05:00", "!!str", "!<tag:x,2000:y> 1",
        "!custom 1"]


@st.composite
def tags(draw):
    rel = draw(st.sampled_from([f for f in FILES if f != "modules/index.md"]))
    tag = draw(st.sampled_from(TAGS))

    def apply(root: Path):
        text = (root / rel).read_text(encoding="utf-8")
        part, put = _yaml_part(text, rel)
        lines = part.splitlines()
        key = lines[0].split(":")[0]
        (root / rel).write_text(put(f"{key}: {tag}\n" + "\n".join(lines[1:]) + "\n"), encoding="utf-8")
        must = tag.startswith(("!!set", "!!binary", "!!python", "!!omap", "!!pairs", "!<", "!custom"))
        return rel, must
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


@st.composite
def complexity(draw):
    """Inputs that are slow for naive code: a long line for the de-identification scan, brackets, nesting."""
    kind = draw(st.sampled_from(["www", "brackets", "spans", "emphasis", "quotes", "long-line"]))
    rel = draw(st.sampled_from([STORY, MODULE_MD]))

    def apply(root: Path):
        add = {"www": "www." * 16000, "brackets": "[" * 8000, "spans": "<span>" * 20000 + "x" + "</span>" * 20000,
               "emphasis": "*a " * 20000, "quotes": "> " * 5000 + "x", "long-line": "word " * 200000}[kind]
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write("\n\n" + add + "\n")
        return rel, False
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


MUTATIONS = {"wrong-type": wrong_type(), "truncation": truncation(), "deep-nesting": deep_nesting(),
             "aliases": aliases(), "odd-characters": odd_characters(), "blocks": blocks(), "odd-ids": odd_ids(),
             "symlinks": symlinks(), "special-files": special_files(), "binary": binary_files(), "tags": tags()}


# --- running check, approve and build in a child with a time limit ------------------------------------------

def _child(root: Path) -> dict:
    """Approve the module as it now is (as `review approve` would), then check, then build (without a site
    configuration, so only build's own check and refusal run here; the CLI test below publishes for real)."""
    import datetime as dt

    from patientvoice.review.approve import ApproveError, approve
    from patientvoice.build import BuildError, build
    from patientvoice.check import check_course
    from patientvoice.course.loader import load_course

    timings = {}
    start = time.perf_counter()
    loaded, _ = load_course(root)
    if MODULE in loaded.modules:
        try:
            approve(loaded, MODULE, ["anna-lee", "tom-okafor"], "approved", dt.date(2026, 1, 10))
        except ApproveError:
            pass
    timings["approve"] = time.perf_counter() - start
    start = time.perf_counter()
    course, problems = check_course(root, dt.date(2026, 6, 1))
    timings["check"] = time.perf_counter() - start
    out = {"problems": [p.as_dict() for p in problems]}
    start = time.perf_counter()
    try:
        build(root, pdf=False, today=dt.date(2026, 6, 1), progress=lambda m: None)
        out["built"] = True
    except BuildError as exc:
        out["built"] = False
        out["build_error"] = str(exc)
    timings["build"] = time.perf_counter() - start
    out["timings"] = timings
    return out


def run_isolated(root: Path, limit: float = 2 * TIME_LIMIT) -> dict:
    """Run check, approve and build on ``root`` in a forked child; a traceback or a hang becomes a failure."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        try:
            signal.alarm(0)
            result = {"ok": _child(root)}
        except BaseException:  # noqa: BLE001 - any escape is the finding
            result = {"traceback": traceback.format_exc(limit=-12)}
        try:
            with os.fdopen(write, "wb") as f:
                pickle.dump(result, f)
        finally:
            os._exit(0)
    os.close(write)
    chunks, deadline = [], time.monotonic() + limit
    with os.fdopen(read, "rb") as f:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([f], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return {"hang": f"no answer within {limit:.0f} s"}
            chunk = os.read(f.fileno(), 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    try:
        return pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001 - the child died without answering (killed by the OOM killer, say)
        return {"traceback": "the child process died without a result"}


def _fresh_course(base: Path):
    kit = make_course(base / "course")
    return kit


def _assert_problem_shape(problems: list[dict], root: Path) -> None:
    for p in problems:
        assert isinstance(p.get("path"), str) and p["path"], f"a problem without a path: {p}"
        assert not p["path"].startswith(("/", "../")) and ".." not in Path(p["path"]).parts, \
            f"a problem's path is not a course-relative path: {p}"
        assert isinstance(p.get("line"), int) and p["line"] >= 1, f"a problem without a line: {p}"
        assert "Traceback" not in p["message"], f"a traceback in a message: {p}"
        assert SECRET not in p["message"], f"a message quotes a file outside the course: {p}"


@pytest.mark.parametrize("kind", list(MUTATIONS))
def test_check_approve_and_build_survive_any_mutation(kind):
    """In a forked child: no traceback, no hang, every problem at a course path and line, check within
    TIME_LIMIT, and `build` refuses (publishing nothing) whenever check reports an error."""

    @_settings(default=20)
    @given(mutation=MUTATIONS[kind])
    def run(mutation):
        with tempfile.TemporaryDirectory(prefix="pv-fuzz-") as tmp:
            kit = _fresh_course(Path(tmp))
            rel, must_error = mutation(kit.root)
            result = run_isolated(kit.root)
            assert "hang" not in result, f"{kind} on {rel}: {result['hang']}"
            assert "traceback" not in result, f"{kind} on {rel}:\n{result['traceback'][-2500:]}"
            out = result["ok"]
            assert out["timings"]["check"] < TIME_LIMIT, f"{kind} on {rel}: check took {out['timings']}"
            _assert_problem_shape(out["problems"], kit.root)
            errors = [p for p in out["problems"] if p["severity"] == "error"]
            if must_error:
                assert [p for p in errors if p["path"] == rel], \
                    f"{kind} on {rel}: check reports no error on {rel}:\n{json.dumps(out['problems'], indent=1)}"
            if errors:
                assert not out["built"] and not (kit.root / "build" / "site").exists(), \
                    f"{kind} on {rel}: build published although check reported {errors[:3]}"

    run()


# --- the real CLI on a subset, with a site configuration and theme so that a clean course really builds -------

MKDOCS_YML = """\
site_name: Fuzz course
docs_dir: modules
site_dir: build/site
theme:
  name: material
  font: false
plugins:
  - search
  - patientvoice
"""

MKDOCS_EDITS = [
    "use_directory_urls: false\n", "nav: 3\n", "plugins: [patientvoice: {paper: A5}]\n",
    "plugins:\n  - patientvoice:\n      evaluation: [{id: X, kind: odd}]\n", "theme: {name: nonexistent}\n",
    "plugins: [patientvoice: {submit_url: 'javascript:alert(1)'}]\n", "docs_dir: ../\n",
    "markdown_extensions: [no_such_extension]\n", "plugins: [patientvoice: {unknown: 1}]\n",
]


@st.composite
def cli_mutation(draw):
    choice = draw(st.sampled_from(["content", "content", "complexity", "mkdocs"]))
    if choice == "content":
        return draw(st.one_of(*MUTATIONS.values()))
    if choice == "complexity":
        return draw(complexity())
    edit = draw(st.sampled_from(MKDOCS_EDITS))

    def apply(root: Path):
        with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
            f.write(edit)
        return "mkdocs.yml", False
    return Mutation(apply, **{k: v for k, v in locals().items() if k not in ('apply', 'draw', 'part', 'closes')})


def _append(rel: str, text: str) -> Mutation:
    def apply(root: Path):
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write(text)
        return rel, False
    return Mutation(apply, rel=rel, append=text[:40] + f"… ({len(text)} characters)")


def _fifo(rel: str) -> Mutation:
    def apply(root: Path):
        (root / rel).unlink()
        os.mkfifo(root / rel)
        return rel, True
    return Mutation(apply, rel=rel, kind="fifo")


def _replace_first_value(rel: str, value: str) -> Mutation:
    def apply(root: Path):
        text = (root / rel).read_text(encoding="utf-8")
        part, put = _yaml_part(text, rel)
        lines = part.splitlines()
        (root / rel).write_text(put(f"{lines[0].split(':')[0]}: {value}\n" + "\n".join(lines[1:]) + "\n"),
                                encoding="utf-8")
        return rel, True
    return Mutation(apply, rel=rel, value=value[:40])


# The reproductions named in issue 11, run first on every CI run; then the drawn examples.
@example(mutation=_append(STORY, "\n\n" + "www." * 16000 + "\n"))  # quadratic de-identification scan
@example(mutation=_append(MODULE_MD, "\n\n" + "[" * 8000 + "\n"))  # hangs Python-Markdown
@example(mutation=_append(MODULE_MD, "\n\n" + "<span>" * 20000 + "x" + "</span>" * 20000 + "\n"))
@example(mutation=_replace_first_value(STORY, "\n" + _nested(500, "block-list")))  # a 500-deep list in a story
@example(mutation=_replace_first_value("content/pags/pbc-patients.yml", _nested(250, "flow-map")))
@example(mutation=_fifo("content/people/anna-lee.yml"))  # a named pipe in content/
@example(mutation=_append("mkdocs.yml", "use_directory_urls: false\n"))  # check must read mkdocs.yml
@_settings(default=5)
@given(mutation=cli_mutation())
def test_cli_check_and_build_agree_on_any_mutation(mutation):
    """`review approve` and `patientvoice check --format json` exit 0/1/2 with path:line problems and no traceback
    or hang; `build` publishes nothing when check reports an error, and a course check passes also builds."""
    with tempfile.TemporaryDirectory(prefix="pv-fuzz-cli-") as tmp:
        kit = _fresh_course(Path(tmp))
        (kit.root / "mkdocs.yml").write_text(MKDOCS_YML)
        rel, _ = mutation(kit.root)
        # Re-approve what is there now, so that check's verdict is about the mutation, not a stale approval.
        try:
            approve = run_cli(["review", "approve", MODULE, "--by", "anna-lee,tom-okafor", "--date", "2026-01-10",
                               "--root", str(kit.root)], timeout=2 * TIME_LIMIT)
        except Exception as exc:  # subprocess.TimeoutExpired
            pytest.fail(f"review approve on {rel} did not finish: {exc}")
        assert approve.returncode in (0, 1, 2) and "Traceback" not in approve.stderr, (rel, approve.stderr[-3000:])
        start = time.perf_counter()
        try:
            check = run_cli(["check", "--format", "json", "--root", str(kit.root)], timeout=3 * TIME_LIMIT)
        except Exception as exc:  # subprocess.TimeoutExpired
            pytest.fail(f"check on {rel} did not finish: {exc}")
        took = time.perf_counter() - start
        assert check.returncode in (0, 1, 2) and "Traceback" not in check.stderr, (rel, check.returncode,
                                                                                   check.stderr[-3000:])
        assert took < TIME_LIMIT + 5, f"check on {rel} took {took:.1f} s"  # + interpreter start-up
        problems = json.loads(check.stdout) if check.returncode != 2 else []
        _assert_problem_shape(problems, kit.root)
        try:
            build = run_cli(["build", "--no-pdf", "--root", str(kit.root)], timeout=60)
        except Exception as exc:
            pytest.fail(f"build on {rel} did not finish: {exc}")
        assert "Traceback" not in build.stderr, (rel, build.stderr[-3000:])
        if check.returncode == 1:
            assert build.returncode != 0 and not (kit.root / "build" / "site").exists(), \
                f"build published {rel} although check failed:\n{check.stdout[:2000]}"
        elif check.returncode == 0:
            assert build.returncode == 0, f"check passed but build failed on {rel}:\n{build.stderr[-2000:]}"
