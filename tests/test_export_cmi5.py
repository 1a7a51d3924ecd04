"""cmi5 packages against a test LRS (tests/lrs.py, real HTTP): the AU launched in headless Chromium with the
launch parameters a cmi5 LMS gives, a learner taking the module over two sessions of one registration.

Every statement must pass xapi-validation (npm, LearningLocker, pinned in package.json; test-only) and a
strict check of the cmi5 rules written here (context, categories, session id, durations, one completed and
one passed per registration, scores against patientvoice's own scoring and the masteryScore).
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
import xml.etree.ElementTree as ET

import pytest

from lmskit import MODULE, answer_form, answers_for, expected_score, export, post_items, unzip, wait_page
from lrs import LRS
from sitekit import REPO, run_axe, serve_dir

CMI5 = "https://w3id.org/xapi/cmi5/context/"
VERBS = "http://adlnet.gov/expapi/verbs/"
CMI5_DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}
ISO_DURATION = re.compile(r"^P(?:\d+(?:\.\d+)?[YMWD])*(?:T(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?$")
NS = {"c": "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"}
VALIDATE = """
const validate = require(process.argv[1]).default;
const statements = JSON.parse(require('fs').readFileSync(0, 'utf8'));
console.log(JSON.stringify(statements.map(s => validate(s).map(w => w.path.join('.') + ': ' + w.name))));
"""


def xapi_warnings(statements: list[dict]) -> list[list[str]]:
    """xapi-validation's warnings for each statement ([] when valid)."""
    lib = REPO / "node_modules" / "xapi-validation"
    out = subprocess.run(["node", "-e", VALIDATE, str(lib)], input=json.dumps(statements), capture_output=True,
                         text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def verb(s: dict) -> str:
    return s["verb"]["id"].rsplit("/", 1)[1]


def check_cmi5_statement(s: dict, *, actor, activity_id, registration, session, mastery) -> None:
    """The cmi5 rules for one AU statement (cmi5 spec, quartz, section 9)."""
    name = verb(s)
    ctx = s["context"]
    assert s["actor"] == actor and re.match(r"^[0-9a-f-]{36}$", s["id"]) and s["timestamp"].endswith("Z")
    assert ctx["registration"] == registration
    assert ctx["extensions"][CMI5 + "extensions/sessionid"] == session
    categories = {c["id"] for c in ctx["contextActivities"].get("category", [])}
    result = s.get("result", {})
    if name in CMI5_DEFINED:
        assert s["verb"]["id"] == VERBS + name
        assert s["object"]["id"] == activity_id
        assert CMI5 + "categories/cmi5" in categories
        has_moveon = "success" in result or "completion" in result
        assert (CMI5 + "categories/moveon" in categories) == has_moveon, name
        if name != "initialized":
            assert ISO_DURATION.match(result["duration"]), result
        if name in ("passed", "failed"):
            assert ctx["extensions"][CMI5 + "extensions/masteryscore"] == mastery
            assert result["success"] is (name == "passed")
            scaled = result["score"]["scaled"]
            assert (scaled >= mastery) if name == "passed" else (scaled < mastery)
        else:
            assert "score" not in result
        if name == "completed":
            assert result["completion"] is True
    else:  # cmi5 "allowed" statements: not in the cmi5 category
        assert name == "answered" and CMI5 + "categories/cmi5" not in categories
        assert s["object"]["id"].startswith(activity_id + "/items/")
        assert s["object"]["definition"]["interactionType"] in ("choice", "likert", "long-fill-in")
        assert "response" in result


@pytest.fixture
def lrs():
    server = LRS()
    yield server
    server.close()


def test_learner_takes_the_module_as_a_cmi5_au(tmp_path, browser, lrs):
    root, package = export(tmp_path, "cmi5", MODULE)
    site = tmp_path / "lms"
    names = unzip(package, site / "au")
    (site / "returned.html").write_text("<!DOCTYPE html><title>Back in the LMS</title><p>Back</p>", encoding="utf-8")
    au = ET.fromstring((site / "au" / "cmi5.xml").read_bytes()).find("c:au", NS)
    assert au.get("moveOn") == "CompletedAndPassed" and au.find("c:url", NS).text in names
    mastery = float(au.get("masteryScore"))
    assert mastery == 0.7
    actor = {"objectType": "Agent", "name": "Test Learner",
             "account": {"homePage": "https://lms.example.org", "name": "learner-1"}}
    activity_id = f"https://lms.example.org/activities/{uuid.uuid4()}"  # the LMS's id, not the AU's
    registration = str(uuid.uuid4())
    problems: list[str] = []
    with serve_dir(site) as base:
        def launch():
            url = lrs.launch(f"{base}/au/{au.find('c:url', NS).text}", activity_id, actor, mastery,
                             au.get("moveOn"), registration, return_url=f"{base}/returned.html")
            page = browser.new_page()
            page.on("pageerror", lambda e: problems.append(f"ERROR {e}"))
            page.on("console", lambda m: problems.append(m.text) if "patientvoice" in m.text else None)
            page.on("request", lambda r: problems.append(r.url) if not r.url.startswith((base, lrs.base)) else None)
            page.goto(url)
            return page

        # Session 1: pre-test, then leave at the content page.
        page = launch()
        frame = page.main_frame
        wait_page(frame, "about")
        frame.click("[data-pv-next]")
        answer_form(wait_page(frame, "pre"), {})
        frame.wait_for_function("() => document.querySelector('[data-pv-frame]').contentDocument"
                                ".querySelector('[data-pv-status] p')")
        frame.click("[data-pv-next]")
        wait_page(frame, "content")
        page.click("[data-pv-exit]")
        page.wait_for_url(f"{base}/returned.html")
        page.close()
        first = lrs.session(registration)
        # Session 2: resumes at the content page; the post-test is passed with one question wrong.
        page = launch()
        frame = page.main_frame
        wait_page(frame, "content")
        frame.click("[data-pv-next]")
        post = wait_page(frame, "post")
        answers = answers_for(post_items(root), wrong=1)
        answer_form(post, answers)
        post.wait_for_selector("[data-pv-result]:not([hidden])")
        page.click("[data-pv-exit]")
        page.wait_for_url(f"{base}/returned.html")
        page.close()

    assert not problems, problems
    assert not lrs.errors, lrs.errors
    statements = lrs.session(registration)
    verbs = [verb(s) for s in statements]
    n_pre = len([v for v in verbs[:len(first)] if v == "answered"])
    assert verbs[:len(first)] == ["launched", "initialized", *["answered"] * n_pre, "terminated"]
    rest = verbs[len(first):]
    n_post = rest.count("answered")
    assert n_pre > 0 and n_post > n_pre  # the post-test adds the evaluation
    assert rest == ["launched", "initialized", *["answered"] * n_post, "completed", "passed", "terminated"]
    assert xapi_warnings(statements) == [[] for _ in statements]
    sessions = [s["context"]["extensions"][CMI5 + "extensions/sessionid"] for s in statements if verb(s) == "launched"]
    session, index = sessions[0], 0
    for s in statements:
        if verb(s) == "launched":
            session = sessions[index]
            index += 1
            continue
        check_cmi5_statement(s, actor=actor, activity_id=activity_id, registration=registration,
                             session=session, mastery=mastery)
    expected = expected_score(root, answers)
    passed = next(s for s in statements if verb(s) == "passed")
    assert passed["result"]["score"] == {"scaled": expected["share"], "raw": expected["correct"], "min": 0,
                                         "max": expected["total"]}
    keyed = [s for s in statements[len(first):] if verb(s) == "answered" and "success" in s["result"]]
    assert {s["object"]["id"].rsplit("/", 1)[1]: s["result"]["success"] for s in keyed} == expected["items"]


def test_course_structure_has_one_au_with_the_pass_mark(tmp_path):
    root, package = export(tmp_path, "cmi5", MODULE, "--iri", "https://cme.example.org/activities/pbc-01")
    names = unzip(package, tmp_path / "au")
    structure = ET.fromstring((tmp_path / "au" / "cmi5.xml").read_bytes())
    assert structure.tag == "{%s}courseStructure" % NS["c"]
    course = structure.find("c:course", NS)
    assert course.get("id") == "https://cme.example.org/activities/pbc-01"
    assert course.find("c:title/c:langstring", NS).text.startswith("Hearing the itch")
    aus = structure.findall("c:au", NS)
    assert len(aus) == 1
    au = aus[0]
    assert au.get("id") == "https://cme.example.org/activities/pbc-01/au/hearing-the-itch"
    assert (au.get("moveOn"), au.get("masteryScore"), au.get("launchMethod")) == ("CompletedAndPassed", "0.7", "AnyWindow")
    assert au.find("c:url", NS).text == "index.html" and "index.html" in names
    assert "assets/cmi5-api.js" in names and "assets/scorm-api.js" not in names


def test_an_au_opened_without_launch_parameters_says_so_and_still_shows_the_module(tmp_path, browser):
    root, package = export(tmp_path, "cmi5", MODULE)
    unzip(package, tmp_path / "au")
    with serve_dir(tmp_path / "au") as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/index.html")
        wait_page(page.main_frame, "about")
        assert "could not connect" in page.inner_text("[data-pv-lms-status]")
        assert "no endpoint" in page.inner_text("[data-pv-lms-status]")
        # The launch page and every module page pass axe (serious and critical), as the site's pages do.
        violations = {"launch": run_axe(page.main_frame)}
        for ident in ("about", "content", "post", "pre"):
            page.click(f"[data-pv-nav='{ident}']")
            violations[ident] = run_axe(wait_page(page.main_frame, ident))
        assert violations == {k: [] for k in violations}, violations
        pre = wait_page(page.main_frame, "pre")
        answer_form(pre, {})
        pre.wait_for_selector("[data-pv-status] p")
        page.close()
    assert not errors, errors


def test_browse_mode_records_no_answers_and_no_result(tmp_path, browser, lrs):
    root, package = export(tmp_path, "cmi5", MODULE)
    unzip(package, tmp_path / "lms" / "au")
    actor = {"objectType": "Agent", "mbox": "mailto:learner@example.org"}
    activity_id, registration = "https://lms.example.org/activities/browse", str(uuid.uuid4())
    with serve_dir(tmp_path / "lms") as base:
        page = browser.new_page()
        page.goto(lrs.launch(f"{base}/au/index.html", activity_id, actor, 0.7, "CompletedAndPassed", registration,
                             mode="Browse"))
        wait_page(page.main_frame, "about")
        page.click("[data-pv-nav='post']")
        post = wait_page(page.main_frame, "post")
        answer_form(post, answers_for(post_items(root)))
        post.wait_for_selector("[data-pv-result]:not([hidden])")
        page.click("[data-pv-exit]")
        for _ in range(100):  # terminated is sent after Save and exit; no returnURL here to wait for
            if "terminated" in [verb(s) for s in lrs.session(registration)]:
                break
            page.wait_for_timeout(100)
        page.close()
    assert not lrs.errors, lrs.errors
    assert [verb(s) for s in lrs.session(registration)] == ["launched", "initialized", "terminated"]
