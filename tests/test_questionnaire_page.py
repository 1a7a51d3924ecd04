"""The questionnaire pages' HTML and the ``evaluation`` plugin option, without a browser."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from patientvoice.course.loader import load_course
from patientvoice.site.questionnaire import EvaluationError, evaluation_items, questionnaire_page

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def module():
    """The example course's PBC module (loaded, not checked: these tests only render it)."""
    course, _ = load_course(REPO)
    return course, course.modules["hearing-the-itch"]


def key_of(html: str) -> dict:
    """The JSON answer key a page carries."""
    return json.loads(re.search(r'<script type="application/json" id="pv-key">(.*?)</script>', html, re.S).group(1))


def test_default_evaluation_asks_about_bias_patient_voice_and_relevance():
    items = evaluation_items([])
    assert [i.id for i in items] == ["eval-free-of-bias", "eval-bias-details", "eval-patient-voice", "eval-relevance"]
    assert all(i.phases == ["post"] and i.answer is None for i in items)


def test_evaluation_ids_get_the_prefix_once():
    items = evaluation_items([{"id": "balance", "kind": "likert", "stem": "Balanced?", "scale": ["No", "Partly", "Yes"]},
                              {"id": "eval-other", "kind": "text", "stem": "Anything else?"}])
    assert [i.id for i in items] == ["eval-balance", "eval-other"]


@pytest.mark.parametrize("raw, message", [
    ({"id": "x", "kind": "single", "stem": "S", "optoins": ["a", "b"]}, "unknown key 'optoins' (did you mean 'options'?)"),
    ({"id": "x", "kind": "single", "stem": "S"}, "needs 'options'"),
    ({"id": "x", "kind": "likert", "stem": "S", "scale": ["a", "b"]}, "at least 3"),
    ({"id": "x", "kind": "commitment", "stem": "S"}, "'kind' must be one of"),
    ({"id": "X y", "kind": "text", "stem": "S"}, "'id' must be lowercase"),
    ({"id": "x", "kind": "text", "stem": "S", "options": ["a", "b"]}, "takes no 'options'"),
    ("relevance", "each evaluation item is a mapping"),
])
def test_a_wrong_evaluation_item_is_an_error_that_says_where(raw, message):
    with pytest.raises(EvaluationError, match=re.escape(message)) as err:
        evaluation_items([raw])
    assert "plugins.patientvoice.evaluation[0]" in str(err.value)


def test_duplicate_evaluation_ids_are_an_error():
    with pytest.raises(EvaluationError, match="used twice"):
        evaluation_items([{"id": "a", "kind": "text", "stem": "S"}, {"id": "eval-a", "kind": "text", "stem": "T"}])


def test_only_the_post_page_carries_the_key_and_evaluation(module):
    course, m = module
    pages = {phase: questionnaire_page(course, m, phase, submit_url="https://collect.example/r")
             for phase in ("pre", "post", "follow-up")}
    for phase in ("pre", "follow-up"):
        assert "pv-key" not in pages[phase] and "eval-" not in pages[phase]
    key = key_of(pages["post"])
    assert key["pass_mark"] == 0.7
    assert key["items"]["itch-features"]["answer"] == [0, 1]
    assert set(key["items"]) == {i.id for i in m.questionnaire.phase("post") if i.kind in ("single", "multiple")}
    assert 'data-submit-url="https://collect.example/r"' in pages["pre"]
    assert 'id="item-eval-relevance"' in pages["post"]
    assert "\n\n" not in pages["post"]  # a blank line would end Markdown's raw HTML block


def test_every_control_has_a_label_and_required_items_are_marked(module):
    course, m = module
    html = questionnaire_page(course, m, "post")
    ids = re.findall(r'<(?:input|textarea)[^>]* id="(q-[^"]+)"', html)
    assert ids and all(f'for="{i}"' in html for i in ids)
    assert html.count("data-required") == sum(1 for i in m.questionnaire.phase("post")
                                              if i.kind in ("single", "multiple", "likert")) + 3  # 3 eval choices


def test_a_rationale_cannot_close_the_key_script_early(module):
    course, m = module
    m = copy.deepcopy(m)
    m.questionnaire.items[0].rationale = "Bad </script><script>alert(1)</script> & more"
    html = questionnaire_page(course, m, "post")
    assert "</script><script>alert(1)" not in html
    assert key_of(html)["items"][m.questionnaire.items[0].id]["rationale"].startswith("Bad </script>")


def test_an_item_id_that_clashes_with_an_evaluation_id_is_an_error(module):
    course, m = module
    m = copy.deepcopy(m)
    m.questionnaire.items[-2].id = "eval-relevance"
    with pytest.raises(EvaluationError, match="clash"):
        questionnaire_page(course, m, "post")


@pytest.mark.parametrize("attempts, show_key, says", [
    (1, "after-pass-or-last-attempt", ["Your first post-test attempt is the one that counts",
                                       "shown when you submit your first attempt"]),
    (3, "after-pass-or-last-attempt", ["your first 3 post-test attempts can count", "after your third attempt",
                                       "The outcomes study uses your first attempt only"]),
    (2, "always", ["your first 2 post-test attempts can count", "shown after each attempt"]),
    (1, "never", ["The correct answers are not shown", "which questions you got wrong"]),
])
def test_attempt_policy_is_stated_on_pre_and_post_only(module, attempts, show_key, says):
    course, m = module
    for phase in ("pre", "post", "follow-up"):
        html = questionnaire_page(course, m, phase, attempts=attempts, show_key=show_key)
        policy = re.search(r'<p class="pv-q__policy" data-pv-policy>(.*?)</p>', html, re.S)
        if phase == "follow-up":
            assert policy is None
            continue
        assert all(s in policy.group(1) for s in says), policy.group(1)
        assert f'data-attempts="{attempts}" data-show-key="{show_key}"' in html
        # Whatever show_key says, the post page carries the key (a static site cannot hide it).
        assert ('id="pv-key"' in html) == (phase == "post")
