"""YAML that no course file needs (aliases, deep nesting, non-JSON types) is a path:line problem within seconds."""

from __future__ import annotations

import time

import pytest

from coursekit import CLINICIAN, MODULE_MD, STORY, assert_clean, dump, expect, refute
from test_safe_files import check_cli, check_within

BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))  # 9**9 values expanded


def _nested_block(depth: int) -> str:
    return "name: Deep\nrole: staff\nextra:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth)) \
        + "  " * (depth + 1) + "end\n"


def test_an_alias_bomb_is_refused_in_milliseconds_not_expanded(course):
    kit = course()
    kit.write("content/people/bomb.yml", BOMB)
    started = time.perf_counter()
    problems = check_within(kit, 10)
    assert time.perf_counter() - started < 3
    problem = expect(problems, "yaml.alias", "content/people/bomb.yml", 2)
    assert "'*a'" in problem.message and "71 more like it" in problem.message
    assert [p.rule for p in problems if p.path == "content/people/bomb.yml"] == ["yaml.alias"], dump(problems)
    out, seconds = check_cli(kit.root)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert "content/people/bomb.yml:2: " in out.stdout and "[yaml.alias]" in out.stdout
    assert seconds < 10


def test_aliases_and_merge_keys_are_refused_wherever_yaml_is_read(course):
    kit = course()
    kit.edit(STORY, "pseudonym: Maria\n", "pseudonym: &who Maria\nnarrator_name: *who\n")
    kit.edit(CLINICIAN, "role: clinician\n", "role: clinician\nbase: &base {a: 1}\nmore:\n  <<: *base\n")
    kit.edit(MODULE_MD, "    show: chart\n", "    show: &s chart\n    caption: *s\n")
    problems = kit.check()
    expect(problems, "yaml.alias", STORY, kit.line(STORY, "narrator_name: *who"))
    expect(problems, "yaml.alias", CLINICIAN, kit.line(CLINICIAN, "<<: *base"))  # the merge key and its alias
    expect(problems, "yaml.alias", MODULE_MD, kit.line(MODULE_MD, "caption: *s"))  # block options, too


def test_an_anchor_with_no_alias_is_harmless(course):
    kit = course()
    kit.edit(CLINICIAN, "name: Dr Anna Lee", "name: &n Dr Anna Lee")
    problems = kit.check()
    refute(problems, "yaml.alias")
    assert_clean(problems)


@pytest.mark.parametrize("text, line", [
    pytest.param(_nested_block(250), 53, id="block-250"),
    pytest.param("name: Deep\nrole: staff\nextra: " + "[" * 250 + "]" * 250 + "\n", 3, id="flow-250"),
    pytest.param("name: Deep\nrole: staff\nextra: " + "[" * 5000 + "]" * 5000 + "\n", 3, id="flow-5000"),
])
def test_deep_nesting_is_one_problem_not_a_recursion_error(course, text, line):
    kit = course()
    kit.write("content/people/deep.yml", text)
    problems = check_within(kit, 10)
    rules = [p.rule for p in problems if p.path == "content/people/deep.yml"]
    assert rules in (["yaml.depth"], ["yaml.syntax"]), dump(problems)  # libyaml itself stops at 1,000 levels
    if rules == ["yaml.depth"]:
        expect(problems, "yaml.depth", "content/people/deep.yml", line)
    out, _ = check_cli(kit.root)
    assert out.returncode == 1 and "Traceback" not in out.stdout + out.stderr, out.stderr
    assert "content/people/deep.yml:" in out.stdout


def test_nesting_up_to_the_limit_is_accepted(course):
    kit = course()
    kit.write("content/people/deep.yml", _nested_block(49))  # 50 levels with the top mapping and `extra`
    problems = kit.check()
    refute(problems, "yaml.depth")
    expect(problems, "schema.unknown-key", "content/people/deep.yml", 3)


@pytest.mark.parametrize("value, says", [
    ("!!set {a, b}", "!!set"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!omap [a: 1, b: 2]", "!!omap"),
    ("!!pairs [a: 1]", "!!pairs"),
    ("!!python/object/apply:os.system [echo hacked]", "!!python/object/apply:os.system"),
    ("!custom thing", "!custom"),
])
def test_non_json_types_are_refused_at_their_line(course, value, says):
    kit = course()
    kit.edit(CLINICIAN, "affiliation: Royal Example Hospital", f"affiliation: {value}")
    problems = kit.check()
    problem = expect(problems, "yaml.type", CLINICIAN, kit.line(CLINICIAN, "affiliation:"))
    assert says in problem.message
    assert [p.rule for p in problems if p.path == CLINICIAN] == ["yaml.type"], dump(problems)


def test_a_list_as_a_key_is_refused(course):
    kit = course()
    kit.edit(CLINICIAN, "role: clinician\n", "role: clinician\n? [a, b]\n: c\n")
    expect(kit.check(), "yaml.type", CLINICIAN, kit.line(CLINICIAN, "? [a, b]"))


def test_plain_values_and_an_equals_sign_are_text(course):
    kit = course()
    kit.edit(CLINICIAN, "affiliation: Royal Example Hospital", "affiliation: '='")
    kit.edit(STORY, "pseudonym: Maria", "pseudonym: =")
    problems = kit.check()
    for rule in ("yaml.type", "yaml.depth", "yaml.alias"):
        refute(problems, rule)
