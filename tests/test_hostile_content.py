"""Hostile content: what a contributor pastes into a story, a PAG file or a data set must never run, fetch or leak.

Two properties, tested separately:

1. *What the author sees.* ``check`` reports hostile content in untrusted files (stories, PAGs, data sets) as an
   error at its ``path:line``, unsafe HTML and links in module bodies too, and a URL field that is not
   https/http/mailto; ``build`` refuses such a course. Rule ids are not pinned: any error at the payload's line
   from a rule that is not about something else (review, consent, de-identification…) counts.
2. *Defence in depth.* The same content built anyway, the way ``patientvoice serve`` previews a course with
   problems (the plugin in serve mode; PDFs straight from ``build_pdfs``): every page opened in headless
   Chromium shows no dialog, no error from injected code, no request off the site's origin and no event
   attribute or script URL in the DOM; no PDF has an attachment or any text, image or file from outside the
   course; no file from outside the course is published.

One hostile course carries every payload in every author-controlled field at once, built once per module.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from coursekit import BASE, DATASET, MODULE, MODULE_MD, PAG, PROVIDER, QUESTIONNAIRE, STORY, make_course
from hostilekit import (EVIL, URL_PAYLOADS, DATA_HTML, check_json, every_payload, html_payloads, markdown_payloads,
                        run_cli, safety_errors)
from sitekit import REPO, serve_dir

SECRET = "QXZ7731"  # in every file outside the course; never in the course itself
FILES_MODULE = "hostile-files"
EXFIL_STORY = "content/stories/exfil-story.md"


# --- 1. check reports hostile content at its line; build refuses -------------------------------------------

def _line_swap(old: str, new: str, quote: bool = True):
    """An edit that replaces ``old`` on its line by ``new`` with {v} the payload (JSON-quoted, valid YAML)."""
    return lambda text, v: _replace_once(text, old, new.replace("{v}", json.dumps(v) if quote else v))


def _after(anchor: str):
    """An edit that puts the payload in a paragraph of its own after the line ``anchor``."""
    return lambda text, v: _replace_once(text, anchor, f"{anchor}\n\n{v}\n")


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected one {old!r}"
    return text.replace(old, new)


# (field, file, edit, kind): kind "text" gets the raw-HTML payloads, "markdown" also the Markdown ones.
UNTRUSTED = [
    ("story-title", STORY, _line_swap("title: Nights awake with the itch", "title: {v}"), "text"),
    ("story-pseudonym", STORY, _line_swap("pseudonym: Maria", "pseudonym: {v}"), "text"),
    ("story-condition", STORY, _line_swap("condition: Primary biliary cholangitis", "condition: {v}"), "text"),
    ("story-body", STORY, _after("as if it has been waiting for the house to go quiet."), "markdown"),
    ("story-heading", STORY, _line_swap("## Work", "## Work {v}", quote=False), "heading"),
    ("pag-name", PAG, _line_swap("name: Example PBC Patient Association", "name: {v}"), "text"),
    ("pag-conditions", PAG, _line_swap("conditions: [Primary biliary cholangitis]", "conditions: [{v}]"), "text"),
    ("pag-relationship", PAG, _line_swap("relationship: Co-planner; received no funding for this activity",
                                         "relationship: {v}"), "text"),
    ("data-title", DATASET, _line_swap("title: Living with PBC — symptom survey 2024", "title: {v}"), "text"),
    ("data-conducted-by", DATASET, _line_swap("conducted_by: Example PBC Patient Association", "conducted_by: {v}"),
     "text"),
    ("data-funding", DATASET, _line_swap("funding: No industry funding", "funding: {v}"), "text"),
    ("data-method", DATASET, _line_swap("method: Online self-report survey of members", "method: {v}"), "text"),
    ("data-population", DATASET, _line_swap("population: Adults living with PBC", "population: {v}"), "text"),
    ("data-sampling", DATASET, _line_swap("sampling: Open invitation to the members' mailing list", "sampling: {v}"),
     "text"),
    ("data-question-text", DATASET, _line_swap("text: How often does fatigue limit your daily activities?",
                                               "text: {v}"), "text"),
    ("data-result-label", DATASET, _line_swap("Never: 62", "{v}: 62"), "text"),
]


def _cases():
    for field, path, edit, kind in UNTRUSTED:
        classes = dict(html_payloads(field))
        if kind == "markdown":
            classes.update(markdown_payloads(field))
        if kind == "heading":  # one line only
            classes.update({k: v for k, v in markdown_payloads(field).items() if "\n" not in v})
        for name, payload in classes.items():
            yield pytest.param(path, edit, payload, id=f"{field}-{name}")
    # Module bodies are the provider's own, but scripts, event attributes, iframes, unsafe links and external
    # resources are errors there too.
    module_edit = _after("Cholestatic itch is often worst at night.")
    # (Not `<javascript:…>`: Python-Markdown does not make it a link, and an unknown empty element is harmless.)
    module_payloads = {**html_payloads("module-body"), **markdown_payloads("module-body")}
    module_payloads.pop("md-autolink-javascript")
    for name, payload in module_payloads.items():
        yield pytest.param(MODULE_MD, module_edit, payload, id=f"module-body-{name}")


def _lines_of(text: str, payload: str) -> set[int]:
    """The lines of ``text`` that hold any line of the payload (a JSON-quoted payload is one line)."""
    needles = [n for n in payload.splitlines() if n.strip()] + [json.dumps(payload)]
    return {n for n, line in enumerate(text.splitlines(), 1) if any(needle in line for needle in needles)}


@pytest.mark.parametrize("path, edit, payload", list(_cases()))
def test_check_reports_hostile_content_at_its_line(course, path, edit, payload):
    kit = course()
    kit.write(path, edit(kit.read(path), payload))
    kit.approve()  # so that the only problems left are about the payload
    lines = _lines_of(kit.read(path), payload)
    assert lines, "the payload is not in the file"
    problems = kit.check()
    assert safety_errors(problems, path, lines), (
        f"no error at {path}:{sorted(lines)} for {payload!r}; check said:\n"
        + "\n".join(p.format() for p in problems))


URL_FIELDS = [
    ("pag-url", PAG, _line_swap("url: https://pbc.example.org", "url: {v}")),
    ("provider-privacy-policy", PROVIDER, _line_swap("privacy_policy: https://example.org/privacy",
                                                     "privacy_policy: {v}")),
]


@pytest.mark.parametrize("scheme", list(URL_PAYLOADS))
@pytest.mark.parametrize("field, path, edit", URL_FIELDS, ids=[f[0] for f in URL_FIELDS])
def test_check_refuses_url_fields_other_than_https_http_mailto(course, field, path, edit, scheme):
    kit = course()
    kit.write(path, edit(kit.read(path), URL_PAYLOADS[scheme]))
    kit.approve()
    line = kit.line(path, json.dumps(URL_PAYLOADS[scheme]))
    problems = kit.check()
    assert safety_errors(problems, path, [line]), (
        f"no error at {path}:{line} for {URL_PAYLOADS[scheme]!r}; check said:\n"
        + "\n".join(p.format() for p in problems))


@pytest.mark.parametrize("url", ["https://pbc.example.org/about?x=1#y", "http://pbc.example.org"])
def test_check_accepts_ordinary_web_addresses(course, url):
    kit = course()
    kit.write(PAG, kit.read(PAG).replace("url: https://pbc.example.org", f"url: {url}"))
    kit.approve()
    assert not [p for p in kit.check() if p.severity == "error"]


# --- the hostile course: every payload in every author-controlled field ------------------------------------

class _Quoted(yaml.SafeDumper):
    """Writes every string double-quoted on one line, so a newline in a value is never a line of the file."""


_PLAIN = re.compile(r"^[a-z_][a-z0-9_-]*$")  # keys and ids stay plain (approve looks for a plain `review:`)


def _str(dumper, s: str):
    plain = _PLAIN.match(s) and s not in ("yes", "no", "on", "off", "true", "false", "null", "y", "n")
    return dumper.represent_scalar("tag:yaml.org,2002:str", s, style=None if plain else '"')


_Quoted.add_representer(str, _str)


def _yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Quoted, sort_keys=False, allow_unicode=True, width=10**6)


def _front(meta: dict, body: str) -> str:
    return f"---\n{_yaml(meta)}---\n\n{body}"


def _story_meta(title: str, pseudonym: str, condition: str) -> dict:
    return {"title": title, "narrator": "patient", "pseudonym": pseudonym, "age_band": "50-59",
            "condition": condition, "segments": ["symptom-burden"],
            "source": {"kind": "interview", "pag": "pbc-patients", "collected": "2025-03"},
            "consent": {"status": "granted", "reference": "PBC-CF-2025-014", "date": dt.date(2025, 3, 12),
                        "channels": ["web", "print"], "expires": dt.date(2030, 3, 12), "final_text_approved": True},
            "composite": False}


def _module_meta(title: str, activity_id: str, objective: str, audience: str) -> dict:
    return {"title": title,
            "activity": {"id": activity_id, "format": "enduring", "release": dt.date(2026, 1, 15),
                         "expires": dt.date(2028, 1, 14), "minutes": 45, "credits": 0.75,
                         "audience": [audience], "pass_mark": 0.7},
            "objectives": [{"id": "recognise-burden", "text": objective, "level": "competence"}],
            "faculty": ["anna-lee"], "planners": ["tom-okafor"], "commercial_support": [],
            "review": {"committee": "pbc-steering", "approvals": []}}


def _questionnaire(tag: str) -> str:
    p = every_payload
    rationale = p(f"{tag}-rationale") + f"</script><script>alert('{tag}-rationale:key')</script>"
    return _yaml({"follow_up_after_days": 60, "items": [
        {"id": "itch-impact", "phases": ["pre", "post", "follow-up"], "objective": "recognise-burden",
         "kind": "single", "stem": p(f"{tag}-stem"), "options": [p(f"{tag}-option"), "Whether she tried antihistamines"],
         "answer": 0, "rationale": rationale},
        {"id": "confidence-itch", "phases": ["pre", "post", "follow-up"], "objective": "recognise-burden",
         "kind": "likert", "stem": "How confident are you?",
         "scale": [p(f"{tag}-scale"), "Slightly", "Moderately", "Very", "Extremely"]},
    ]})


def _story_body(tag: str, marker: str) -> str:
    """A story body with every payload class as its own paragraph, plus ones that navigate or restyle the page."""
    paragraphs = [f"{marker} The itch starts at bedtime."]
    paragraphs += html_payloads(tag).values()
    paragraphs += markdown_payloads(tag).values()
    paragraphs += [
        f"<meta http-equiv=\"refresh\" content=\"0;url=https://{EVIL}/\">",
        f"<base href=\"//{EVIL}/\">",
        f"<link rel=\"stylesheet\" href=\"//{EVIL}/x.css\">",
        f"<style>@import url(//{EVIL}/y.css); body {{ background: url(//{EVIL}/z.png); }}</style>",
        f"<form action=\"https://{EVIL}/\"><input autofocus onfocus=\"alert('{tag}:focus')\"></form>",
        f"<object data=\"//{EVIL}/o\"></object><embed src=\"//{EVIL}/e\">",
        f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{tag}:mxss')></style></mglyph></table></mtext></math>",
        f"<a href=\"jav&#x09;ascript:alert('{tag}:entity')\">open</a> <a href=\"&#106;avascript:alert('{tag}:ent2')\">x</a>",
        f"<div style=\"background-image: url(//{EVIL}/bg.png)\">styled</div>",
        f"<video><source onerror=\"alert('{tag}:video')\"></video> <input onfocus=alert('{tag}:input') autofocus>",
        "<script>pvInjectedCode()</script>",  # throws if it runs: the error test's witness
    ]
    heading = "## Work " + " ".join(v for v in html_payloads(f"{tag}-heading").values())
    sleep = "## Sleep\n\nMost nights I end up downstairs on the sofa."  # the module embeds maria-itch#sleep
    return "\n\n".join(paragraphs) + f"\n\n{sleep}\n\n{heading}\n\nAfter a bad night I read the same message four times.\n"


def _exfil_body(outside: Path, module_dir: Path) -> str:
    """A story body that tries to pull files from outside the course into the handout."""
    rel = lambda name: os.path.relpath(outside / name, module_dir)  # noqa: E731
    up = "../" * 30
    uri = lambda name: (outside / name).as_uri()  # noqa: E731
    return "\n\n".join([
        "PVEXFILMARKER Most nights I end up downstairs on the sofa.",
        f"<a rel=\"attachment\" href=\"{up}etc/passwd\">passwd</a>",
        f"<a rel=\"attachment\" href=\"{rel('secret.txt')}\">notes</a>",
        f"<link rel=\"attachment\" href=\"{uri('secret.txt')}\">",
        f"<img src=\"{uri('secret.svg')}\" alt=\"a\"> <img src=\"{rel('secret.svg')}\" alt=\"b\">",
        f"<img src=\"{rel('secret.png')}\" alt=\"c\">",
        f"![chart]({rel('secret.svg')})",
        f"<object data=\"{rel('secret.svg')}\" type=\"image/svg+xml\"></object> <embed src=\"{uri('secret.svg')}\">",
        f"<div style=\"background-image: url('{rel('secret.png')}')\">styled</div>",
        f"<style>@import url(\"{uri('evil.css')}\");</style> <link rel=\"stylesheet\" href=\"{uri('evil.css')}\">",
        f"<iframe src=\"{uri('secret.txt')}\"></iframe>",
    ]) + "\n"


def _outside(folder: Path) -> Path:
    """Files next to the course that nothing in the course may publish; each contains SECRET."""
    from PIL import Image

    folder.mkdir(parents=True)
    (folder / "secret.txt").write_text(f"OUTSIDE-TEXT-{SECRET}\n")
    (folder / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40"><text x="2" y="20" '
        f'font-size="14">OUTSIDE-SVG-{SECRET}</text></svg>')
    (folder / "evil.css").write_text(f'body::after {{ content: "OUTSIDE-CSS-{SECRET}"; }}\n')
    Image.new("RGB", (37, 23), (200, 10, 10)).save(folder / "secret.png")  # an image size nothing else has
    return folder


MKDOCS_YML = """\
site_name: Hostile course
docs_dir: modules
site_dir: build/site
use_directory_urls: true
theme:
  name: material
  custom_dir: theme
  font: false
markdown_extensions:
  - tables
  - attr_list
  - admonition
  - toc:
      permalink: true
plugins:
  - search
  - patientvoice
"""


def make_hostile_course(base: Path):
    """Write the minimal course with every payload in every field, a second module whose story reaches for files
    outside the course, and symlinks out of it; both modules approved as they are."""
    p = every_payload
    root, outside = base / "course", _outside(base / "outside")
    files_dir = root / "modules" / FILES_MODULE
    module_body = BASE[MODULE_MD].split("---\n", 2)[2]
    files = {
        PROVIDER: _yaml({"name": p("provider-name"), "accreditation_statement": p("provider-accreditation"),
                         "credit_statement": p("provider-credit") + " {credits} credits",
                         "contact": p("provider-contact"), "privacy_policy": "javascript:alert('privacy-policy')"}),
        "content/people/anna-lee.yml": _yaml({
            "name": p("person-name"), "credentials": p("person-credentials"), "role": "clinician",
            "affiliation": p("person-affiliation"),
            "disclosure": {"signed": dt.date(2025, 11, 1), "relationships": [
                {"company": p("person-company"), "nature": p("person-nature"), "relevant": False}]}}),
        "content/committees/pbc-steering.yml": _yaml({"name": p("committee-name"), "members": [
            {"person": "anna-lee", "role": "chair"}, {"person": "tom-okafor", "role": "patient-partner"}]}),
        PAG: _yaml({"name": p("pag-name"), "url": "javascript:alert('pag-url')", "conditions": [p("pag-conditions")],
                    "relationship": p("pag-relationship")}),
        "content/pags/evil-data.yml": _yaml({"name": "Data URL group", "url": DATA_HTML, "conditions": ["PBC"],
                                             "relationship": "None"}),
        "content/pags/evil-vbscript.yml": _yaml({"name": "VBScript group", "url": "vbscript:msgbox(1)",
                                                 "conditions": ["PBC"], "relationship": "None"}),
        "content/pags/evil-relative.yml": _yaml({"name": "Protocol-relative group", "url": f"//{EVIL}/pag",
                                                 "conditions": ["PBC"], "relationship": "None"}),
        STORY: _front(_story_meta(p("story-title"), p("story-pseudonym"), p("story-condition")),
                      _story_body("story-body", "PVSTORYMARKER")),
        EXFIL_STORY: _front(_story_meta("Exfil story", "Elif", "Primary biliary cholangitis"),
                            _exfil_body(outside, files_dir)),
        DATASET: _yaml({
            "title": p("data-title"), "pag": "pbc-patients", "conducted_by": p("data-conducted-by"),
            "funding": p("data-funding"), "fielded": {"from": dt.date(2024, 2, 1), "to": dt.date(2024, 4, 30)},
            "method": p("data-method"), "population": p("data-population"), "sampling": p("data-sampling"),
            "respondents": 1243,
            "questions": [{"id": "fatigue-limits", "text": p("data-question"), "kind": "single", "answered": 1243,
                           "results": {p("data-label"): 62, "Sometimes": 410, "Often": 498, "Always": 273}}]}),
        MODULE_MD: _front(_module_meta(p("module-title"), "PV-2026-PBC-01", p("objective"), p("audience")),
                          module_body),
        QUESTIONNAIRE: _questionnaire("q"),
        f"modules/{FILES_MODULE}/index.md": _front(
            _module_meta("Files module", "PV-2026-PBC-02", "Recognise itch", "Hepatologists"),
            "PVFILESMODULE\n\n![Diagram](diagram.svg)\n\n/// story | exfil-story\n///\n"),
        f"modules/{FILES_MODULE}/questionnaire.yml": BASE[QUESTIONNAIRE],
        "mkdocs.yml": MKDOCS_YML,
    }
    kit = make_course(root, files, approved=False)
    (root / "theme").mkdir()  # overrides only: the default theme comes with patientvoice
    # Symlinks out of the course: a module's file and image, and a theme file.
    (files_dir / "files").mkdir()
    (files_dir / "files" / "leak.txt").symlink_to(outside / "secret.txt")
    (files_dir / "diagram.svg").symlink_to(outside / "secret.svg")
    (root / "theme" / "leak.txt").symlink_to(outside / "secret.txt")
    for module in (MODULE, FILES_MODULE):
        kit.approve(module)
    return kit, outside


def _shared(tmp_path_factory, name: str, make) -> Path:
    """A folder made once per test session, even when pytest-xdist spreads this module over several workers:
    the first worker makes it under a lock, the others wait and reuse it."""
    import fcntl

    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # shared by the workers of one run
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".done").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            (folder / ".done").write_text("")
    return folder


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile course (a CourseKit) and the folder of secrets beside it."""
    from coursekit import CourseKit

    folder = _shared(tmp_path_factory, "hostile-course", make_hostile_course)
    return CourseKit(folder / "course"), folder / "outside"


def test_build_refuses_the_hostile_course_and_check_names_the_lines(hostile):
    kit, _ = hostile
    code, problems, stderr = check_json(kit.root)
    assert code == 1 and "Traceback" not in stderr, stderr
    for path in (STORY, EXFIL_STORY, PAG, DATASET):
        text = kit.read(path)
        lines = range(1, text.count("\n") + 2)
        assert safety_errors(problems, path, lines), f"no safety error in {path}; check said:\n{problems}"
    out = run_cli(["build", "--no-pdf", "--root", str(kit.root)])
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert not (kit.root / "build" / "site").exists()


def test_check_names_every_symlink_out_of_the_course(hostile):
    kit, _ = hostile
    _, problems, _ = check_json(kit.root)
    for rel in (f"modules/{FILES_MODULE}/files/leak.txt", f"modules/{FILES_MODULE}/diagram.svg", "theme/leak.txt"):
        assert [p for p in problems if p["severity"] == "error" and p["path"] == rel], \
            f"no error names the symlink {rel}; check said:\n{json.dumps(problems, indent=1)}"


# --- 2. defence in depth: the same course built anyway --------------------------------------------------------

PREVIEW = textwrap.dedent("""\
    # Build a course the way `patientvoice serve` does (problems printed, not blocking), then its PDFs.
    import json, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from patientvoice.build import load_mkdocs_config
    from patientvoice.check import check_course
    from patientvoice.pdf import build_pdfs

    root, out = Path(sys.argv[1]), Path(sys.argv[2])
    config = load_mkdocs_config(root, out / "site")
    config.plugins["patientvoice"].on_startup(command="serve", dirty=False)
    build(config)
    course, _ = check_course(root)
    problems = build_pdfs(course, out / "pdf", cache_dir=out / "cache", jobs=2, progress=lambda m: None)
    print(json.dumps([p.as_dict() for p in problems]))
    """)


@pytest.fixture(scope="module")
def preview(hostile, tmp_path_factory):
    """The hostile course's site and PDFs built despite its problems: (site dir, pdf dir, PDF problems)."""
    kit, _ = hostile

    def make(out: Path):
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        run = subprocess.run([sys.executable, "-c", PREVIEW, str(kit.root), str(out)], capture_output=True,
                             text=True, timeout=300, env=env)
        (out / "result.json").write_text(run.stdout.strip().splitlines()[-1] if run.returncode == 0 else "null")
        (out / "stderr.txt").write_text(run.stderr)

    out = _shared(tmp_path_factory, "hostile-preview", make)
    problems = json.loads((out / "result.json").read_text())
    assert problems is not None, f"the preview build failed:\n{(out / 'stderr.txt').read_text()[-4000:]}"
    return out / "site", out / "pdf", problems


DOM_CHECK = """() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'srcset'];
  for (const el of document.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      const value = a.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(`<${tag} ${name}="${a.value.slice(0, 60)}">`);
      if (name === 'srcdoc') bad.push(`<${tag} srcdoc>`);
      if (urlAttrs.includes(name) && /^(javascript:|vbscript:|livescript:|data:text\\/html)/.test(value))
        bad.push(`<${tag} ${name}="${a.value.slice(0, 60)}">`);
    }
    if (['iframe', 'frame', 'object', 'embed', 'base'].includes(tag)) bad.push(`<${tag}>`);
    if (tag === 'meta' && (el.getAttribute('http-equiv') || '').toLowerCase() === 'refresh') bad.push('<meta refresh>');
    const code = !el.type || /javascript|module/i.test(el.type);  // JSON data islands are inert
    if (tag === 'script' && code && /alert\\(|msgbox/.test(el.textContent)) bad.push(`<script>${el.textContent.slice(0, 60)}`);
  }
  return bad;
}"""


def _site_pages(site: Path) -> list[str]:
    pages = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return [("" if p == "." else p + "/") for p in pages] + ["404.html"]


def _visit(browser, base: str, path: str) -> list[str]:
    """Open one page with every request off the origin blocked and recorded; return what went wrong."""
    found: list[str] = []
    context = browser.new_context()

    def route(r):
        url = r.request.url
        if url == base or url.startswith(base + "/"):
            r.continue_()
        else:
            found.append(f"request off the origin: {url[:120]}")
            # 204 rather than abort: a navigation answered "no content" leaves the page where it is, so a
            # <meta refresh> cannot swap the page for an error page before the DOM is inspected.
            r.fulfill(status=204, body="")

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (found.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: found.append(f"page error: {e}"))
    def console(m):
        if m.type != "error" or m.text.startswith("Failed to load resource"):  # a 404 is not code running
            return
        local = m.text.startswith("Not allowed to load local resource")  # Chromium refused a file: URL
        found.append(f"request off the origin: {m.text.split(': ', 1)[-1][:120]}" if local
                     else f"console error: {m.text[:160]}")

    page.on("console", console)
    page.on("websocket", lambda ws: found.append(f"websocket: {ws.url}"))
    try:
        page.goto(f"{base}/{path}", wait_until="load")
        page.wait_for_timeout(250)  # autofocus, ontoggle and meta refresh fire just after load
        if page.url != f"{base}/{path}":
            found.append(f"page navigated away to {page.url[:120]}")
        found.extend(f"in the DOM: {b}" for b in page.evaluate(DOM_CHECK))
    except Exception as exc:  # a page that navigates itself away is a finding, not a crash of the test
        found.append(f"page could not be inspected ({type(exc).__name__}): {str(exc).splitlines()[0][:160]}")
    finally:
        context.close()
    return found


@pytest.fixture(scope="module")
def visits(preview, request, tmp_path_factory):
    """{page: findings} for every page of the hostile site, opened in headless Chromium (once per run)."""
    site, _, _ = preview

    def make(out: Path):
        browser = request.getfixturevalue("browser")
        with serve_dir(site) as base:
            found = {path: _visit(browser, base, path) for path in _site_pages(site)}
        (out / "visits.json").write_text(json.dumps(found))

    return json.loads((_shared(tmp_path_factory, "hostile-visits", make) / "visits.json").read_text())


def _report(visits, kind: str | None = None) -> dict:
    return {page: [f for f in found if kind is None or f.startswith(kind)]
            for page, found in visits.items() if any(kind is None or f.startswith(kind) for f in found)}


def test_the_hostile_site_has_the_hostile_pages(preview, visits):
    """Not vacuous: the story (with its payloads) is on its own page and on the module page."""
    site, _, _ = preview
    assert "hearing-the-itch/" in visits and "stories/maria-itch/" in visits, sorted(visits)
    for page in ("hearing-the-itch/index.html", "stories/maria-itch/index.html"):
        assert "PVSTORYMARKER" in (site / page).read_text(encoding="utf-8")


def test_no_page_opens_a_dialog(visits):
    assert not _report(visits, "dialog"), json.dumps(_report(visits, "dialog"), indent=1)


def test_no_page_has_an_error_from_injected_code(visits):
    errors = {p: [f for f in fs if f.startswith(("page error", "console error", "page could not", "page navigated"))]
              for p, fs in visits.items()}
    errors = {p: fs for p, fs in errors.items() if fs}
    assert not errors, json.dumps(errors, indent=1)


def test_no_page_requests_anything_off_the_sites_origin(visits):
    leaving = {p: [f for f in fs if f.startswith(("request off", "websocket"))] for p, fs in visits.items()}
    leaving = {p: fs for p, fs in leaving.items() if fs}
    assert not leaving, json.dumps(leaving, indent=1)


def test_no_page_has_event_attributes_script_urls_or_frames_from_content(visits):
    assert not _report(visits, "in the DOM"), json.dumps(_report(visits, "in the DOM"), indent=1)


def test_the_published_site_holds_no_file_from_outside_the_course(preview):
    site, _, _ = preview
    leaked = [p.relative_to(site).as_posix() for p in site.rglob("*")
              if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert not leaked, leaked


def _pdfs(pdf_dir: Path) -> list[Path]:
    return sorted(pdf_dir.glob("*.pdf"))


def test_the_hostile_modules_pdfs_render_with_the_text_made_safe(preview):
    """Sanitising removes what the renderer would refuse (remote images), so the handout still renders."""
    _, pdf_dir, problems = preview
    names = [p.name for p in _pdfs(pdf_dir)]
    assert {f"{MODULE}.pdf", f"{MODULE}-questionnaires.pdf", f"{MODULE}-answer-key.pdf"} <= set(names), \
        f"PDFs: {names}; problems: {json.dumps(problems, indent=1)}"
    from pdfread import text

    assert "PVSTORYMARKER" in text(pdf_dir / f"{MODULE}.pdf")


def test_the_files_modules_pdf_is_clean_or_refused_by_name(preview):
    """The story that reaches for outside files: its handout renders without them, or fails with a problem
    naming the module (never silently)."""
    _, pdf_dir, problems = preview
    handout = pdf_dir / f"{FILES_MODULE}.pdf"
    if handout.exists():
        from pdfread import text

        assert "PVEXFILMARKER" in text(handout)
    else:
        assert [p for p in problems if FILES_MODULE in p["path"] or FILES_MODULE in p["message"]], problems


def test_no_pdf_has_an_attachment(preview):
    _, pdf_dir, _ = preview
    pdfs = _pdfs(pdf_dir)
    assert pdfs
    attached = {}
    for pdf in pdfs:
        out = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
        if not out.startswith("0 embedded files"):
            attached[pdf.name] = out.strip().splitlines()
    assert not attached, attached


def test_no_pdf_shows_text_or_images_from_outside_the_course(preview):
    from pdfread import text

    _, pdf_dir, _ = preview
    pdfs = _pdfs(pdf_dir)
    assert pdfs
    leaks = {}
    for pdf in pdfs:
        words = text(pdf)
        found = [w for w in (SECRET, "root:x:0:0", "/bin/bash", "nologin") if w in words]
        images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                                check=True).stdout.splitlines()[2:]
        found += [f"image {line.split()[3]}x{line.split()[4]}" for line in images
                  if line.split()[3:5] == ["37", "23"]]
        if found:
            leaks[pdf.name] = found
    assert not leaks, leaks


def test_no_pdf_has_script_actions_or_links_to_script_urls_or_outside_files(preview, hostile):
    """Links that survive into a PDF are web, mail or in-document links; a javascript: or launch action would run
    in some viewers, and a file: link out of the course points the reader at the build machine's files."""
    from pypdf import PdfReader

    kit, _ = hostile
    _, pdf_dir, _ = preview
    bad = {}
    for pdf in _pdfs(pdf_dir):
        unsafe = []
        for page in PdfReader(pdf).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is None:
                    continue
                action = action.get_object()
                kind, uri = str(action.get("/S")), str(action.get("/URI") or "").strip()
                if kind in ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm"):
                    unsafe.append(kind)
                elif re.match(r"(?i)^(javascript|vbscript|data):", uri):
                    unsafe.append(uri[:80])
                elif uri.startswith("file:") and not uri.startswith(kit.root.as_uri() + "/"):
                    unsafe.append(uri[:120])
        if unsafe:
            bad[pdf.name] = unsafe
    assert not bad, bad
