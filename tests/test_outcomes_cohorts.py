"""Simulated cohorts with known effects: null effects with retakes, tiny samples, heavy attrition, false levels."""

import datetime as dt
import os
import random
from pathlib import Path

import pytest
from scipy import stats as sp

from patientvoice.course.loader import load_course
from patientvoice.outcomes.analysis import outcomes
from patientvoice.outcomes.report import write_report
from patientvoice.outcomes.synthetic import learner_code

ROOT = Path(__file__).resolve().parents[1]
PAIN = "believed-in-pain"          # objective describe-ed-standards has three knowledge items
ITEMS = {"time-to-analgesia": 0, "red-flags": [0, 1, 3], "reassessment": 0}
WRONG = {"time-to-analgesia": 1, "red-flags": [2], "reassessment": 2}
START = dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.timezone.utc)
RUNS = int(os.environ.get("PATIENTVOICE_FUZZ_EXAMPLES", "200"))


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT)[0]


def answers(rng, p_right: float) -> dict:
    return {k: (v if rng.random() < p_right else WRONG[k]) for k, v in ITEMS.items()}


def response(n: int, phase: str, minutes: float, ans: dict) -> dict:
    when = START + dt.timedelta(minutes=minutes)
    return {"activity": "PV-2026-SCD-01", "module": PAIN, "phase": phase, "learner": learner_code(n),
            "submitted": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "received": None, "answers": ans}


def cohort(seed: int, learners: int, pre: float, post: float, retake: bool = False, stay: float = 1.0) -> list:
    """Pre and first post-test with the given chances of a right answer; a retake after the key is all right."""
    rng = random.Random(seed)
    rows = []
    for n in range(learners):
        rows.append(response(n, "pre", n, answers(rng, pre)))
        if rng.random() >= stay:
            continue
        first = answers(rng, post)
        rows.append(response(n, "post", n + 30, first))
        if retake and sum(first[k] == v for k, v in ITEMS.items()) < 3:
            rows.append(response(n, "post", n + 45, dict(ITEMS)))  # the key was shown after the first attempt
    return rows


def pain(course, rows) -> dict:
    return next(m for m in outcomes(course, rows, evaluation=[]) if m["id"] == PAIN)


def objective(m) -> dict:
    return next(o for o in m["objectives"] if o["id"] == "describe-ed-standards")


def test_null_effect_with_retakes_shows_no_change_and_the_retakes_apart(course):
    rows = cohort(3, 60, 0.5, 0.5, retake=True)
    m = pain(course, rows)
    total = m["knowledge_total"]["post"]
    assert total["pairs"] == 60 and abs(total["effect"]["d_z"]) < 0.3 and total["pvalue"] > 0.05
    assert "knowledge" not in objective(m)["moore"]["evidence"]
    at = m["attempts"]
    # shares of the post-test's five knowledge items, three of which the simulated learners answer
    assert at["retook"] > 30 and at["best_mean_share"] == 0.6 and at["first_mean_share"] < 0.4
    assert at["attempts_counting_for_credit"] == 1 and at["analysed"] == "first"
    # what the latest attempt would have said: a large, "significant" gain that is only the key
    latest = {r["learner"]: r for r in rows if r["phase"] == "post"}
    pre = {r["learner"]: r for r in rows if r["phase"] == "pre"}
    share = lambda a: sum(a[k] == v for k, v in ITEMS.items()) / 3  # noqa: E731
    diffs = [share(latest[lr]["answers"]) - share(pre[lr]["answers"]) for lr in pre]
    assert sp.wilcoxon(diffs).pvalue < 1e-4


def test_a_real_effect_is_found_with_figures_that_match_scipy(course):
    rows = cohort(5, 40, 0.35, 0.8)
    m = pain(course, rows)
    total = m["knowledge_total"]["post"]
    pre = {r["learner"]: r["answers"] for r in rows if r["phase"] == "pre"}
    post = {r["learner"]: r["answers"] for r in rows if r["phase"] == "post"}
    # the module's five knowledge items; the two the simulated learners skip count as wrong
    share = lambda a: sum(a[k] == v for k, v in ITEMS.items()) / 5  # noqa: E731
    diffs = [share(post[lr]) - share(pre[lr]) for lr in pre]
    t = sp.ttest_1samp(diffs, 0)
    assert total["effect"]["mean_change"] == pytest.approx(sum(diffs) / len(diffs))
    assert total["effect"]["mean_change_ci"] == pytest.approx(list(t.confidence_interval()))
    assert total["effect"]["pvalue"] == pytest.approx(t.pvalue)
    assert total["method"] == "exact permutation" and total["pvalue"] < 0.001
    moore = objective(m)["moore"]
    assert moore["highest"] == "knowledge" and "primary measure" in moore["evidence"]["knowledge"][0]
    assert any("Holm-adjusted" in s for s in moore["supporting"])


def test_five_learners_changing_cannot_earn_a_level(course):
    rows = []
    for n in range(5):  # every one of them gains, the most a sample of five can show
        rows += [response(n, "pre", n, dict(WRONG)), response(n, "post", n + 30, dict(ITEMS))]
    m = pain(course, rows)
    primary = objective(m)["primary"]["post"]
    assert primary["n"] == 5 and primary["pvalue"] == pytest.approx(0.0625)
    assert "knowledge" not in objective(m)["moore"]["evidence"]
    item = next(i for i in m["items"] if i["id"] == "reassessment")["post"]
    assert item["pvalue"] == pytest.approx(0.0625) and item["midp"] == pytest.approx(0.03125)


def test_heavy_attrition_is_shown_in_the_flow_with_the_drop_outs_compared(course, tmp_path):
    rng = random.Random(8)
    rows = []
    for n in range(40):
        strong = n < 8  # only the strongest stay for the post-test
        rows.append(response(n, "pre", n, answers(rng, 0.8 if strong else 0.3)))
        if strong:
            rows.append(response(n, "post", n + 30, answers(rng, 0.9)))
    rows.append(response(99, "post", 5, answers(rng, 0.9)))  # a post-test without a pre-test
    m = pain(course, rows)
    flow = m["flow"]
    assert flow["started"] == 41 and flow["pre"]["completed"] == 40
    assert flow["post"] == {"completed": 9, "matched": 8, "no_post": 32, "without_pre": 1}
    rate = flow["response_rate"]["post"]
    assert (rate["k"], rate["n"], rate["rate"]) == (8, 40, 0.2) and rate["ci"][0] < 0.2 < rate["ci"][1]
    d = flow["dropouts"]
    assert d["left"]["n"] == 32 and d["stayed"]["n"] == 8 and d["difference"] < 0
    assert d["difference_ci"][1] < 0 and d["mann_whitney_p"] < 0.05
    write_report(course, rows, [], "test", tmp_path, pdf=False)
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Participant flow" in html and "8/40 = 20%" in html and "Mann–Whitney" in html


def test_false_level_rate_at_a_null_effect_stays_nominal(course):
    """A three-item objective at no effect: knowledge reached in at most 5 % of runs (plus Monte Carlo error)."""
    runs, false_levels, any_item = RUNS, 0, 0
    for seed in range(runs):
        m = pain(course, cohort(1000 + seed, 30, 0.5, 0.5))
        o = objective(m)
        false_levels += "knowledge" in o["moore"]["evidence"]
        items = [i for i in m["items"] if i["objective"] == o["id"]]
        any_item += any(i["post"]["pvalue"] < 0.05 and i["post"]["change"] > 0 for i in items)
    se = (0.05 * 0.95 / runs) ** 0.5
    assert false_levels / runs <= 0.05 + 3 * se
    # the old rule (any one item) is what the primary measure replaced; it is visibly above the primary's rate
    assert any_item >= false_levels


def test_performance_counts_everyone_who_committed(course):
    module = "hearing-the-itch"
    rows = []
    for n in range(9):
        base = {"activity": "PV-2026-PBC-01", "module": module, "learner": learner_code(n), "received": None}
        rows += [{**base, "phase": "pre", "submitted": "2026-02-01T09:00:00Z", "answers": {"antihistamine-role": 1}},
                 {**base, "phase": "post", "submitted": "2026-02-01T10:00:00Z",
                  "answers": {"antihistamine-role": 0, "commit": "Ask about itch at every review"}}]
        if n < 6:
            rows.append({**base, "phase": "follow-up", "submitted": "2026-04-03T10:00:00Z",
                         "answers": {"implemented": "I now ask every patient about itch"}})
    m = next(x for x in outcomes(course, rows, evaluation=[]) if x["id"] == module)
    c = m["commitments"]
    assert (c["committed"], c["followed_up"], c["no_response"], c["reported_change"]) == (9, 6, 3, 6)
    assert c["rate"] == 1.0 and c["rate_all"] == round(6 / 9, 3)
    lo, hi = sp.binomtest(6, 9).proportion_ci(method="wilson")
    assert c["rate_all_ci"] == [round(lo, 3), round(hi, 3)]
    moore = next(o for o in m["objectives"] if o["id"] == "assess-itch-routinely")["moore"]
    assert moore["evidence"]["performance"][0].startswith("6 of 9 learners who made a commitment")
    assert "3 did not answer the follow-up and count as no change" in moore["evidence"]["performance"][0]


def test_item_analysis_flags_items_to_revise(course):
    rows = []
    rng = random.Random(2)
    for n in range(30):
        ability = n / 30
        ans = {"time-to-analgesia": 0,                                        # everyone right: too easy
               "red-flags": [0, 1, 3] if rng.random() < ability else [2],     # follows ability: discriminates
               "reassessment": 0 if rng.random() < 0.1 else 2}                # almost nobody: too hard
        rows += [response(n, "pre", n, dict(WRONG)), response(n, "post", n + 30, ans)]
    analysis = {a["id"]: a for a in pain(course, rows)["item_analysis"]}
    assert analysis["time-to-analgesia"]["difficulty"] == 1.0 and "very easy" in analysis["time-to-analgesia"]["flags"][0]
    assert any("very hard" in f for f in analysis["reassessment"]["flags"])
    post = [r["answers"] for r in rows if r["phase"] == "post"]
    keys = {**ITEMS}
    right = [[a[k] == v for k, v in keys.items()] for a in post]
    # the corrected point-biserial: red-flags against the rest of the post-test (the other two scored items
    # here, and the module's two unanswered items, wrong for everyone)
    expected = sp.pointbiserialr([r[1] for r in right], [r[0] + r[2] for r in right]).statistic
    red = analysis["red-flags"]
    assert red["n"] == 30 and red["discrimination"] == pytest.approx(round(expected, 3), abs=1e-3)


def _claim(module: str, activity: str, learner: str, profession: str) -> dict:
    return {"id": f"C-{module[:4]}-{learner}", "created": "2026-03-01T10:00:00Z", "completed": "2026-03-01",
            "activity": activity, "module": module, "learner": learner, "name": "Dr Zed Secretname",
            "email": "zed.secret@example.org", "profession": profession, "profession_other": None,
            "credit_type": "ama-pra-1", "credits": 0.75, "consent": False, "report": {}, "post_id": None,
            "certificate": {}}


def test_programme_and_professions_from_the_claims_table_without_names(course, tmp_path):
    from click.testing import CliRunner

    from patientvoice.cli import main
    from patientvoice.credit.store import ClaimStore
    from patientvoice.outcomes.programme import professions_from
    from patientvoice.outcomes.scoring import score
    from patientvoice.outcomes.store import open_store
    from patientvoice.outcomes.synthetic import cohort as synthetic
    from patientvoice.outcomes.validate import index_course

    database = tmp_path / "r.sqlite"
    store = open_store(database)
    assert professions_from(str(database)) == {}  # no claims table yet: no split
    specs = index_course(course, [])
    rows = synthetic(course, 30, seed=4)
    for r in rows:
        store.add(r, score(specs[r["module"]].phases[r["phase"]], r["answers"]))
    claims = ClaimStore(store)
    for n in range(20):
        m = course.modules[PAIN]
        claims.add(_claim(PAIN, m.activity["id"], learner_code(n), "physician" if n % 2 else "nurse"))
    store.close()
    assert professions_from(str(database))[(PAIN, learner_code(1))] == "physician"
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", "--root", str(ROOT), "--database", str(database), "--out", str(out)])
    assert result.exit_code == 0, result.output
    import json
    data = json.loads((out / "outcomes.json").read_text())
    pain_m = next(m for m in data["modules"] if m["id"] == PAIN)
    assert set(pain_m["by_profession"]) == {"nurse", "physician", "no claim"}
    nurses = pain_m["by_profession"]["nurse"]["post"]
    assert nurses["pairs"] <= 10 and nurses["d_z"] is not None
    groups = sum(g["post"]["pairs"] for g in pain_m["by_profession"].values() if g.get("post"))
    assert groups == pain_m["knowledge_total"]["post"]["pairs"]
    prog = data["programme"]
    assert [m["id"] for m in prog["modules"]] == [m["id"] for m in data["modules"]]
    assert prog["pooled"]["post"]["pairs"] == sum(m["post"]["pairs"] for m in prog["modules"] if m["post"])
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Knowledge score by profession" in html and "Programme: all modules" in html
    text = (out / "outcomes.json").read_text() + html
    assert "Secretname" not in text and "zed.secret" not in text


def test_the_collectors_attempt_numbers_order_post_tests_when_the_database_has_them(course):
    first, retake = dict(WRONG), dict(ITEMS)
    rows = [response(0, "pre", 0, dict(WRONG)),
            # the retake claims an earlier submitted time than the first attempt (a browser's clock or a forgery)
            {**response(0, "post", 10, retake), "id": 3, "stored_attempt": 2},
            {**response(0, "post", 20, first), "id": 2, "stored_attempt": 1}]
    m = pain(course, rows)
    assert next(i for i in m["items"] if i["id"] == "reassessment")["phases"]["post"]["correct"] == 0
    # without the collector's numbers (a file), the submitted time orders them
    plain = [{k: v for k, v in r.items() if k != "stored_attempt"} for r in rows]
    assert next(i for i in pain(course, plain)["items"] if i["id"] == "reassessment")["phases"]["post"]["correct"] == 1
