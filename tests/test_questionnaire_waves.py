"""Follow-up waves (``follow_up_after_days: [90, 180]``) and unscored survey items (issue 13).

Waves: the first keeps phase ``follow-up``; later ones are ``follow-up-2``, ... with their own page, opening
date, accepted responses and report summary. Survey items: single/multiple choice without objective, answer
or rationale, shown without a key and never counted in a score.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coursekit import BASE, MODULE, QUESTIONNAIRE, assert_clean, expect, refute

from patientvoice.course.loader import load_course
from patientvoice.course.waves import is_follow_up, wave_number, wave_phase, waves_of
from patientvoice.outcomes.analysis import outcomes
from patientvoice.outcomes.scoring import score
from patientvoice.outcomes.validate import Invalid, index_course, validate
from patientvoice.site.pages import generated_pages, navigation
from patientvoice.site.questionnaire import questionnaire_page

WAVES = BASE[QUESTIONNAIRE].replace("follow_up_after_days: 60", "follow_up_after_days: [90, 180]")
SURVEY = ("  - id: barriers\n    phases: [post, follow-up]\n    kind: multiple\n"
          "    stem: What makes it hard to ask about itch in clinic? Choose all that apply.\n"
          "    options: [Time, No treatment to offer, Patients rarely mention it]\n")


def _load(kit):
    loaded, problems = load_course(kit.root)
    return loaded, loaded.modules[MODULE]


# --- waves ------------------------------------------------------------------------------------------------

def test_a_list_of_days_is_one_wave_each(course):
    kit = course({QUESTIONNAIRE: WAVES})
    assert_clean(kit.check())
    _, m = _load(kit)
    assert m.questionnaire.follow_up_waves == [90, 180]
    assert m.questionnaire.follow_up_after_days == 90  # the first wave, for readers written before waves
    assert m.questionnaire.waves() == [("follow-up", 90), ("follow-up-2", 180)]
    assert m.questionnaire.phase("follow-up-2") == m.questionnaire.phase("follow-up")


def test_six_waves_up_to_three_years_are_fine(course):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE].replace(
        "follow_up_after_days: 60", "follow_up_after_days: [30, 60, 90, 180, 365, 1095]")})
    refute(kit.check(), "schema.range")
    assert [d for _, d in _load(kit)[1].questionnaire.waves()] == [30, 60, 90, 180, 365, 1095]


def test_a_single_number_stays_one_wave(course):
    kit = course()
    _, m = _load(kit)
    assert m.questionnaire.waves() == [("follow-up", 60)]


@pytest.mark.parametrize("value, rule", [("[180, 90]", "schema.range"), ("[90, 90]", "schema.range"),
                                         ("[]", "schema.type"), ("[90, soon]", "schema.type"), ("0", "schema.type"),
                                         # a wave after the activity's longest life, or more waves than anyone
                                         # comes back for
                                         ("[90, 2000]", "schema.range"), ("1096", "schema.range"),
                                         ("[10, 20, 30, 40, 50, 60, 70]", "schema.range")])
def test_waves_must_be_increasing_whole_numbers(course, value, rule):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE].replace("follow_up_after_days: 60",
                                                             f"follow_up_after_days: {value}")})
    problem = expect(kit.check(), rule, QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "follow_up_after_days:"))
    assert "follow_up_after_days" in problem.message


@given(st.integers(min_value=1, max_value=500))
def test_wave_phase_names_round_trip(n):
    assert wave_number(wave_phase(n)) == n
    assert is_follow_up(wave_phase(n))


@pytest.mark.parametrize("phase", ["follow-up-1", "follow-up-02", "follow-up-", "followup-2", "post", "pre"])
def test_other_phase_names_are_no_wave(phase):
    assert not is_follow_up(phase) or phase == "follow-up"


def test_waves_of_reads_numbers_and_lists():
    assert waves_of(60) == [60]
    assert waves_of([30, 90]) == [30, 90]
    assert waves_of(True) == [] and waves_of("60") == []


def test_each_later_wave_has_its_page_opening_date_and_nav_entry(course):
    kit = course({QUESTIONNAIRE: WAVES})
    loaded, m = _load(kit)
    pages = generated_pages(loaded)
    assert f"{MODULE}/follow-up.md" in pages and f"{MODULE}/follow-up-2.md" in pages
    assert f"{MODULE}/follow-up-3.md" not in pages
    second = pages[f"{MODULE}/follow-up-2.md"]
    assert '"title": "Follow-up 2 · ' in second
    # The first wave's page leads on to the second; the last wave leads back to the course.
    assert 'href="../follow-up-2/"' in pages[f"{MODULE}/follow-up.md"]
    assert "Back to the course" in second and "follow-up-3" not in second
    assert 'data-phase="follow-up-2"' in second and 'data-follow-up-days="180"' in second
    assert "It opens 180 days after you submit the post-test." in second
    assert 'data-follow-up-days="90"' in pages[f"{MODULE}/follow-up.md"]
    nav = str(navigation(loaded))
    assert f"{MODULE}/follow-up-2.md" in nav and "'Follow-up 2'" in nav


def test_one_wave_makes_no_second_page(course):
    loaded, _ = _load(course())
    assert not any(p.endswith("follow-up-2.md") for p in generated_pages(loaded))


def _response(phase, answers, learner="K7QF-3M9X", submitted="2026-02-01T10:00:00Z"):
    return {"activity": "PV-2026-PBC-01", "module": MODULE, "phase": phase, "learner": learner,
            "submitted": submitted, "answers": answers}


def test_the_collector_accepts_later_waves_only_when_the_module_has_them(course):
    kit = course({QUESTIONNAIRE: WAVES})
    loaded, _ = _load(kit)
    activity = loaded.modules[MODULE].activity["id"]
    specs = index_course(loaded, evaluation=[])
    ok = validate({**_response("follow-up-2", {"itch-impact": 0}), "activity": activity}, specs)
    assert ok["phase"] == "follow-up-2"
    with pytest.raises(Invalid, match="has no phase \"follow-up-3\""):
        validate({**_response("follow-up-3", {"itch-impact": 0}), "activity": activity}, specs)
    one, _ = _load(course())
    with pytest.raises(Invalid, match="has no phase \"follow-up-2\""):
        validate({**_response("follow-up-2", {"itch-impact": 0}), "activity": activity},
                 index_course(one, evaluation=[]))


def test_the_report_summarises_each_later_wave(course):
    kit = course({QUESTIONNAIRE: WAVES})
    loaded, _ = _load(kit)
    rows = []
    for i, code in enumerate(["AAAA-BBBB", "CCCC-DDDD", "EEEE-FFFF"]):
        rows += [_response("pre", {"itch-impact": 1}, code, "2026-01-01T09:00:00Z"),
                 _response("post", {"itch-impact": 0}, code, "2026-01-01T10:00:00Z")]
    rows += [_response("follow-up-2", {"itch-impact": 0}, "AAAA-BBBB", "2026-07-01T10:00:00Z"),  # 181 days
             _response("follow-up-2", {"itch-impact": 0}, "CCCC-DDDD", "2026-04-15T10:00:00Z"),  # too early
             _response("follow-up", {"itch-impact": 0}, "EEEE-FFFF", "2026-04-15T10:00:00Z")]   # wave 1, 104 days
    for r in rows:
        r["activity"] = loaded.modules[MODULE].activity["id"]
    m = outcomes(loaded, rows, evaluation=[])[0]
    assert m["learners"]["follow-up"] == 1  # the first wave is the report's follow-up, as before
    [wave] = m["waves"]
    assert (wave["phase"], wave["after_days"], wave["counted"], wave["matched"]) == ("follow-up-2", 180, 1, 1)
    assert wave["not_counted"]["early"] == 1
    assert wave["knowledge_total"]["pairs"] == 1
    assert wave["knowledge_total"]["before_mean"] == 0 and wave["knowledge_total"]["after_mean"] == 1


# --- unscored survey items --------------------------------------------------------------------------------

def test_a_choice_item_without_objective_answer_or_rationale_is_a_survey_item(course):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + SURVEY})
    problems = kit.check()
    refute(problems, "questionnaire.no-key")
    assert_clean(problems)
    _, m = _load(kit)
    survey = next(i for i in m.questionnaire.items if i.id == "barriers")
    assert survey.scored is False
    assert next(i for i in m.questionnaire.items if i.id == "itch-impact").scored is True


def test_a_survey_item_with_only_a_rationale_is_half_a_key(course):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + SURVEY + "    rationale: Time is the usual answer.\n"})
    problem = expect(kit.check(), "questionnaire.no-key", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "- id: barriers"))
    assert "has no answer" in problem.message and "unscored survey question" in problem.message


def test_an_item_measuring_an_objective_still_needs_its_key(course):
    kit = course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + SURVEY.replace(
        "    kind: multiple\n", "    objective: recognise-burden\n    kind: multiple\n")})
    problem = expect(kit.check(), "questionnaire.no-key", QUESTIONNAIRE, kit.line(QUESTIONNAIRE, "- id: barriers"))
    assert "measures objective 'recognise-burden'" in problem.message


def test_survey_items_never_count_in_a_score(course):
    _, m = _load(course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + SURVEY}))
    items = {i.id: i for i in m.questionnaire.phase("post")}
    result = score(items, {"itch-impact": 0, "barriers": [0, 2]}, 0.7)
    assert (result["correct"], result["total"], result["passed"]) == (1, 1, True)
    assert "barriers" not in result["items"]
    # skipping a survey item costs nothing either
    assert score(items, {"itch-impact": 0}, 0.7)["share"] == 1.0


def test_survey_items_are_shown_as_survey_questions_without_a_key(course):
    loaded, m = _load(course({QUESTIONNAIRE: BASE[QUESTIONNAIRE] + SURVEY}))
    html = questionnaire_page(loaded, m, "post", evaluation=[])
    assert "(survey question: no right answer, not scored)" in html
    key = html.split('id="pv-key">', 1)[1].split("</script>", 1)[0]
    assert '"itch-impact"' in key and '"barriers"' not in key


def test_the_report_counts_survey_answers_per_option_and_shows_both_tables(course, tmp_path):
    from patientvoice.outcomes.report import write_report

    kit = course({QUESTIONNAIRE: WAVES + SURVEY})
    loaded, _ = _load(kit)
    activity = loaded.modules[MODULE].activity["id"]
    rows = [_response("post", {"itch-impact": 0, "barriers": [0, 2]}, "AAAA-BBBB"),
            _response("post", {"itch-impact": 1, "barriers": [2]}, "CCCC-DDDD"),
            _response("post", {"itch-impact": 0}, "EEEE-FFFF"),
            _response("pre", {"itch-impact": 1}, "AAAA-BBBB", "2026-02-01T09:00:00Z"),
            _response("follow-up-2", {"itch-impact": 0, "barriers": [1]}, "AAAA-BBBB", "2026-08-01T10:00:00Z")]
    for r in rows:
        r["activity"] = activity
    data = write_report(loaded, rows, [], "test", tmp_path / "out", pdf=False, evaluation=[])
    [m] = data["modules"]
    [survey] = m["survey"]
    assert survey["id"] == "barriers"
    assert survey["phases"]["post"] == {"respondents": 2, "counts": [1, 0, 2]}
    assert m["pass"]["passed"] == 2  # the survey item never decides a pass
    html = (tmp_path / "out" / "index.html").read_text()
    assert "Survey question (not scored): What makes it hard to ask about itch" in html
    assert "Later follow-up waves" in html and "Follow-up 2 (follow-up-2)" in html
