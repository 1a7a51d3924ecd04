"""What an approval covers: stories embedded at any indentation, the module's files, linked files and the theme."""

from __future__ import annotations

import os

from click.testing import CliRunner

from coursekit import APPROVED_ON, MODULE, MODULE_MD, STORY, assert_clean, expect, refute
from patientvoice.cli import main
from patientvoice.review.fingerprint import approved_files
from patientvoice.course.loader import load_course

INDENTED = """\
Cholestatic itch is often worst at night. Ask about it:

- at the first visit, and

    /// story | maria-itch#sleep
    ///

- at every review.

## References

1. EASL Clinical Practice Guidelines: primary biliary cholangitis. J Hepatol. 2017.
"""


def _status(kit) -> list[str]:
    result = CliRunner().invoke(main, ["review", "status", "--root", str(kit.root)])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def _with_body(kit, body: str) -> None:
    text = kit.read(MODULE_MD)
    kit.write(MODULE_MD, text[: text.index("\n---\n", 4) + 5] + "\n" + body)


def test_a_story_indented_in_a_list_is_covered(course):
    # The case: the story renders inside the list item, so editing it must make the approval stale.
    kit = course(approved=False)
    _with_body(kit, INDENTED)
    kit.approve()
    assert_clean(kit.check())
    assert _status(kit)[0].split()[1] == "approved"
    kit.edit(STORY, "Most nights I end up downstairs", "Most nights I end up upstairs")
    assert _status(kit) == [f"{MODULE}  STALE  approved {APPROVED_ON} by anna-lee, tom-okafor",
                            f"{'':<{len(MODULE)}}    changed: {STORY}"]
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert STORY in problem.message


def test_a_file_the_module_publishes_is_covered(course):
    kit = course({f"modules/{MODULE}/files/leaflet.txt": "Ask about itch at every visit.\n"}, approved=False)
    kit.write(f"modules/{MODULE}/files/chart.png", b"\x89PNG\r\n\x1a\n\x00\x01binary")
    kit.approve()
    assert_clean(kit.check())
    kit.write(f"modules/{MODULE}/files/chart.png", b"\x89PNG\r\n\x1a\n\x00\x02binary")
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert f"modules/{MODULE}/files/chart.png" in problem.message and "leaflet" not in problem.message
    assert f"changed: modules/{MODULE}/files/chart.png" in "\n".join(_status(kit))


def test_a_new_file_in_the_module_folder_makes_the_approval_stale(course):
    kit = course()
    kit.write(f"modules/{MODULE}/files/extra.html", "<p>Not reviewed</p>\n")
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert "files/extra.html" in problem.message


def test_hidden_files_and_the_questionnaire_bytes_are_not_published_files(course):
    kit = course()
    kit.write(f"modules/{MODULE}/.notes.txt", "editor scratch\n")
    kit.edit(f"modules/{MODULE}/questionnaire.yml", "follow_up_after_days: 60", "follow_up_after_days:   60  # two months")
    refute(kit.check(), "review.stale")


def test_a_theme_css_edit_makes_every_approval_stale(course):
    kit = course({"theme/assets/patientvoice.css": ".pv-story { color: #222; }\n"}, approved=False)
    kit.approve()
    assert_clean(kit.check())
    kit.write("theme/assets/patientvoice.css", ".pv-story { display: none; }\n")
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert "theme/assets/patientvoice.css" in problem.message


def test_an_image_linked_from_elsewhere_in_the_course_is_covered(course):
    kit = course({"modules/shared/itch-scale.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n"}, approved=False)
    kit.edit(MODULE_MD, "Cholestatic itch is often worst at night.",
             "Cholestatic itch is often worst at night. ![Itch scale](../shared/itch-scale.svg)\n\n"
             "See the [home page](../index.md) and [the guideline](https://example.org/g.pdf).")
    kit.approve()
    loaded, _ = load_course(kit.root)
    files = approved_files(loaded, loaded.modules[MODULE])
    assert "modules/shared/itch-scale.svg" in files and "modules/index.md" not in files
    kit.write("modules/shared/itch-scale.svg", "<svg xmlns='http://www.w3.org/2000/svg'><text>x</text></svg>\n")
    expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))


def test_a_symlink_is_digested_by_its_target_and_never_read(course):
    kit = course(approved=False)
    os.makedirs(kit.path(f"modules/{MODULE}/files"))
    os.mkfifo(kit.path(f"modules/{MODULE}/files/pipe"))  # reading it would block for ever
    os.symlink("/etc/hostname", kit.path(f"modules/{MODULE}/files/host.txt"))
    loaded, _ = load_course(kit.root)
    files = approved_files(loaded, loaded.modules[MODULE])
    assert {f"modules/{MODULE}/files/pipe", f"modules/{MODULE}/files/host.txt"} <= set(files)
    os.remove(kit.path(f"modules/{MODULE}/files/host.txt"))
    os.symlink("/etc/passwd", kit.path(f"modules/{MODULE}/files/host.txt"))
    loaded, _ = load_course(kit.root)
    assert approved_files(loaded, loaded.modules[MODULE]) != files


def test_a_story_on_a_page_that_is_no_module_is_an_error(course):
    kit = course({"modules/index.md": "# Course\n\nWelcome.\n\n/// story | maria-itch\n///\n",
                  f"modules/{MODULE}/extra.md": "# More\n\n- point\n\n    /// pag-data | pbc-symptoms-2024#fatigue-limits\n    ///\n"})
    problems = kit.check()
    expect(problems, "review.page-embed", "modules/index.md", 5)
    expect(problems, "review.page-embed", f"modules/{MODULE}/extra.md", 5)


def test_a_linked_page_inside_the_course_is_checked_too(course):
    kit = course({"content/notes/page.md": "# Notes\n\n/// story | maria-itch\n///\n"})
    os.symlink(kit.path("content/notes/page.md"), kit.path("modules/notes.md"))
    expect(kit.check(), "review.page-embed", "modules/notes.md", 3)


def test_pages_without_embeds_pass(course):
    kit = course({"modules/about.md": "# About\n\n//// web-only\nOnline only.\n////\n"})
    refute(kit.check(), "review.page-embed")


def test_a_theme_folder_replaced_by_a_link_makes_the_approval_stale(course):
    kit = course({"theme/print.css": "body { font-size: 11pt; }\n"})
    assert_clean(kit.check())
    os.rename(kit.path("theme"), kit.path("content/theme-copy"))
    os.symlink(kit.path("content/theme-copy"), kit.path("theme"))
    problem = expect(kit.check(), "review.stale", MODULE_MD, kit.line(MODULE_MD, f"- date: {APPROVED_ON}"))
    assert "theme" in problem.message
