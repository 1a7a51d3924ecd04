"""SCORM packages under a real LMS-side runtime: scorm-again (npm, pinned in package.json) as window.API /
window.API_1484_11 in a host page, the package's launch page in its frame, the learner in headless Chromium.

A learner takes the pre-test, leaves at the content page, comes back (the saved CMI data loaded into a new
runtime) and resumes there, then passes the post-test. The tests assert what the runtime received: status,
score against patientvoice's own scoring, interactions with objectives, session time, location and suspend data.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
import zipfile

import pytest
from click.testing import CliRunner

from lmskit import MODULE, answer_form, answers_for, expected_score, export, post_items, unzip, wait_page
from patientvoice.cli import main
from sitekit import REPO, copy_course, serve_dir

SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist"
HOST = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test LMS</title>
<script src="scorm12.js"></script><script src="scorm2004.js"></script></head>
<body><iframe id="sco" title="SCO" style="width:100%;height:900px"></iframe>
<script>
window.lmsStart = function (version, saved, mastery) {
  var settings = {autocommit: false, lmsCommitUrl: false, logLevel: 5};
  var api = version === "1.2" ? new Scorm12API(settings) : new Scorm2004API(settings);
  if (saved) api.loadFromJSON(saved, "");
  if (version === "1.2") {
    api.cmi.student_data.mastery_score = mastery;
    if (saved) api.cmi.core.entry = "resume";
    window.API = api;
  } else {
    api.cmi.scaled_passing_score = mastery;
    if (saved) api.cmi.entry = "resume";
    window.API_1484_11 = api;
  }
  window.lmsErrors = [];
  document.getElementById("sco").src = "sco/index.html";
};
window.lmsData = function () {
  var api = window.API || window.API_1484_11;
  return {cmi: api.renderCMIToJSONObject(), terminated: api.isTerminated()};
};
</script></body></html>
"""
NS = {"cp12": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp12": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
      "cp": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
      "imsss": "http://www.imsglobal.org/xsd/imsss"}


def _cmi(data: dict) -> dict:
    return data["cmi"]["cmi"] if "cmi" in data["cmi"] else data["cmi"]


def _lms(tmp_path, version):
    root, package = export(tmp_path, "scorm", MODULE, "--version", version)
    site = tmp_path / "lms"
    names = unzip(package, site / "sco")
    for name in ("scorm12.js", "scorm2004.js"):
        shutil.copy(SCORM_AGAIN / name, site / name)
    (site / "host.html").write_text(HOST, encoding="utf-8")
    manifest = ET.fromstring((site / "sco" / "imsmanifest.xml").read_bytes())
    if version == "1.2":
        mastery = manifest.find(".//adlcp12:masteryscore", NS).text
    else:
        mastery = manifest.find(".//imsss:minNormalizedMeasure", NS).text
    return root, site, names, manifest, mastery


def _launch(browser, base, version, saved, mastery, requests):
    page = browser.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: requests.append(f"ERROR {e}"))
    # The adapter warns on the console when the runtime refuses a value (a wrong format or order).
    page.on("console", lambda m: requests.append(f"CONSOLE {m.text}") if "refused" in m.text else None)
    page.goto(f"{base}/host.html")
    page.evaluate("([v, s, m]) => lmsStart(v, s, m)", [version, saved, mastery])
    sco = page.frame_locator("#sco")
    sco.locator("[data-pv-frame]").wait_for()
    return page, page.frames[1]


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_learner_takes_the_module_in_a_scorm_runtime(tmp_path, browser, version):
    root, site, names, manifest, mastery = _lms(tmp_path, version)
    v12 = version == "1.2"
    requests: list[str] = []
    with serve_dir(site) as base:
        # Session 1: activity information, the pre-test, then the content page, and leave.
        page, sco = _launch(browser, base, version, None, mastery, requests)
        wait_page(sco, "about")
        sco.click("[data-pv-next]")
        pre = wait_page(sco, "pre")
        answer_form(pre, {})
        pre.wait_for_selector("[data-pv-status] p")
        sco.click("[data-pv-next]")
        wait_page(sco, "content")
        sco.click("[data-pv-exit]")
        first = page.evaluate("lmsData()")
        page.close()
        cmi = _cmi(first)
        assert first["terminated"]
        core = cmi["core"] if v12 else cmi
        assert (core["lesson_status"] if v12 else cmi["completion_status"]) == "incomplete"
        assert (core["lesson_location"] if v12 else cmi["location"]) == "content"
        assert core["exit"] == "suspend"
        assert re.match(r"^\d{2,4}:\d\d:\d\d" if v12 else r"^PT", core["session_time"]), core["session_time"]
        assert core["session_time"] not in ("00:00:00", "PT0S", "PT0H0M0S")
        pre_ids = [i["id"] for i in cmi["interactions"].values()]
        assert pre_ids and all(i.startswith("pre-") for i in pre_ids)
        assert json.loads(cmi["suspend_data"])["pre"]

        # Session 2: the LMS hands the saved data back; the learner lands where they left and finishes.
        page, sco = _launch(browser, base, version, first["cmi"], mastery, requests)
        wait_page(sco, "content")
        assert "Welcome back" in sco.inner_text("[data-pv-lms-status]")
        sco.click("[data-pv-prev]")
        pre = wait_page(sco, "pre")
        assert pre.is_disabled("[data-pv-submit]")  # the pre-test was submitted in session 1
        sco.click("[data-pv-next]")
        wait_page(sco, "content")
        sco.click("[data-pv-next]")
        post = wait_page(sco, "post")
        items = post_items(root)
        # 1.2: one single-choice item wrong; 2004: a multiple-choice item answered with part of its key, which
        # scoring.py counts as wrong (the whole key or nothing).
        answers = answers_for(items, wrong=1 if v12 else 0)
        if not v12:
            multiple = next(i for i in items if i.kind == "multiple" and len(i.answer) > 1)
            answers[multiple.id] = multiple.answer[:1]
        answer_form(post, answers)
        post.wait_for_selector("[data-pv-result]:not([hidden])")
        sco.click("[data-pv-exit]")
        second = page.evaluate("lmsData()")
        page.close()

    cmi = _cmi(second)
    expected = expected_score(root, answers)
    assert expected["passed"] and expected["correct"] == expected["total"] - 1
    if v12:
        core = cmi["core"]
        assert core["lesson_status"] == "passed"
        assert float(core["score"]["raw"]) == pytest.approx(expected["share"] * 100, abs=0.01)
        assert (core["score"]["min"], core["score"]["max"]) == ("0", "100")
        assert float(mastery) == 70
    else:
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
        assert float(cmi["score"]["scaled"]) == pytest.approx(expected["share"], abs=1e-4)
        assert float(cmi["score"]["raw"]) == pytest.approx(expected["share"] * 100, abs=0.01)
        assert float(mastery) == 0.7
    interactions = {i["id"]: i for i in cmi["interactions"].values()}
    keyed = [i for i in items if i.id in answers]
    # Each learning objective gets the share of its knowledge items answered right.
    objectives = {o["id"]: o for o in cmi["objectives"].values()}
    assert set(objectives) == {i.objective for i in keyed}
    for ident, record in objectives.items():
        mine = [expected["items"][i.id] for i in keyed if i.objective == ident]
        assert float(record["score"]["raw"]) == pytest.approx(100 * sum(mine) / len(mine), abs=0.01)
        assert record["status" if v12 else "completion_status"] == "completed"
    for item in keyed:
        rec = interactions[f"post-a1-{item.id}"]
        assert rec["type"] == "choice"
        assert rec["objectives"]["0"]["id"] == item.objective
        ok = expected["items"][item.id]
        assert rec["result"] == ("correct" if ok else "wrong" if v12 else "incorrect")
        response = rec["student_response" if v12 else "learner_response"]
        chosen = answers[item.id] if isinstance(answers[item.id], list) else [answers[item.id]]
        assert response == ("," if v12 else "[,]").join("abcdefghijklmnopqrstuvwxyz"[c] for c in chosen)
    likert = [r for r in interactions.values() if r["id"].startswith("post-a1-eval-") and r["type"] == "likert"]
    text = [r for r in interactions.values() if r["type"] == ("fill-in" if v12 else "long-fill-in")]
    assert likert and all(r["result"] == "neutral" for r in likert)
    assert text and text[0]["student_response" if v12 else "learner_response"].startswith("I will ask")
    # Nothing was requested outside the LMS host, and no script failed.
    assert not [u for u in requests if not u.startswith(base)], requests


def test_manifest_lists_every_file_and_the_mastery_score(tmp_path):
    for version in ("1.2", "2004"):
        root, package = export(tmp_path / version, "scorm", MODULE, "--version", version)
        with zipfile.ZipFile(package) as z:
            names = set(z.namelist())
            manifest = ET.fromstring(z.read("imsmanifest.xml"))
            html = {n: z.read(n).decode() for n in names if n.endswith((".html", ".css", ".js"))}
        cp, adlcp = ("cp12", "adlcp12") if version == "1.2" else ("cp", "adlcp")
        resources = manifest.findall(f"{cp}:resources/{cp}:resource", NS)
        assert len(resources) == 1
        sco = resources[0]
        scorm_type = "scormtype" if version == "1.2" else "scormType"
        assert sco.get(f"{{{NS[adlcp]}}}{scorm_type}") == "sco" and sco.get("href") == "index.html"
        listed = {f.get("href") for f in sco.findall(f"{cp}:file", NS)}
        assert listed == names - {"imsmanifest.xml"}
        schema = manifest.find(f"{cp}:metadata/{cp}:schemaversion", NS).text
        assert schema == ("1.2" if version == "1.2" else "2004 4th Edition")
        item = manifest.find(f"{cp}:organizations/{cp}:organization/{cp}:item", NS)
        assert item.get("identifierref") == sco.get("identifier")
        # No file in the package reaches outside it (no CDN fonts or scripts).
        for name, text in html.items():
            assert not re.search(r"""\ssrc\s*=\s*["'](?:https?:)?//|<link[^>]*href\s*=\s*["'](?:https?:)?//"""
                                 r"""|url\(\s*["']?(?:https?:)?//|@import""", text), name
            # Links out (a privacy policy, a reference) open a new window instead of replacing the module.
            for link in re.findall(r'<a [^>]*href="https?://[^>]*>', text):
                assert 'target="_blank"' in link and "noopener" in link, link


def test_only_web_consented_stories_and_no_print_only_text(tmp_path):
    root, package = export(tmp_path, "scorm", MODULE)
    from patientvoice.check import check_course

    course, _ = check_course(root)
    with zipfile.ZipFile(package) as z:
        content = z.read("pages/content.html").decode()
        about = z.read("pages/about.html").decode()
    shown = set(re.findall(r'id="story-([a-z0-9-]+?)(?:-[a-z0-9-]+)?"', content))
    for ident in {b.target[0] for b in course.modules[MODULE].story_refs()}:
        story = course.stories[ident]
        if "web" not in story.channels:
            assert ident not in content
    assert shown, "the module's web stories are in the package"
    assert "pv-print-only" not in content
    assert "Disclosure" in about or "disclosure" in about


def test_an_unapproved_module_cannot_be_exported(tmp_path):
    root = copy_course(tmp_path / "course")
    body = root / "modules" / MODULE / "index.md"
    body.write_text(body.read_text(encoding="utf-8") + "\nA sentence the committee has not seen.\n", encoding="utf-8")
    out = tmp_path / "m.zip"
    result = CliRunner().invoke(main, ["export", "scorm", MODULE, "--root", str(root), "--out", str(out)])
    assert result.exit_code != 0
    assert "stop the export" in result.output and "review." in result.output
    assert not out.exists()
    clean = copy_course(tmp_path / "clean")
    result = CliRunner().invoke(main, ["export", "scorm", "no-such-module", "--root", str(clean), "--out", str(out)])
    assert result.exit_code != 0 and "no module 'no-such-module'" in result.output


def test_module_images_travel_in_the_package_and_outside_sources_are_refused(course):
    from coursekit import MODULE_MD
    from patientvoice.export.package import ExportError
    from patientvoice.check import check_course
    from patientvoice.export.scorm import scorm_package

    kit = course()
    kit.write("modules/hearing-the-itch/itch-map.png", b"\x89PNG\r\n\x1a\n-a-test-image")
    kit.write(MODULE_MD, kit.read(MODULE_MD) + "\n![Where the itch is felt](itch-map.png)\n")
    kit.approve()
    from coursekit import TODAY, assert_clean

    checked, problems = check_course(kit.root, TODAY)
    assert_clean(problems)
    module = checked.modules["hearing-the-itch"]
    pkg = scorm_package(checked, module, "2004")
    assert pkg.files["pages/media/hearing-the-itch/itch-map.png"].endswith(b"-a-test-image")
    assert 'src="media/hearing-the-itch/itch-map.png"' in pkg.files["pages/content.html"].decode()
    assert "pages/media/hearing-the-itch/itch-map.png" in pkg.files["imsmanifest.xml"].decode()

    kit.write(MODULE_MD, kit.read(MODULE_MD) + "\n![A chart](https://cdn.example.com/chart.png)\n")
    kit.approve()
    checked, problems = check_course(kit.root, TODAY)
    with pytest.raises(ExportError, match="would load from outside the package"):
        scorm_package(checked, checked.modules["hearing-the-itch"], "1.2")


def test_a_retake_after_the_attempt_that_counts_leaves_the_lms_result_alone(tmp_path, browser):
    # The example course keeps the default policy (attempts: 1): the first post-test is the one that counts.
    root, site, names, manifest, mastery = _lms(tmp_path, "2004")
    requests: list[str] = []
    items = post_items(root)
    failing = answers_for(items, wrong=3)
    with serve_dir(site) as base:
        page, sco = _launch(browser, base, "2004", None, mastery, requests)
        wait_page(sco, "about")
        sco.click("[data-pv-nav='post']")
        post = wait_page(sco, "post")
        answer_form(post, failing)
        post.wait_for_selector("[data-pv-result]:not([hidden])")
        first = _cmi(page.evaluate("lmsData()"))
        post.click("[data-pv-again]")
        answer_form(post, answers_for(items))
        post.wait_for_function("() => document.querySelector('[data-pv-result]').textContent.includes('does not count')")
        second = _cmi(page.evaluate("lmsData()"))
        page.close()
    expected = expected_score(root, failing)
    assert not expected["passed"]
    for cmi in (first, second):
        assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "failed")
        assert float(cmi["score"]["scaled"]) == pytest.approx(expected["share"], abs=1e-4)
    ids = [i["id"] for i in second["interactions"].values()]
    assert any(i.startswith("post-a2-") for i in ids)  # the retake is still in the interaction journal
    assert not [u for u in requests if not u.startswith(base)], requests


def test_links_to_other_site_pages_go_to_the_published_site(course):
    from coursekit import MODULE_MD, TODAY
    from patientvoice.check import check_course
    from patientvoice.export.scorm import scorm_package

    kit = course()
    kit.write(MODULE_MD, kit.read(MODULE_MD) + "\nSee [the stories](../stories/) and [above](#top).\n")
    kit.approve()
    checked, _ = check_course(kit.root, TODAY)
    html = scorm_package(checked, checked.modules["hearing-the-itch"], "1.2").files["pages/content.html"].decode()
    assert "<a>the stories</a>" in html and 'href="#top"' in html  # no site_url: the words stay, the link goes
    kit.write("mkdocs.yml", "site_name: Test\nsite_url: https://cme.example.org/\ndocs_dir: modules\n")
    checked, _ = check_course(kit.root, TODAY)
    pkg = scorm_package(checked, checked.modules["hearing-the-itch"], "1.2")
    html = pkg.files["pages/content.html"].decode()
    assert '<a target="_blank" rel="noopener" href="https://cme.example.org/stories/">the stories</a>' in html
    # The activity information says where the follow-up and the claim form are.
    assert 'href="https://cme.example.org/hearing-the-itch/"' in pkg.files["pages/about.html"].decode()


def test_long_answers_are_cut_from_scorm_12_suspend_data_but_the_result_is_kept(tmp_path, browser):
    root, site, names, manifest, mastery = _lms(tmp_path, "1.2")
    requests: list[str] = []
    long_text = "I will ask every patient with PBC about itch and sleep. " * 80  # about 4,500 characters
    with serve_dir(site) as base:
        page, sco = _launch(browser, base, "1.2", None, mastery, requests)
        wait_page(sco, "about")
        sco.click("[data-pv-nav='post']")
        post = wait_page(sco, "post")
        answer_form(post, answers_for(post_items(root)), text=long_text)
        post.wait_for_selector("[data-pv-result]:not([hidden])")
        sco.click("[data-pv-exit]")
        cmi = _cmi(page.evaluate("lmsData()"))
        page.close()
        assert len(cmi["suspend_data"]) <= 4096
        saved = json.loads(cmi["suspend_data"])
        assert saved["post"][0]["passed"] and not any(isinstance(v, str) for v in saved["post"][0]["answers"].values())
        assert cmi["core"]["lesson_status"] == "passed"
        text = [i for i in cmi["interactions"].values() if i["type"] == "fill-in"]
        assert text and len(text[0]["student_response"]) == 255  # SCORM 1.2's limit for a response
        # The next launch resumes on the post-test with the result shown.
        page, sco = _launch(browser, base, "1.2", _cmi_saved(cmi), mastery, requests)
        post = wait_page(sco, "post")
        post.wait_for_selector("[data-pv-result]:not([hidden])")
        assert "you passed" in post.inner_text("[data-pv-result]")
        page.close()
    assert not [u for u in requests if not u.startswith(base)], requests


def _cmi_saved(cmi: dict) -> dict:
    return {"cmi": cmi}


def test_a_print_only_story_never_reaches_the_package(course):
    # An LMS is the web channel: a story whose consent covers print only, shown in a print-only block, stays out.
    from coursekit import MODULE_MD, STORY, TODAY, assert_clean
    from patientvoice.check import check_course
    from patientvoice.export.scorm import scorm_package

    kit = course()
    kit.edit(STORY, "channels: [web, print]", "channels: [print]")
    kit.edit(MODULE_MD, "/// story | maria-itch\n///\n\n/// story | maria-itch#sleep\n///",
             "//// print-only\n/// story | maria-itch\n///\n////")
    kit.approve()
    checked, problems = check_course(kit.root, TODAY)
    assert_clean(problems)
    pkg = scorm_package(checked, checked.modules["hearing-the-itch"], "1.2")
    text = b"".join(pkg.files.values()).decode("utf-8", "replace")
    assert "The itch starts at bedtime" not in text and "maria-itch" not in text
    assert "Cholestatic itch is often worst at night." in pkg.files["pages/content.html"].decode()


def test_every_page_of_a_package_passes_the_nu_html_checker(tmp_path):
    import subprocess

    from sitekit import VNU

    root, package = export(tmp_path, "scorm", MODULE)
    names = unzip(package, tmp_path / "sco")
    pages = [str(tmp_path / "sco" / n) for n in names if n.endswith(".html")]
    assert len(pages) == 5
    out = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=300)
    messages = json.loads(out.stderr or out.stdout)["messages"]
    assert [f"{m['url'].rsplit('/sco/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages] == []


def test_a_sco_opened_outside_an_lms_says_so_and_still_shows_the_module(tmp_path, browser):
    root, site, names, manifest, mastery = _lms(tmp_path, "2004")
    with serve_dir(site) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/sco/index.html")  # no host page, so no API_1484_11 in any parent or opener
        wait_page(page.main_frame, "about")
        assert "no SCORM 2004 API was found" in page.inner_text("[data-pv-lms-status]")
        page.click("[data-pv-nav='post']")
        post = wait_page(page.main_frame, "post")
        answer_form(post, answers_for(post_items(root)))
        post.wait_for_selector("[data-pv-result]:not([hidden])")
        page.close()
    assert not errors, errors


def test_the_same_course_exports_to_the_same_bytes(tmp_path):
    # Reproducible: an LMS administrator can tell whether a package changed by its checksum alone.
    _, first = export(tmp_path / "one", "scorm", MODULE)
    _, second = export(tmp_path / "two", "scorm", MODULE)
    assert first.read_bytes() == second.read_bytes()
