"""Hostile review of the new outputs (audit, PARS, SCORM, cmi5, question banks): a bad ``--out`` or a course
without its print theme gives a clear error, never a traceback, and no half-written or stray file is left."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

import pdfread

from coursekit import COMPANY, MODULE, MODULE_MD, QUESTIONNAIRE, STORY, expect, make_course
from patientvoice.cli import main
from patientvoice.export.output import OutputError, write_whole
from sitekit import copy_course

COMMANDS = {
    "audit": ["audit", MODULE],
    "pars": ["export", "pars-activity"],
    "scorm": ["export", "scorm", MODULE],
    "cmi5": ["export", "cmi5", MODULE],
    "gift": ["export", "questions", MODULE, "--format", "gift"],
}


def _run(args):
    result = CliRunner().invoke(main, args)
    # a click error exits with SystemExit; anything else is a traceback the user would see
    assert isinstance(result.exception, (SystemExit, type(None))), result.output + repr(result.exception)
    return result


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return copy_course(tmp_path_factory.mktemp("hostile-out") / "course")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_out_under_a_file_is_refused_clearly(course, tmp_path, name):
    blocker = tmp_path / "report"
    blocker.write_text("not a folder")
    out = blocker / "x.out"
    result = _run([*COMMANDS[name], "-C", str(course), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{blocker} is a file, not a folder" in result.output
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("name", ["pars", "scorm"])
def test_out_that_is_not_a_regular_file_is_not_replaced(course, tmp_path, name):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = _run([*COMMANDS[name], "-C", str(course), "--out", str(fifo)])
    assert result.exit_code == 1 and "not a regular file" in result.output
    assert not fifo.is_file() and fifo.exists()  # still the pipe, not swapped for a plain file


def test_a_write_stopped_half_way_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "bank.gift"
    out.write_bytes(b"old")

    def half(f):
        f.write(b"half a ")
        raise KeyboardInterrupt  # Ctrl-C in the middle of writing

    with pytest.raises(KeyboardInterrupt):
        write_whole(out, half)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.gift"]
    with pytest.raises(OutputError, match="not a folder"):
        write_whole(out / "x", b"data")
    write_whole(out, b"new")
    assert out.read_bytes() == b"new" and sorted(p.name for p in tmp_path.iterdir()) == ["bank.gift"]


def test_audit_of_a_course_without_theme_uses_the_package_print_theme(tmp_path):
    kit = make_course(tmp_path / "c")  # a clean course with no theme/ folder
    assert not (kit.root / "theme").exists()
    out = tmp_path / "audit.pdf"
    result = _run(["audit", MODULE, "-C", str(kit.root), "--out", str(out), "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    # Set in the default theme's embedded fonts (theme/fonts is the package's), not a system font standing in.
    names = {f["name"].split("+")[-1] for f in pdfread.fonts(out)}
    assert {"Atkinson-Hyperlegible", "Atkinson-Hyperlegible-Bold"} <= names, names


def test_control_characters_are_refused_where_they_would_break_the_xml_exports(tmp_path):
    # YAML's "\x1b" escape gives a character XML 1.0 cannot hold: QTI, SCORM and PARS files would not parse.
    kit = make_course(tmp_path / "c")
    kit.edit(QUESTIONNAIRE, "    stem: A woman with PBC", '    stem: "Esc \\x1b" # A woman with PBC')
    kit.edit(COMPANY, "name: Acme Pharma", 'name: "Acme\\x00 Pharma"')
    kit.edit(MODULE_MD, "  pass_mark: 0.7\n", '  pass_mark: 0.7\n  providership: joint\n  joint_providers: ["A\\ufffe"]\n')
    problems = kit.check()
    assert "U+001B" in expect(problems, "schema.type", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "Esc")).message
    assert "U+0000" in expect(problems, "schema.type", COMPANY, 1).message
    assert "U+FFFE" in expect(problems, "schema.type", MODULE_MD, kit.line(MODULE_MD, "joint_providers")).message
    result = _run([*COMMANDS["gift"], "-C", str(kit.root), "--out", str(tmp_path / "q.gift")])
    assert result.exit_code == 1 and not (tmp_path / "q.gift").exists()


def test_new_and_schemas_say_why_they_cannot_write(tmp_path):
    kit = make_course(tmp_path / "c")
    (kit.root / "content" / "stories").rename(kit.root / "stories-moved")
    (kit.root / "content" / "stories").write_text("a file where the folder should be")
    result = _run(["new", "story", "fresh", "-C", str(kit.root)])
    assert result.exit_code == 1 and "cannot write content/stories/fresh.md: content/stories is a file, not a folder" in result.output
    result = _run(["new", "module", "a" * 300, "-C", str(kit.root)])  # longer than a file name may be
    assert result.exit_code == 1 and "File name too long" in result.output
    blocker = tmp_path / "schemas"
    blocker.write_text("x")
    result = _run(["schemas", "-C", str(kit.root), "--out", str(blocker)])
    assert result.exit_code == 1 and f"cannot write the schemas to {blocker}" in result.output
    (kit.root / ".vscode").mkdir()
    (kit.root / ".vscode" / "settings.json").write_text("[]")
    result = _run(["schemas", "-C", str(kit.root)])
    assert result.exit_code == 1 and "is not a JSON object" in result.output


def test_a_bad_follow_up_wave_is_named_in_its_list(tmp_path):
    kit = make_course(tmp_path / "c")
    kit.edit(QUESTIONNAIRE, "follow_up_after_days: 60", 'follow_up_after_days: [90, -3, "x", 60]')
    message = expect(kit.check(), "schema.type", QUESTIONNAIRE, 1).message
    assert "-3 in the list is not a whole number of days" in message


def test_pars_counts_skip_a_claim_under_an_unknown_credit_type():
    from patientvoice.export.pars import learner_counts

    claims = [{"module": MODULE, "profession": "physician", "credit_type": "ama-pra-1"},
              {"module": MODULE, "profession": "physician", "credit_type": "retired-type"}]  # an older database
    counts = learner_counts([], claims, MODULE)
    assert counts["receiving_credit"] == 1 and sum(counts["by_category"].values()) == 2


@pytest.mark.parametrize("subject", ["baby", "[child]", "{a: 1}"])
def test_an_unknown_consent_subject_is_a_schema_problem_not_a_crash(tmp_path, subject):
    kit = make_course(tmp_path / "c")
    kit.edit(STORY, "  final_text_approved: true\n", f"  final_text_approved: true\n  subject: {subject}\n")
    expect(kit.check(), "schema.enum", STORY, kit.line(STORY, "subject:"))
