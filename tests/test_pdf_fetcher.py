"""The PDF renderer loads only the course's own images, stylesheets and fonts, and embeds no attachment.

The renderer is called directly on hostile print HTML (check would refuse such HTML in a story first; here
the fetcher itself is on trial). Each refusal is paired with a control that renders the same HTML with
WeasyPrint's default fetcher and shows the leak, so the tests prove the fetcher, not the payload's failure.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from patientvoice.pdf.fetcher import Outside, confined_path
from patientvoice.pdf.render import Job, render, theme_digest
from patientvoice.site.theme import PACKAGE_THEME
from pdfread import text
from sitekit import copy_course

MODULE = "hearing-the-itch"
PASSWD_LINE = "root:x:0:0"


@pytest.fixture
def root(tmp_path) -> Path:
    return copy_course(tmp_path / "course")


def page(body: str, head: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Handout</title>{head}</head>'
            f"<body><h1>Handout under test</h1>{body}</body></html>")


def job(root: Path, html: str) -> Job:
    index = root / "modules" / MODULE / "index.md"
    return Job(MODULE, "probe.pdf", html, index.resolve().as_uri(), str(root / "theme"), "A4")


def render_ours(root: Path, html: str):
    out, cache = root / "out", root / "cache"
    out.mkdir(exist_ok=True)
    outcome = render(job(root, html), str(out), str(cache), theme_digest(root / "theme"))
    return outcome, out / "probe.pdf"


def render_default(root: Path, html: str, pdf: Path) -> Path:
    """The control: plain WeasyPrint with its own fetcher, as the renderer was before."""
    from weasyprint import HTML

    j = job(root, html)
    HTML(string=html, base_url=j.base_url).write_pdf(pdf)
    return pdf


def attachments(pdf: Path) -> list[str]:
    out = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0].endswith("embedded files"), out
    return out.splitlines()[1:]


def images(pdf: Path) -> int:
    out = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return len(out.splitlines()) - 2  # two header lines, then one line per image


def test_attachments_are_never_embedded(root, tmp_path):
    (root / "modules" / MODULE / "notes.txt").write_text("inside the course, still not an attachment\n")
    up = "../" * 30
    html = page(f'<p><a rel="attachment" href="{up}etc/passwd">passwd</a> and '
                f'<a rel="nofollow ATTACHMENT" href="notes.txt">notes</a></p>',
                head='<link rel="attachment" href="file:///etc/passwd" title="p">'
                     '<link rel="attachment" href="notes.txt">')
    control = render_default(root, html, tmp_path / "control.pdf")
    assert len(attachments(control)) >= 2  # the leak the fetcher closes: /etc/passwd inside the PDF

    outcome, pdf = render_ours(root, html)
    assert outcome.error is None, outcome.error
    assert attachments(pdf) == []
    assert PASSWD_LINE not in text(pdf) and "Handout under test" in text(pdf)


def test_images_and_stylesheets_outside_the_course_are_refused(root, tmp_path):
    outside = tmp_path / "outside.png"
    Image.new("RGB", (40, 20), "#aa0000").save(outside)
    (root / "modules" / MODULE / "linked.png").symlink_to(outside)  # a link out of the course, by another name
    for src, says in ((outside.as_uri(), "outside the course"), (str(outside), "outside the course"),
                      ("linked.png", "outside the course"), ("/etc/passwd", "outside the course"),
                      ("data:image/png;base64,iVBORw0KGgo=", "not a local file")):
        html = page(f'<p><img src="{src}" alt="x"></p>')
        if src == "linked.png":
            assert images(render_default(root, html, tmp_path / "control.pdf")) == 1  # drawn without the fetcher
        outcome, pdf = render_ours(root, html)
        assert outcome.error and says in outcome.error, (src, outcome.error)
        assert not pdf.exists()  # a refused image fails the PDF (as a missing one does): nothing half-drawn
    html = page('<p style="background: url(%s)">x</p>' % outside.as_uri(), head=f'<link rel="stylesheet" '
                f'href="{(tmp_path / "evil.css").as_uri()}">')
    (tmp_path / "evil.css").write_text("h1::after { content: 'LEAKED' }")
    outcome, pdf = render_ours(root, html)
    assert outcome.error and "outside the course" in outcome.error


def test_an_image_in_the_module_folder_is_drawn(root):
    Image.new("RGB", (40, 20), "#1f4e79").save(root / "modules" / MODULE / "chart.png")
    outcome, pdf = render_ours(root, page('<p><img src="chart.png" alt="A chart"></p>'))
    assert outcome.error is None, outcome.error
    assert images(pdf) == 1


def test_the_network_is_never_contacted(root):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        outcome, pdf = render_ours(root, page(f'<p><img src="http://127.0.0.1:{port}/x.png" alt="x"></p>'))
        assert outcome.error and "not a local file" in outcome.error
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody connected


def test_what_the_fetcher_serves(root):
    theme, module = root / "theme", root / "modules" / MODULE
    assert confined_path((theme / "fonts" / "DejaVuSans.ttf").as_uri(), root).endswith("DejaVuSans.ttf")
    (module / "chart.png").write_bytes(b"")
    assert confined_path((module / "chart.png").as_uri(), root) == str((module / "chart.png").resolve())
    # patientvoice's default theme stands in for the course's theme/ (read-only); the rest of the package does not.
    font = confined_path((theme / "fonts" / "DejaVuSans.ttf").as_uri(), root)
    assert not theme.exists() and Path(font).is_relative_to(PACKAGE_THEME.resolve())
    assert confined_path(PACKAGE_THEME.joinpath("print.css").as_uri(), root) == str(PACKAGE_THEME.resolve() / "print.css")
    for url in ((PACKAGE_THEME.parent.parent / "export" / "assets" / "lms.css").as_uri(),  # the package, not its theme
                (theme / ".." / ".." / "outside.css").as_uri()):
        with pytest.raises(Outside):
            confined_path(url, root)
    (root / "theme" / "fonts").mkdir(parents=True)  # a course's own font at the same path replaces the package's
    (root / "theme" / "fonts" / "DejaVuSans.ttf").write_bytes(b"")
    assert confined_path((theme / "fonts" / "DejaVuSans.ttf").as_uri(), root) == str((theme / "fonts" / "DejaVuSans.ttf").resolve())
    for url in ((module / "questionnaire.yml").as_uri(),  # in the course, but not an image, stylesheet or font
                (root / "mkdocs.yml").as_uri(),  # in the course, but not in a published folder
                "file:///etc/passwd", "file://otherhost/x.png", "https://example.org/x.png", "ftp://x/y.png",
                "data:text/css,h1{}"):
        with pytest.raises(Outside):
            confined_path(url, root)


def test_a_module_linking_host_files_as_attachments_gets_a_clean_handout(root):
    # End to end through build_pdfs (check is bypassed on purpose: the renderer must hold on its own).
    from patientvoice.course.loader import load_course
    from patientvoice.pdf import build_pdfs

    md = root / "modules" / MODULE / "index.md"
    up = "../" * 30
    md.write_text(md.read_text(encoding="utf-8") + f'\n<p><a rel="attachment" href="{up}etc/passwd">the file</a> '
                  f'<a rel="attachment" href="questionnaire.yml">the questions</a></p>\n', encoding="utf-8")
    problems = build_pdfs(load_course(root)[0], root / "out", cache_dir=root / "cache", progress=lambda m: None,
                          modules=[MODULE])
    assert not problems, problems
    handout = root / "out" / f"{MODULE}.pdf"
    assert attachments(handout) == []
    assert PASSWD_LINE not in text(handout) and "the file" in text(handout)
