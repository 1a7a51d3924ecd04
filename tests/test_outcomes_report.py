"""The outcomes report on known data: numbers against SciPy, verbatim text escaped, charts accessible, PDF real."""

import json
import math
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from scipy import stats as sp

from patientvoice.cli import main
from patientvoice.course.loader import load_course
from patientvoice.outcomes.charts import COLOURS, TEXT, contrast
from patientvoice.outcomes.analysis import outcomes
from patientvoice.outcomes.exchange import read_files, to_csv, to_json
from patientvoice.outcomes.report import load_rows
from patientvoice.outcomes.scoring import score
from patientvoice.outcomes.store import open_store
from patientvoice.outcomes.synthetic import learner_code
from patientvoice.outcomes.validate import index_course


ROOT = Path(__file__).resolve().parents[1]
N = 12
PRE_RIGHT = {0, 1, 2, 3}                       # antihistamine-role correct before
POST_RIGHT = set(range(11)) - {2}              # 7 learners improve (4..10), learner 2 gets worse
PRE_LIKERT = [0, 1, 1, 2, 2, 2, 1, 0, 3, 2, 1, 2]
POST_LIKERT = [2, 3, 1, 3, 4, 2, 3, 2, 3, 4, 2, 1]
HOSTILE = "<script>alert('pwned')</script><img src=x onerror=alert(1)> & more"


def known_responses() -> list[dict]:
    """Twelve learners of 'hearing-the-itch' with a designed pattern of answers."""
    out = []
    for i in range(N):
        base = {"activity": "PV-2026-PBC-01", "module": "hearing-the-itch", "learner": learner_code(i)}
        out.append({**base, "phase": "pre", "submitted": "2026-02-01T09:00:00Z", "answers": {
            "antihistamine-role": 0 if i in PRE_RIGHT else 1, "confidence-treating-itch": PRE_LIKERT[i]}})
        post = {"antihistamine-role": 0 if i in POST_RIGHT else 2, "confidence-treating-itch": POST_LIKERT[i]}
        if i < 3:
            post["commit"] = [HOSTILE, "Record an itch score at every visit", "Ask about sleep"][i]
        out.append({**base, "phase": "post", "submitted": "2026-02-01T10:00:00Z", "answers": post})
    for i, text in [(0, "Nothing yet"), (1, "Added an itch score to our clinic template </textarea>")]:
        out.append({"activity": "PV-2026-PBC-01", "module": "hearing-the-itch", "learner": learner_code(i),
                    "phase": "follow-up", "submitted": "2026-04-02T10:00:00Z",  # 60 days after
                    "answers": {"antihistamine-role": 0, "implemented": text}})
    # learner 11 repeats the pre-test later: the first stays the baseline, the repeat is history
    out.append({**out[-4 - 2 * 0], "learner": learner_code(11), "phase": "pre", "submitted": "2026-02-01T09:30:00Z",
                "answers": {"antihistamine-role": 1, "confidence-treating-itch": PRE_LIKERT[11]}})
    return out


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    (folder / "responses.json").write_text(json.dumps(known_responses()))
    result = CliRunner().invoke(main, ["report", "--root", str(ROOT), "--out", str(folder / "out"),
                                       str(folder / "responses.json")])
    assert result.exit_code == 0, result.output
    return folder / "out"


def _module(out, mid="hearing-the-itch"):
    data = json.loads((out / "outcomes.json").read_text())
    return next(m for m in data["modules"] if m["id"] == mid)


def test_participation_and_matching(report):
    m = _module(report)
    assert m["learners"] == {"pre": N, "post": N, "follow-up": 2}
    assert m["matched"] == {"pre/post": N, "pre/follow-up": 2}
    assert m["attrition"] == {"post": 0.0, "follow-up": round(1 - 2 / N, 3)}
    assert m["superseded"] == 1


def test_knowledge_item_against_scipy(report):
    items = {i["id"]: i for i in _module(report)["items"]}
    assert items["itch-features"]["phases"]["pre"]["n"] == 0 and items["itch-features"]["post"] is None  # nobody answered
    item = items["antihistamine-role"]
    from statsmodels.stats.proportion import proportion_confint
    ci = [round(100 * x, 1) for x in proportion_confint(4, N, method="wilson")]
    assert item["phases"]["pre"] == {"n": N, "correct": 4, "percent": round(100 * 4 / N, 1), "ci": ci}
    assert item["phases"]["post"]["correct"] == 10
    post = item["post"]
    assert (post["n"], post["improved"], post["worsened"]) == (N, 7, 1)
    assert post["pvalue"] == pytest.approx(sp.binomtest(1, 8, 0.5).pvalue)
    assert post["h"] == pytest.approx(2 * math.asin((10 / N) ** 0.5) - 2 * math.asin((4 / N) ** 0.5))
    assert post["change"] == pytest.approx(round(100 * 6 / N, 1))


def test_likert_against_scipy(report):
    x = next(i for i in _module(report)["likert"] if i["id"] == "confidence-treating-itch")
    expected = sp.wilcoxon(POST_LIKERT, PRE_LIKERT)  # 12 pairs with ties: SciPy's exact permutation test
    assert x["post"]["method"] == "exact permutation" and x["post"]["pairs"] == N
    assert x["post"]["statistic"] == pytest.approx(expected.statistic)
    assert x["post"]["pvalue"] == pytest.approx(expected.pvalue)
    assert x["phases"]["pre"]["median"] == 1.5 and sum(x["phases"]["post"]["counts"]) == N
    diffs = [b - a for a, b in zip(PRE_LIKERT, POST_LIKERT) if b != a]
    ranks = sp.rankdata([abs(d) for d in diffs])
    plus = sum(r for r, d in zip(ranks, diffs) if d > 0)
    assert x["post"]["rank_biserial"] == pytest.approx((2 * plus - ranks.sum()) / ranks.sum())


def test_commitments_moore_levels_and_implementation(report):
    m = _module(report)
    c = m["commitments"]
    assert c["committed"] == 3 and c["followed_up"] == 2 and c["reported_change"] == 1 and c["rate"] == 0.5
    assert c["entries"][0]["commitment"] == HOSTILE  # verbatim in the data; escaped only where it is HTML
    levels = {o["id"]: o["moore"] for o in m["objectives"]}
    assert levels["explain-itch-mechanisms"]["highest"] == "participation"  # 6/4 split is not significant
    assert levels["apply-stepwise-treatment"]["highest"] == "competence"    # self-rated confidence rose, p < .05
    assert "self-assessed" in " ".join(levels["apply-stepwise-treatment"]["evidence"]["competence"])


def test_html_escapes_learner_text_and_charts_are_accessible(report):
    html = (report / "index.html").read_text()
    assert "<script" not in html and "<img" not in html and "onerror=alert(1)>" not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html and "&lt;/textarea&gt;" in html
    svgs = re.findall(r"<svg[^>]*>.*?</svg>", html, re.S)
    assert len(svgs) == 2 and "no responses" in svgs[0]  # nobody took 'believed-in-pain'
    for svg in svgs[1:]:
        head = svg[:svg.index(">")]
        assert 'role="img"' in head and "aria-labelledby" in head
        ids = re.search(r'aria-labelledby="([^"]+)"', head).group(1).split()
        assert all(f'id="{i}"' in svg for i in ids) and "<title" in svg and "<desc" in svg
        assert re.search(r"<text[^>]*>\d+% \(n = \d+\)</text>", svg)  # values are real text
    assert all(contrast(c, "#ffffff") >= 4.5 for c in [*COLOURS.values(), TEXT])
    assert 'id="methods"' in html and "McNemar" in html and "Small numbers" in html


def test_pdf_is_a_real_report(report):
    pdf = PdfReader(report / "report.pdf")
    text = " ".join(page.extract_text() for page in pdf.pages)  # the evaluation sections moved the texts on
    assert len(pdf.pages) >= 2 and "Outcomes report" in text and "McNemar" in text
    assert "<script>alert('pwned')</script>" in text  # shown as text, never run
    for section in ("Participant flow", "Knowledge score", "Item analysis", "Newcombe", "mid-p", "Holm"):
        assert section in text, section


def test_database_and_exports_give_the_same_report(tmp_path, postgres_url):  # noqa: F811
    course = load_course(ROOT)[0]
    specs = index_course(course)
    outs = {}
    for name, target in (("sqlite", str(tmp_path / "r.sqlite")), ("pg", postgres_url)):
        store = open_store(target)
        for r in known_responses():
            store.add(r, score(specs[r["module"]].phases[r["phase"]], r["answers"]))
        rows = store.rows()
        store.close()
        outs[name] = outcomes(course, load_rows(course, target)[0])
    (tmp_path / "e.csv").write_text(to_csv(rows), encoding="utf-8")
    (tmp_path / "e.json").write_text(to_json(rows), encoding="utf-8")
    for name in ("e.csv", "e.json"):
        outs[name] = outcomes(course, load_rows(course, files=(tmp_path / name,))[0])
    assert outs["sqlite"] == outs["pg"] == outs["e.csv"] == outs["e.json"]
    # and the command reads the PostgreSQL database the collector wrote
    result = CliRunner().invoke(main, ["report", "--root", str(ROOT), "--database", postgres_url,
                                       "--out", str(tmp_path / "pg")])
    assert result.exit_code == 0, result.output
    assert _module(tmp_path / "pg") == json.loads(json.dumps(outs["pg"][1]))


def _site_csv(responses) -> str:
    """A learner's CSV download, written the way the site's questionnaire.js writes it."""
    def cell(v):
        s = ";".join(map(str, v)) if isinstance(v, list) else str(v)
        s = "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s
        return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\r\n') else s
    rows = [["activity", "module", "phase", "learner", "submitted", "item", "answer"]]
    for r in responses:
        rows += [[r["activity"], r["module"], r["phase"], r["learner"], r["submitted"], k, v]
                 for k, v in r["answers"].items()]
    return "".join(",".join(cell(c) for c in row) + "\r\n" for row in rows)


def test_learners_own_downloads_are_read(tmp_path):
    course = load_course(ROOT)[0]
    responses = known_responses()
    responses[1]["answers"]["commit"] = "-nothing, =SUM(A1) \"quoted\", one\nper line"
    responses[1]["answers"].update({"eval-free-of-bias": 1, "eval-bias-details": "=brand on slide 3, \"quoted\""})
    responses.append({"activity": "PV-2026-PBC-01", "module": "hearing-the-itch", "phase": "post",
                      "learner": "MULT-1PLE", "submitted": "2026-02-03T10:00:00Z",
                      "answers": {"itch-features": [1, 0]}})
    (tmp_path / "mine.csv").write_text(_site_csv(responses), encoding="utf-8")
    (tmp_path / "mine.json").write_text(json.dumps(responses, indent=2), encoding="utf-8")
    from_csv, skipped = load_rows(course, files=(tmp_path / "mine.csv",))[:2]
    assert not skipped
    from_json = load_rows(course, files=(tmp_path / "mine.json",))[0]
    assert outcomes(course, from_csv) == outcomes(course, from_json)
    commit = next(r for r in from_csv if r["learner"] == responses[1]["learner"] and r["phase"] == "post")
    assert commit["answers"]["commit"] == responses[1]["answers"]["commit"]
    assert commit["answers"]["eval-bias-details"] == responses[1]["answers"]["eval-bias-details"]
    assert commit["answers"]["eval-free-of-bias"] == 1  # the site's evaluation answers are read back too


BAD_CSV = """\
activity,module,phase,learner,submitted,item,answer
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0001,2026-02-01T09:00:00Z,antihistamine-role,0
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0001,2026-02-01T09:00:00Z,confidence-treating-itch,2
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0002,2026-02-01T09:00:00Z,antihistamine-role,
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0003,2026-02-01T09:00:00Z,antihistamine-role,abc
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0004,2026-02-01T09:00:00Z,no-such-item,1
PV-2026-PBC-01,hearing-the-itch,pre
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0005,yesterday,antihistamine-role,0
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0006,2026-02-01T09:00:00Z,antihistamine-role,0,extra
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0007,2026-02-01T09:00:00Z,antihistamine-role,0
PV-2026-PBC-01,hearing-the-itch,pre,AAAA-0007,2026-02-01T09:00:00Z,antihistamine-role,1
"""
BAD_SKIPS = [
    "row 4 of bad.csv: answer to 'antihistamine-role': the answer cell is empty",
    "row 5 of bad.csv: answer to 'antihistamine-role': 'abc' is not an answer number",
    "row 6 of bad.csv: module 'hearing-the-itch' asks no item \"no-such-item\" in phase 'pre'",
    "row 7 of bad.csv: the item column is empty",
    "row 8 of bad.csv: 'submitted' \"yesterday\" is not an ISO 8601",
    "row 9 of bad.csv: 1 cell(s) more than the header names",
    "row 11 of bad.csv: a second answer to 'antihistamine-role' in the same response",
    "response 2 of bad.json: unknown module 5",
    "response 3 of bad.json: the body must be one JSON object",
    "response 4 of bad.json: answer to 'antihistamine-role' must be an option index",
    "response 5 of bad.json: 'submitted' must be an ISO 8601 date and time, not 12",
]


def test_every_bad_row_is_a_counted_named_skip(tmp_path):
    for part in ("content", "modules", "mkdocs.yml"):
        (shutil.copytree if (ROOT / part).is_dir() else shutil.copy)(ROOT / part, tmp_path / part)
    q = tmp_path / "modules" / "hearing-the-itch" / "questionnaire.yml"
    q.write_text(q.read_text().replace("follow_up_after_days: 60", "follow_up_after_days: 1000000000"))
    base = {"activity": "PV-2026-PBC-01", "module": "hearing-the-itch", "learner": "AAAA-0001"}
    post = {**base, "phase": "post", "submitted": "2026-02-01T10:00:00Z", "answers": {"antihistamine-role": 0}}
    follow = {**base, "phase": "follow-up", "submitted": "2026-05-01T10:00:00Z", "answers": {"implemented": "Yes"}}
    (tmp_path / "bad.json").write_text(json.dumps([post, {**post, "module": 5}, "a string",
                                                   {**post, "answers": {"antihistamine-role": "0"}},
                                                   {**post, "submitted": 12}, follow]))
    (tmp_path / "bad.csv").write_text(BAD_CSV)
    result = CliRunner().invoke(main, ["report", "--root", str(tmp_path), "--out", str(tmp_path / "out"),
                                       str(tmp_path / "bad.csv"), str(tmp_path / "bad.json")])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    assert "3 response(s)" in result.output and f"{len(BAD_SKIPS)} skipped" in result.output
    assert f"Skipped {len(BAD_SKIPS)} response(s) that cannot be counted:" in result.output
    data = json.loads((tmp_path / "out" / "outcomes.json").read_text())
    assert len(data["skipped"]) == len(BAD_SKIPS)
    for message, expected in zip(data["skipped"], BAD_SKIPS):
        assert message.startswith(expected)
    m = next(m for m in data["modules"] if m["id"] == "hearing-the-itch")
    assert m["follow_up"]["not_counted"]["early"] == 1  # a billion days have not passed


def test_a_hand_edited_database_row_is_skipped_by_name(tmp_path):
    store = open_store(tmp_path / "r.sqlite")
    good = known_responses()[:2]
    for r in good:
        store.add(r, {"correct": 0})
    store.close()
    with sqlite3.connect(tmp_path / "r.sqlite") as conn:
        conn.execute("UPDATE responses SET answers = '{not json' WHERE id = 2")
    rows, skipped, _ = load_rows(load_course(ROOT)[0], str(tmp_path / "r.sqlite"))
    assert [r["id"] for r in rows] == [1]
    assert skipped == [f"response 2 ({good[1]['learner']}, hearing-the-itch, post): 'answers' must be an object "
                       "mapping item ids to answers, with at least one answer"]


_cells = st.one_of(st.sampled_from(["", "0", "1", "-1", "0;2", "x", "2026-02-01T09:00:00Z", "9999-12-31T23:59:59-23:59",
                                    "hearing-the-itch", "PV-2026-PBC-01", "pre", "post", "follow-up", "AAAA-0001",
                                    "antihistamine-role", "itch-features", "commit", "implemented"]),
                   st.text(max_size=12))
_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _cells,
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_cells, inner, max_size=6),
                     max_leaves=20)


_BASE = {"activity": "PV-2026-PBC-01", "module": "hearing-the-itch", "phase": "post", "learner": "AAAA-0001",
         "submitted": "2026-02-01T10:00:00Z", "received": "2026-02-01T10:00:01Z",
         "answers": {"antihistamine-role": 0, "itch-features": [0, 1], "commit": "Ask"}}
# a valid response with one field, or one answer, replaced by anything: most of these reach the analysis
_near_valid = st.one_of(
    st.builds(lambda k, v: {**_BASE, k: v}, st.sampled_from(sorted(_BASE)), _json),
    st.builds(lambda k, v: {**_BASE, "answers": {**_BASE["answers"], k: v}}, _cells, _json),
    st.builds(lambda p, when: {**_BASE, "phase": p, "submitted": when, "answers": {"implemented": "Yes"}
                               if p == "follow-up" else _BASE["answers"]},
              st.sampled_from(["pre", "post", "follow-up"]),
              st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat())))


@settings(max_examples=int(os.environ.get("PATIENTVOICE_FUZZ_EXAMPLES", 60)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(st.lists(_cells, min_size=0, max_size=9), max_size=8),
       objs=st.lists(_json | _near_valid, max_size=6))
def test_no_file_content_makes_the_report_crash(tmp_path, rows, objs, example_specs):
    header = "activity,module,phase,learner,submitted,item,answer\n"
    (tmp_path / "f.csv").write_text(header + "".join(",".join(map(_quote, r)) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "f.json").write_text(json.dumps(objs), encoding="utf-8")
    course, specs = example_specs
    found, skipped = read_files([tmp_path / "f.csv", tmp_path / "f.json"], specs)
    assert all(isinstance(s, str) and " of f." in s for s in skipped)
    outcomes(course, found, [])  # whatever was accepted can be analysed


def _quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@pytest.fixture(scope="module")
def example_specs():
    course = load_course(ROOT)[0]
    return course, index_course(course, [])
