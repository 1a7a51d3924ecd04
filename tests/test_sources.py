"""Bad input never gives a traceback: each broken file is one clear problem, and the rest is still checked."""

from __future__ import annotations

import os
import time

import pytest

from coursekit import (BASE, CLINICIAN, MODULE_MD, PAG, PROVIDER, QUESTIONNAIRE, STORY, assert_clean, dump,
                       expect, refute)

# An unrelated mistake planted in every bad-input course: it must still be reported next to the bad file.
PAG_WITH_TYPO = """\
    name: Example PBC Patient Association
    websit: https://pbc.example.org
    conditions: [Primary biliary cholangitis]
    relationship: Co-planner; received no funding for this activity
    """

FIFTY_MB = 50 * 1024 * 1024


def _only_problem_at(problems, path):
    at = [p for p in problems if p.path == path]
    assert len(at) == 1, f"expected exactly one problem at {path}; got:\n{dump(problems)}"
    return at[0]


BAD_INPUTS = [
    pytest.param("content/people/extra.yml", "name: Extra Person\nrole: clinician\n  affiliation: bad indent\n",
                 "yaml.syntax", 3, "column 14", id="yaml-syntax"),
    pytest.param("content/stories/extra.md", "---\ntitle: x\nnarrator: [patient\npseudonym: y\n---\nbody\n",
                 "yaml.syntax", 4, "column 10: did not find expected ',' or ']' (while parsing a flow sequence on line 3)",
                 id="yaml-syntax-in-front-matter"),
    pytest.param("content/data/extra.yml", b"title: survey\nfunding: none\nconducted_by: Caf\xe9 Society\n",
                 "file.encoding", 3, "0xe9", id="not-utf8"),
    pytest.param("content/pags/extra.yml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "file.encoding", 1,
                 "binary", id="binary"),
    pytest.param("content/committees/extra.yml", "", "file.empty", 1, "empty", id="empty"),
    pytest.param("content/committees/extra.yml", "  \n\n", "file.empty", 1, "empty", id="blank"),
    pytest.param("content/stories/extra.md", "---\ntitle: Never closed\nnarrator: patient\n\nThe story.\n",
                 "file.front-matter", 1, "never closed", id="front-matter-not-closed"),
    pytest.param("content/stories/extra.md", "A story with no front matter.\n", "file.front-matter", 1, "'---'",
                 id="front-matter-missing"),
    pytest.param("content/stories/extra.md", "---\n---\nbody\n", "file.front-matter", 2, "empty",
                 id="front-matter-empty"),
    pytest.param("content/people/extra.yml", "name: A Person\nrole: staff\nname: B Person\n", "yaml.duplicate-key",
                 3, "'name' appears twice", id="duplicate-key"),
    pytest.param("content/people/extra.yml", "- just\n- a list\n", "schema.type", 1, "not a list", id="top-level-list"),
    pytest.param("content/people/extra.yml", "~\n", "yaml.syntax", 1, "no YAML mapping", id="top-level-null"),
    pytest.param("content/people/extra.yml", "name:\tTab\n\trole: staff\n", "yaml.syntax", 2, "column 1",
                 id="tab-indent"),
]


@pytest.mark.parametrize("rel, content, rule, line, says", BAD_INPUTS)
def test_bad_file_is_one_clear_problem_and_the_rest_is_still_checked(course, rel, content, rule, line, says):
    kit = course({PAG: PAG_WITH_TYPO, rel: content})
    problems = kit.check()
    problem = expect(problems, rule, rel, line)
    assert says in problem.message
    assert _only_problem_at(problems, rel) == problem
    expect(problems, "schema.unknown-key", PAG, 2)
    assert len(problems) == 2, dump(problems)


def test_yaml_syntax_error_names_line_and_column(course):
    kit = course({CLINICIAN: "name: Dr Anna Lee\nrole: clinician\ndisclosure: {signed: 2025-11-01\n"})
    problems = kit.check()
    problem = expect(problems, "yaml.syntax", CLINICIAN, 4)
    assert "column 1" in problem.message and "YAML syntax error" in problem.message
    # The people who reference anna-lee are not told "no person 'anna-lee'": her file exists, it is broken.
    refute(problems, "ref.person")


def test_directory_where_a_file_should_be(course):
    kit = course({PAG: PAG_WITH_TYPO})
    (kit.path("content/people/extra.yml")).mkdir()
    (kit.path("content/people/extra.yml") / "x.yml").write_text("name: X\n")
    problems = kit.check()
    expect(problems, "file.not-a-file", "content/people/extra.yml", 1)
    _only_problem_at(problems, "content/people/extra.yml")
    expect(problems, "schema.unknown-key", PAG, 2)
    assert len(problems) == 2, dump(problems)


@pytest.mark.parametrize("rel", [PROVIDER, QUESTIONNAIRE])
def test_directory_instead_of_a_named_file(course, rel):
    kit = course({PAG: PAG_WITH_TYPO}, approved=False)
    kit.remove(rel)
    kit.path(rel).mkdir()
    problems = kit.check()
    expect(problems, "file.not-a-file", rel, 1)
    _only_problem_at(problems, rel)
    expect(problems, "schema.unknown-key", PAG, 2)


def test_fifty_megabyte_file_is_refused_quickly(course):
    kit = course({PAG: PAG_WITH_TYPO})
    with open(kit.path("content/stories/huge.md"), "wb") as f:
        f.write(b"a" * FIFTY_MB)
    started = time.perf_counter()
    problems = kit.check()
    assert time.perf_counter() - started < 5, "a 50 MB file must be refused by size, not read and parsed"
    problem = expect(problems, "file.too-large", "content/stories/huge.md", 1)
    assert "50.0 MB" in problem.message
    _only_problem_at(problems, "content/stories/huge.md")
    expect(problems, "schema.unknown-key", PAG, 2)
    assert len(problems) == 2, dump(problems)


def test_file_just_under_the_limit_is_read(course):
    kit = course()
    kit.write("content/people/big.yml", "name: Big File\nrole: staff\n" + "# padding\n" * 400_000)
    problems = kit.check()
    refute(problems, "file.too-large")
    assert_clean(problems)


def test_unreadable_file(course):
    kit = course({PAG: PAG_WITH_TYPO})
    os.symlink("nowhere.yml", kit.path("content/people/gone.yml"))  # a dangling link: cannot be read, even by root
    problems = kit.check()
    problem = expect(problems, "file.unreadable", "content/people/gone.yml", 1)
    assert "cannot be read" in problem.message
    _only_problem_at(problems, "content/people/gone.yml")
    expect(problems, "schema.unknown-key", PAG, 2)


def test_unexpected_file_in_content_folder_is_a_warning(course):
    kit = course()
    kit.write("content/people/notes.txt", "remember to ask Tom")
    problems = kit.check()
    problem = expect(problems, "file.unexpected", "content/people/notes.txt", 1)
    assert problem.severity == "warning"
    assert len(problems) == 1, dump(problems)


def test_missing_files_and_folders(course):
    kit = course({PROVIDER: None, QUESTIONNAIRE: None}, approved=False)
    problems = kit.check()
    expect(problems, "file.missing", PROVIDER, 1)
    expect(problems, "file.missing", QUESTIONNAIRE, 1)


def test_missing_module_index(course):
    kit = course({MODULE_MD: None}, approved=False)
    problems = kit.check()
    expect(problems, "file.missing", MODULE_MD, 1)


def test_not_a_course_at_all(tmp_path):
    from patientvoice.check import check_course

    _, problems = check_course(tmp_path)
    expect(problems, "file.missing", "content", 1)
    expect(problems, "file.missing", "modules", 1)


def test_a_clean_course_has_no_file_or_yaml_problems(course):
    problems = course().check()
    for rule in ("file.missing", "file.not-a-file", "file.too-large", "file.unreadable", "file.encoding",
                 "file.empty", "file.front-matter", "file.unexpected", "yaml.syntax", "yaml.duplicate-key"):
        refute(problems, rule)
    assert_clean(problems)


def test_utf8_bom_and_crlf_line_endings_are_accepted(course):
    kit = course()
    kit.write(CLINICIAN, b"\xef\xbb\xbf" + kit.read(CLINICIAN).replace("\n", "\r\n").encode())
    kit.write(STORY, kit.read(STORY).replace("\n", "\r\n").encode())
    problems = kit.check()
    refute(problems, "file.encoding")
    refute(problems, "file.front-matter")
    refute(problems, "review.stale")  # line endings are not a content change
    assert_clean(problems)


def test_broken_embedded_story_is_reported_once_at_its_file(course):
    kit = course()
    kit.write(STORY, b"\x00\x01 not text")
    problems = kit.check()
    expect(problems, "file.encoding", STORY, 1)
    refute(problems, "ref.story")  # "no story 'maria-itch'" would be untrue: the file is there, but broken


def test_impossible_values_never_raise(course):
    # Dates with a time, lists and mappings where scalars belong: each is a schema problem, not a traceback.
    kit = course()
    kit.edit(MODULE_MD, "release: 2026-01-15", "release: 2026-01-15T10:00:00")
    kit.edit(CLINICIAN, "signed: 2025-11-01", "signed: 2025-11-01 09:00:00")
    kit.edit(STORY, "expires: 2030-03-12", "expires: 2030-03-12T00:00:00Z")
    kit.edit(STORY, "pag: pbc-patients", "pag: [pbc-patients]")
    kit.edit(MODULE_MD, "show: chart", "show: 2026-02-30")
    problems = kit.check()
    expect(problems, "schema.date", MODULE_MD, kit.line(MODULE_MD, "release:"))
    expect(problems, "schema.date", CLINICIAN, kit.line(CLINICIAN, "signed:"))
    expect(problems, "schema.date", STORY, kit.line(STORY, "expires:"))
    expect(problems, "schema.id", STORY, kit.line(STORY, "pag: [pbc-patients]"))
    expect(problems, "schema.enum", MODULE_MD, kit.line(MODULE_MD, "show:"))


@pytest.mark.parametrize("rel", sorted(BASE))
@pytest.mark.parametrize("junk", ["[a, 1]", "{a: 1}", "2026-01-15T10:00:00", "~", "-3", "2026-02-30"])
def test_any_value_replaced_by_junk_never_raises(course, rel, junk):
    kit = course()
    original = kit.read(rel).splitlines(keepends=True)
    for i, text in enumerate(original):
        key, sep, value = text.partition(": ")
        if not sep or not value.strip() or key.lstrip().startswith(("#", ">")):
            continue
        kit.path(rel).write_text("".join(original[:i] + [f"{key}: {junk}\n"] + original[i + 1:]), encoding="utf-8")
        kit.check()  # must not raise
