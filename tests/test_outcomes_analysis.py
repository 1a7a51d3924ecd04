"""Which responses count and what they show: timing, order, implementation, Moore levels and the evaluation."""

import copy
import datetime as dt
from pathlib import Path

import pytest

from patientvoice.course.loader import load_course
from patientvoice.course.model import Item
from patientvoice.outcomes.analysis import outcomes
from patientvoice.outcomes.levels import reports_change
from patientvoice.outcomes.evaluation import EvaluationError, site_evaluation
from patientvoice.outcomes.report import write_report
from patientvoice.outcomes.synthetic import learner_code

ROOT = Path(__file__).resolve().parents[1]
MODULE = "hearing-the-itch"
START = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.timezone.utc)
HOSTILE = "<script>alert('bias')</script> & the drug's brand name on every slide"


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT)[0]


def row(learner: int, phase: str, when, answers: dict, received=None, module=MODULE) -> dict:
    """One validated response as the report reads it; ``when`` is a datetime or days after START."""
    when = START + dt.timedelta(days=when) if isinstance(when, (int, float)) else when
    activity = "PV-2026-PBC-01" if module == MODULE else "PV-2026-SCD-01"
    return {"activity": activity, "module": module, "phase": phase, "learner": learner_code(learner),
            "submitted": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "received": received, "answers": answers}


def itch(course, rows) -> dict:
    return next(m for m in outcomes(course, rows) if m["id"] == MODULE)


def test_a_follow_up_counts_only_when_due(course, tmp_path):
    rows = []
    for n, days in enumerate([59.9, 60, 90]):  # one early, one just due, one late
        rows += [row(n, "pre", 0, {"antihistamine-role": 1}), row(n, "post", 0, {"antihistamine-role": 0}),
                 row(n, "follow-up", days, {"antihistamine-role": 0, "implemented": f"I now ask, learner {n}"})]
    rows.append(row(3, "follow-up", 61, {"antihistamine-role": 0}))  # no post-test at all
    m = itch(course, rows)
    assert m["learners"]["follow-up"] == 2 and m["matched"]["pre/follow-up"] == 2
    assert m["follow_up"] == {"after_days": 60, "not_counted": {"early": 1, "without_post": 1, "undated": 0}}
    item = next(i for i in m["items"] if i["id"] == "antihistamine-role")
    assert item["phases"]["follow-up"]["n"] == 2 and item["follow-up"]["n"] == 2
    texts = next(t for t in m["texts"] if t["id"] == "implemented")["answers"]
    assert texts == ["I now ask, learner 1", "I now ask, learner 2"]  # the early answer is not used
    write_report(course, rows, [], "test", tmp_path, pdf=False)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Early follow-ups, not counted: 1." in html and "at least 60 days after" in html


def test_submitted_time_orders_attempts_and_the_first_pre_test_is_the_baseline(course):
    t = START
    rows = [
        # the baseline, then a repeated pre-test: the repeat must not replace what the learner knew before
        row(0, "pre", t, {"antihistamine-role": 1}, received="2026-02-01T09:00:05.000000Z"),
        row(0, "pre", t + dt.timedelta(hours=1), {"antihistamine-role": 0}, received="2026-02-01T10:00:05.000000Z"),
        # the first post-test is analysed, even when it was delivered a day late (offline queue) after a retake
        row(0, "post", t + dt.timedelta(hours=2), {"antihistamine-role": 0}, received="2026-02-01T11:00:05.000000Z"),
        row(0, "post", t + dt.timedelta(hours=1), {"antihistamine-role": 2}, received="2026-02-02T09:00:00.000000Z"),
    ]
    m = itch(course, rows)
    item = next(i for i in m["items"] if i["id"] == "antihistamine-role")
    assert item["phases"]["pre"]["correct"] == 0 and item["phases"]["post"]["correct"] == 0
    assert m["superseded"] == 2 and m["attempts"]["retook"] == 1 and m["flow"]["duplicates"] == {"pre": 1, "post": 1}
    # times are compared as times: 10:30+01:00 is before 10:00Z
    offset = [{**rows[2], "submitted": "2026-02-01T10:30:00+01:00"},
              {**rows[3], "submitted": "2026-02-01T10:00:00Z", "received": None}]
    post = next(i for i in itch(course, rows[:1] + offset)["items"] if i["id"] == "antihistamine-role")
    assert post["phases"]["post"]["correct"] == 1


@pytest.mark.parametrize("text", [
    "No, clinic time was the barrier", "None so far", "No changes yet", "Nope", "I have not changed anything",
    "not really", "haven't had the chance", "Haven\u2019t had the chance", "Nothing yet",
    "We had no time to implement it",
    "Not yet, waiting for a new triage protocol", "Waiting for the new protocol", "Sadly, nothing has changed", ""])
def test_no_change(text):
    assert not reports_change(text)


@pytest.mark.parametrize("text", [
    "I now ask about itch at every visit", "Started using the pain plan; no barriers",
    "We added an itch score to the clinic template", "No longer prescribe antihistamines for itch",
    "Haven't had the chance to set up the template, but I now ask about sleep",
    "Nothing got in the way; I now ask every patient"])
def test_change(text):
    assert reports_change(text)


def _cohort(pre: dict, follow: dict, implemented=None) -> list[dict]:
    rows = []
    for i in range(len(implemented) if implemented else 12):
        rows += [row(i, "pre", 0, dict(pre)),
                 row(i, "post", 0, {"antihistamine-role": 0, "commit": "Ask at every review"})]
        answers = dict(follow) | ({"implemented": implemented[i]} if implemented else {})
        rows.append(row(i, "follow-up", 61, answers))
    return rows


def _moore(course, rows, objective):
    return next(o["moore"] for o in itch(course, rows)["objectives"] if o["id"] == objective)


def test_performance_needs_a_measure_of_practice(course):
    # retained knowledge and confidence at follow-up: knowledge and competence, not performance
    knows = _moore(course, _cohort({"itch-score-recorded": 0, "asks-about-itch": 2},
                                   {"itch-score-recorded": 1, "asks-about-itch": 2}), "assess-itch-routinely")
    assert knows["highest"] == "competence" and "performance" not in knows["evidence"]
    assert any("(retained at follow-up)" in e for e in knows["evidence"]["knowledge"])
    assert any("'asks-about-itch'" in e and "no learner's answer changed (n = 12)" in e for e in knows["not_counted"])
    # how often learners ask, on a frequency scale, rose by follow-up: self-reported performance
    does = _moore(course, _cohort({"asks-about-itch": 1}, {"asks-about-itch": 3}), "assess-itch-routinely")
    assert does["highest"] == "performance"
    assert does["evidence"]["performance"][0].startswith("practice 'asks-about-itch', pre → follow-up")
    # a confidence rating that rose by follow-up stays competence (self-assessed)
    sure = _moore(course, _cohort({"confidence-treating-itch": 1}, {"confidence-treating-itch": 3}),
                  "apply-stepwise-treatment")
    assert sure["highest"] == "competence" and "self-assessed, at follow-up" in sure["evidence"]["competence"][0]


def test_performance_from_commitments_needs_a_majority_reporting_change(course):
    said = ["I now ask about itch at every review"] * 7 + ["No changes yet", "Nope", "not really",
                                                           "haven't had the chance", "None so far"]
    moore = _moore(course, _cohort({}, {}, said), "assess-itch-routinely")
    assert moore["highest"] == "performance"
    assert moore["evidence"]["performance"][0].startswith(
        "7 of 12 learners who made a commitment (not tied to an objective) reported a change at follow-up (58%, "
        "95% CI 32–81%; 0 did not answer the follow-up")
    moore = _moore(course, _cohort({}, {}, said[5:]), "assess-itch-routinely")
    assert "performance" not in moore["evidence"] and any("not a majority" in e for e in moore["not_counted"])
    assert itch(course, _cohort({}, {}, said[5:]))["commitments"]["rate"] == round(2 / 7, 3)


def test_satisfaction_needs_a_favourable_majority(course):
    def moore(relevance):
        rows = [row(i, "post", 0, {"antihistamine-role": 0, "eval-relevance": v}) for i, v in enumerate(relevance)]
        return _moore(course, rows, "explain-itch-mechanisms")
    neutral = moore([2] * 12)  # a median at the midpoint is not satisfaction
    assert "satisfaction" not in neutral["evidence"]
    assert "'eval-relevance': 0 of 12 learners (0%) answered Agree or Strongly agree — not a majority" in \
        neutral["not_counted"]
    assert "satisfaction" not in moore([3, 4, 4, 3, 4, 4, 2, 2, 1, 0, 2, 2])["evidence"]  # 6 of 12: half
    pleased = moore([3, 4, 4, 3, 4, 4, 3, 2, 1, 0, 2, 2])
    assert pleased["highest"] == "satisfaction"
    assert pleased["evidence"]["satisfaction"] == [
        "'eval-relevance': 7 of 12 learners (58%) answered Agree or Strongly agree"]
    # the same rule for a post-test likert item of the questionnaire that is tied to no objective
    own = copy.deepcopy(course)
    own.modules[MODULE].questionnaire.items.append(Item(
        id="worth-it", phases=["post"], objective=None, kind="likert", stem="Worth the time?", options=[],
        answer=None, rationale=None, scale=["No", "Somewhat", "Neutral", "Mostly", "Yes"], line=0))
    rows = [row(i, "post", 0, {"antihistamine-role": 0, "worth-it": 2}) for i in range(12)]
    moore = _moore(own, rows, "explain-itch-mechanisms")
    assert "satisfaction" not in moore["evidence"] and moore["highest"] == "participation"


def test_evaluation_results_are_reported_and_escaped(course, tmp_path):
    rows = [row(i, "post", 0, {"antihistamine-role": 0, "eval-free-of-bias": int(i == 0), "eval-relevance": 4,
                               **({"eval-bias-details": HOSTILE} if i == 0 else {})}) for i in range(3)]
    data = write_report(course, rows, [], "test", tmp_path, pdf=False)
    ev = {e["id"]: e for e in next(m for m in data["modules"] if m["id"] == MODULE)["evaluation"]}
    assert ev["eval-free-of-bias"]["counts"] == [2, 1] and ev["eval-free-of-bias"]["labels"] == ["Yes", "No"]
    assert ev["eval-relevance"]["counts"] == [0, 0, 0, 0, 3] and ev["eval-relevance"]["favourable"] == 3
    assert ev["eval-bias-details"]["answers"] == [HOSTILE] and ev["eval-patient-voice"]["n"] == 0
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;bias&#39;)&lt;/script&gt; &amp; the drug" in html
    assert "Evaluation of the activity" in html and "Was the content of this activity free of commercial bias?" in html


def test_evidence_n_is_always_the_matched_pairs(course):
    pre, post = [0, 1, 1, 2, 2, 2, 1, 0, 3, 2, 1, 2], [2, 3, 1, 3, 4, 2, 3, 2, 3, 4, 2, 1]
    rows = []
    for i in range(12):
        rows += [row(i, "pre", 0, {"confidence-treating-itch": pre[i]}),
                 row(i, "post", 0, {"confidence-treating-itch": post[i]})]
    moore = _moore(course, rows, "apply-stepwise-treatment")
    text = moore["evidence"]["competence"][0]
    assert "9 changed" in text and text.endswith("(n = 12) (self-assessed)")


def test_evaluation_items_are_read_from_mkdocs_yml(tmp_path):
    assert [i.id for i in site_evaluation(tmp_path)] == [  # no mkdocs.yml: the defaults
        "eval-free-of-bias", "eval-bias-details", "eval-patient-voice", "eval-relevance"]
    (tmp_path / "mkdocs.yml").write_text(
        "theme:\n  icon: !!python/name:material.icons\nplugins:\n  - search\n  - patientvoice:\n"
        "      submit_url: !ENV [URL, '']\n      evaluation:\n        - {id: useful, kind: text, stem: 'Useful?'}\n")
    assert [(i.id, i.kind, i.phases) for i in site_evaluation(tmp_path)] == [("eval-useful", "text", ["post"])]
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - patientvoice:\n      evaluation:\n        - {id: x, kind: essay}\n")
    with pytest.raises(EvaluationError, match=r"mkdocs.yml: plugins.patientvoice.evaluation\[0\]: 'kind' must be"):
        site_evaluation(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("plugins: [patientvoice\n")
    with pytest.raises(EvaluationError, match=r"mkdocs.yml: not valid YAML \(line"):
        site_evaluation(tmp_path)


def test_the_collectors_reading_of_mkdocs_yml_refuses_an_alias_bomb(tmp_path):
    # The collector, the report and the credit policy read the plugin's options through the course's limited
    # YAML reader: an alias bomb is refused at its line, not expanded.
    (tmp_path / "mkdocs.yml").write_text(
        "plugins:\n  - patientvoice\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x]\n"
        "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n")
    with pytest.raises(EvaluationError, match=r"mkdocs.yml: cannot be read safely \(line 5: the alias"):
        site_evaluation(tmp_path)
