"""POST /claims on a real collector: the server's decision, each refusal's message, the certificate and verify page.

Dates are controlled by the course (its activity's release and expiry around the server's real date), never
by mocking the clock; databases are real SQLite files and a real PostgreSQL server.
"""

import datetime as dt
import json
import os
import re
import signal
import subprocess
import unicodedata

import httpx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import pdfread
from creditkit import SITE, TODAY, claim, collector, credit_course, post_test
from patientvoice.cli import main
from patientvoice.course.loader import load_course
from patientvoice.outcomes.collector import create_app
from patientvoice.outcomes.store import open_store
from patientvoice.site.questionnaire import EvaluationError
from sitekit import free_port, wait_until_up
from test_outcomes_cli import LAUNCH

DESIGNATION = ("Example Medical Education Ltd designates this enduring material for a maximum of 0.75 AMA PRA "
               "Category 1 Credit(s)™. Physicians should claim only the credit commensurate with the extent of "
               "their participation in the activity.")


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "responses.sqlite"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def served(tmp_path):
    """A collector on SQLite for a course open today, with default policy (first attempt counts)."""
    with collector(credit_course(tmp_path / "course"), tmp_path / "responses.sqlite") as (url, store):
        yield url


def test_claim_certificate_and_verify_page(tmp_path, database):
    with collector(credit_course(tmp_path / "course"), database) as (url, store):
        post_test(url, "K7QF-3M9X")
        r = httpx.post(url + "/claims", json=claim())
        assert r.status_code == 201, r.text
        body = r.json()
        cid = body["certificate"]
        assert re.fullmatch(r"[a-z2-7]{32}", cid)  # 160 random bits in base32: safe in a URL, a shell, a CSV
        assert body == {"certificate": cid, "pdf": f"{url}/certificates/{cid}.pdf", "verify": f"{url}/verify/{cid}"}

        again = httpx.post(url + "/claims", json=claim())  # a retried claim finds the same certificate
        assert again.status_code == 201 and again.json() == body
        other = httpx.post(url + "/claims", json=claim(credits=0.5))
        assert other.status_code == 409
        assert other.json()["error"].startswith("Credit for this activity was already claimed from this browser on")

        pdf = httpx.get(body["pdf"], timeout=120)  # a first render loads the fonts; slow on a busy machine
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        path = tmp_path / "certificate.pdf"
        path.write_bytes(pdf.content)
        text = pdfread.text(path)
        assert len(pdfread.page_texts(path)) == 1
        for expected in ("Certificate of completion", "Dr Jane Q. Smith", "Hearing the itch", "PV-2026-PBC-01",
                         "Enduring material", f"{TODAY.day} {TODAY:%B %Y}",
                         "Credit awarded: 0.75 AMA PRA Category 1 Credits™", DESIGNATION,
                         "Dr Jane Q. Smith claimed 0.75 AMA PRA Category 1 Credits™",
                         "accredited by the ACCME", body["verify"]):
            assert expected in text, expected
        fonts = pdfread.fonts(path)
        assert fonts and all(f["emb"] == "yes" for f in fonts)
        assert all("Atkinson" in f["name"] for f in fonts)
        catalog = PdfReader(path).trailer["/Root"]
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"].value is True  # tagged
        assert round(float(PdfReader(path).pages[0].mediabox.width)) == 595  # A4, the course's paper

        page = httpx.get(body["verify"])
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        for expected in ("Dr Jane Q. Smith", "Hearing the itch", "PV-2026-PBC-01",
                         "0.75 AMA PRA Category 1 Credits™", TODAY.isoformat()):
            assert expected in page.text
        for private in ("jane.smith@example.org", "1234567893", "K7QF-3M9X", "physician"):
            assert private not in page.text  # name, activity, credits and date: nothing else

        for missing in ("A" * 32, "short", cid[:-1] + ("A" if cid[-1] != "A" else "B")):
            assert httpx.get(f"{url}/verify/{missing}").status_code == 404
            gone = httpx.get(f"{url}/certificates/{missing}.pdf")
            assert gone.status_code == 404 and gone.json() == {"error": "There is no certificate at this address."}
        # The outcomes' responses table holds no name; the claim sits in its own table.
        assert all("Jane" not in str(row) for row in store.rows())


MESSAGES = {
    "over": (claim(credits=1), 400, "You can claim at most 0.75 credits for this activity."),
    "step": (claim(credits=0.3), 400, "Please claim credit in steps of 0.25 (for example 0.5 or 0.75), not 0.3."),
    "zero": (claim(credits=0), 400, "Please claim at least 0.25 credit."),
    "attest": (claim(attest=False), 400, "Please confirm that you claim only the credit commensurate with the "
                                         "extent of your participation in the activity."),
    "no-name": (claim(name="  "), 400, "Please enter your full name as it should appear on the certificate."),
    "email": (claim(email="jane"), 400, "Please enter a valid e-mail address, such as name@example.org."),
    "profession": (claim(profession="surgeon"), 400, "Please choose your profession."),
    "other": (claim(profession="other"), 400, "Please enter your profession."),
    "credit-type": (claim(credit_type="ancc"), 400, "This activity does not offer that type of credit "
                                                    "(it offers: AMA PRA Category 1)."),
    "npi": (claim(report={"consent": False, "npi": "1234567890"}), 400, "That NPI is not valid"),
    "no-id": (claim(report={"consent": True, "birth_month": 3, "birth_day": 4}), 400,
              "To report your completion we need an identifier"),
    "no-birthday": (claim(report={"consent": True, "npi": "1234567893"}), 400,
                    "ACCME and the boards need your month and day of birth"),
    "birthday": (claim(report={"consent": False, "birth_month": 2, "birth_day": 30}), 400,
                 "The birth day must be a number from 1 to 29."),
    "board": (claim(report={"consent": True, "board": "ABXYZ", "board_id": "1", "birth_month": 1,
                            "birth_day": 1}), 400, "Please choose your certifying board from the list"),
    "activity": (claim(activity="PV-OTHER"), 400, "This claim names activity 'PV-OTHER'"),
    "learner-format": (claim(learner="nope"), 400, "The learner code from this browser is missing or not valid."),
    "forged-learner": (claim(learner="ZZZZ-9999"), 403, "We have no post-test from this browser for this "
                                                        "activity. Take the post-test in this browser first"),
}


@pytest.mark.parametrize("case", MESSAGES)
def test_refusals_say_why(served, case):
    post_test(served, "K7QF-3M9X")
    body, status, message = MESSAGES[case]
    r = httpx.post(served + "/claims", json=body)
    assert r.status_code == status and message in r.json()["error"], r.text
    assert list(r.json()) == ["error"]


def test_not_passed_and_evaluation_missing(served):
    post_test(served, "FAIL-0001", correct=False)
    r = httpx.post(served + "/claims", json=claim("FAIL-0001"))
    assert r.status_code == 403 and r.json()["error"] == (
        "Your post-test did not reach the pass mark of 70%. Only the first attempt counts for credit, so this "
        "activity cannot award you credit.")
    post_test(served, "NOEV-0001", evaluation=False)
    r = httpx.post(served + "/claims", json=claim("NOEV-0001"))
    assert r.status_code == 403
    assert r.json()["error"].startswith("Please answer the evaluation questions at the end of the post-test")
    assert "Was the content of this activity free of commercial bias?" in r.json()["error"]
    # The evaluation answered in a later submission counts; the first (passing) attempt is still the one scored.
    post_test(served, "NOEV-0001", correct=False, submitted="2026-02-01T10:00:00Z")
    assert httpx.post(served + "/claims", json=claim("NOEV-0001")).status_code == 201


def test_attempt_policy(tmp_path):
    """A pass on the second attempt earns credit only when the course allows two attempts."""
    for attempts, status in ((None, 403), (2, 201)):
        root = credit_course(tmp_path / f"course-{attempts}", attempts=attempts)
        with collector(root, tmp_path / f"db-{attempts}.sqlite") as (url, _):
            post_test(url, "TWO0-0001", correct=False, submitted="2026-02-01T09:00:00Z")
            if attempts == 2:
                waiting = httpx.post(url + "/claims", json=claim("TWO0-0001"))
                assert waiting.status_code == 403 and "(1 attempt of the 2 that count for credit)" in waiting.text
            post_test(url, "TWO0-0001", correct=True, submitted="2026-02-01T09:10:00Z")
            r = httpx.post(url + "/claims", json=claim("TWO0-0001"))
            assert r.status_code == status, r.text
            if status == 403:
                assert "Only the first attempt counts for credit" in r.json()["error"]


def test_attempts_are_numbered_in_stored_order(served):
    """The collector's stored order numbers the attempts, as its answers to the post-tests said: a retake sent
    with an earlier ``submitted`` time (the browser's word) does not become the first attempt."""
    post_test(served, "LATE-0001", correct=False, submitted="2026-02-01T09:10:00Z")
    late = post_test(served, "LATE-0001", correct=True, submitted="2026-02-01T09:00:00Z")
    assert (late.json()["attempt"], late.json()["counts"]) == (2, False)
    assert httpx.post(served + "/claims", json=claim("LATE-0001")).status_code == 403
    post_test(served, "LATE-0002", correct=True, submitted="2026-02-01T09:10:00Z")
    post_test(served, "LATE-0002", correct=False, submitted="2026-02-01T09:00:00Z")
    assert httpx.post(served + "/claims", json=claim("LATE-0002")).status_code == 201


def test_three_attempts_all_failed(tmp_path):
    with collector(credit_course(tmp_path / "course", attempts=2), tmp_path / "db.sqlite") as (url, _):
        for minute in (0, 1, 2):
            post_test(url, "FAIL-0002", correct=minute == 2, submitted=f"2026-02-01T09:0{minute}:00Z")
        r = httpx.post(url + "/claims", json=claim("FAIL-0002"))
        assert r.status_code == 403 and r.json()["error"] == (
            "None of your first 2 post-test attempts reached the pass mark of 70%, so this activity cannot award "
            "you credit.")


def test_dates_are_the_activitys(tmp_path):
    tomorrow, yesterday = TODAY + dt.timedelta(days=1), TODAY - dt.timedelta(days=1)
    cases = [(tomorrow, TODAY + dt.timedelta(days=400), "This activity is released for credit on "
                                                        f"{tomorrow.day} {tomorrow:%B %Y}. You can claim credit "
                                                        "from that day."),
             (TODAY - dt.timedelta(days=400), yesterday, f"This activity expired on {yesterday.day} "
                                                         f"{yesterday:%B %Y} and can no longer award credit."),
             (TODAY, TODAY, None)]  # release and expiry days themselves are open
    for i, (release, expires, message) in enumerate(cases):
        root = credit_course(tmp_path / f"course-{i}", release=release, expires=expires)
        with collector(root, tmp_path / f"db-{i}.sqlite") as (url, _):
            post_test(url, "DATE-0001")
            r = httpx.post(url + "/claims", json=claim("DATE-0001"))
            if message is None:
                assert r.status_code == 201, r.text
            else:
                assert r.status_code == 403 and r.json()["error"] == message


def test_other_profession_gets_a_certificate_of_participation(served, tmp_path):
    post_test(served, "NURS-0001")
    r = httpx.post(served + "/claims", json=claim("NURS-0001", name="Sam Rivera, RN", profession="registered-nurse",
                                                   credits=0.5, report={"consent": False}))
    assert r.status_code == 201, r.text
    path = tmp_path / "nurse.pdf"
    path.write_bytes(httpx.get(r.json()["pdf"], timeout=120).content)
    text = pdfread.text(path)
    assert "Certificate of participation" in text and "Participation claimed: 0.5 hours" in text
    assert ("The activity was designated for a maximum of 0.75 AMA PRA Category 1 Credit(s)™ for physicians; "
            "Sam Rivera, RN participated as a registered nurse") in text
    assert "Credit awarded" not in text
    assert "0.5 hours of participation" in httpx.get(r.json()["verify"]).text


def test_letter_paper(tmp_path):
    with collector(credit_course(tmp_path / "course", paper="Letter"), tmp_path / "db.sqlite") as (url, _):
        post_test(url, "LTTR-0001")
        r = httpx.post(url + "/claims", json=claim("LTTR-0001"))
        path = tmp_path / "letter.pdf"
        path.write_bytes(httpx.get(r.json()["pdf"], timeout=120).content)
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert len(pdfread.page_texts(path)) == 1


def test_cors_and_body_limits(served):
    own = {"Origin": SITE}
    pre = httpx.options(served + "/claims", headers={**own, "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == SITE
    assert httpx.options(served + "/claims", headers={"Origin": "https://evil.example"}).status_code == 403
    r = httpx.post(served + "/claims", json=claim(), headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    r = httpx.post(served + "/claims", json=claim(), headers=own)  # no post-test yet: refused, but readable
    assert r.status_code == 403 and r.headers["access-control-allow-origin"] == SITE
    big = httpx.post(served + "/claims", content=b"{" + b" " * 9000 + b"}",
                     headers={"Content-Type": "application/json"})
    assert big.status_code == 413
    bad = httpx.post(served + "/claims", content=b"{nope", headers={"Content-Type": "text/plain"})
    assert bad.status_code == 400
    assert bad.json()["error"] == "The claim could not be read. Reload the page and try again."


def test_attempts_option_must_be_a_whole_number(tmp_path):
    root = credit_course(tmp_path / "course", attempts=0)
    store = open_store(tmp_path / "db.sqlite")
    with pytest.raises(EvaluationError, match="plugins.patientvoice.attempts must be a whole number of at least 1"):
        create_app(load_course(root)[0], store, SITE)
    store.close()


# Every field of a claim with values of the wrong type or size: each a 400 with a message, never a 500.
WRONG = [["physician"], {"x": 1}, True, 10 ** 30, 1.5, "9" * 5000]
FIELDS = ("activity", "module", "learner", "name", "email", "profession", "profession_other", "credit_type",
          "credits", "attest", "report")
REPORT_FIELDS = ("consent", "npi", "licence", "licence_state", "board", "board_id", "birth_month", "birth_day")


def test_wrong_types_are_refused_not_crashed(served):
    cases = [(f, v, claim(**{f: v})) for f in FIELDS for v in WRONG
             if not (f == "attest" and v is True) and not (f == "report" and v == {"x": 1})]  # a report: no consent
    for f in REPORT_FIELDS:
        for v in WRONG:
            if not (f == "consent" and v is True):
                body = claim()
                body["report"] = {**body["report"], f: v}
                cases.append((f"report.{f}", v, body))
    for field, value, body in cases:
        r = httpx.post(served + "/claims", json=body)
        assert r.status_code == 400, (field, str(value)[:20], r.status_code, r.text[:200])
        assert list(r.json()) == ["error"] and r.json()["error"].endswith("."), (field, r.text[:200])
    assert len(cases) == 11 * 6 + 8 * 6 - 3
    deep = json.dumps(claim()).replace('"PV-2026-PBC-01"', "[" * 900 + "]" * 900, 1)  # not echoed back
    r = httpx.post(served + "/claims", content=deep, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"].startswith("This claim names activity that is not"), r.text


@pytest.mark.parametrize("credits, message", [
    (1e-300, "Please claim at least 0.25 credit."),  # rounds to 0: no "0 credits" certificate using the claim up
    (-0.25, "Please claim at least 0.25 credit."),
    (float("inf"), "Please enter the credit you claim, as a number up to 0.75."),
    (float("nan"), "Please enter the credit you claim, as a number up to 0.75."),
    ("1e999", "Please enter the credit you claim, as a number up to 0.75."),
    (10 ** 400, "Please enter the credit you claim, as a number up to 0.75."),  # too big for a float
    (0.75 + 1e-12, None),  # within the step's tolerance: 0.75
    ("0.5", None),
])
def test_credits_are_rounded_to_the_step_first(served, credits, message):
    post_test(served, "K7QF-3M9X")
    r = httpx.post(served + "/claims", content=json.dumps(claim(credits=credits)),  # json.dumps writes Infinity
                   headers={"Content-Type": "application/json"})
    if message is None:
        assert r.status_code == 201, r.text
    else:
        assert r.status_code == 400 and r.json()["error"] == message, r.text


@pytest.mark.parametrize("name, message", [
    (", MD", "Please enter your full name as it should appear on the certificate, in letters"),
    ("1234 !", "Please enter your full name as it should appear on the certificate, in letters"),
    ("Dr \u202eEve\u202c Smith", "it contains invisible characters (such as text-direction marks)"),
    ("Jane\u200bSmith", "it contains invisible characters"),
    ("Jane\ufeff Smith", "it contains invisible characters"),
])
def test_names_need_letters_and_no_invisible_characters(served, name, message):
    post_test(served, "K7QF-3M9X")
    r = httpx.post(served + "/claims", json=claim(name=name))
    assert r.status_code == 400 and message in r.json()["error"], r.text
    r = httpx.post(served + "/claims", json=claim(profession="other", profession_other="nurse \u2066midwife\u2069"))
    assert r.status_code == 400 and "invisible characters" in r.json()["error"]
    r = httpx.post(served + "/claims", json=claim(email="jane\u202e@example.org"))
    assert r.status_code == 400 and "invisible characters" in r.json()["error"]


def test_names_are_stored_in_nfc(tmp_path):
    with collector(credit_course(tmp_path / "course"), tmp_path / "r.sqlite") as (url, store):
        post_test(url, "K7QF-3M9X")
        nfd = unicodedata.normalize("NFD", "Dr Zoë Ångström-Jørgensen")
        r = httpx.post(url + "/claims", json=claim(name=nfd))
        assert r.status_code == 201, r.text
        (name,), = store._execute("SELECT name FROM claims", ())
        assert name == unicodedata.normalize("NFC", nfd) != nfd
        # The same claim typed in NFC is the same claim, not a 409.
        again = httpx.post(url + "/claims", json=claim(name=unicodedata.normalize("NFC", nfd)))
        assert again.status_code == 201 and again.json() == r.json()
        persian = httpx.post(url + "/claims", json=claim("PERS-0001", name="Mehr\u200cnaz Rahimi"))
        assert persian.status_code == 403  # the joiner passes parsing (no post-test from this browser)


def test_host_header_does_not_choose_the_verification_url(tmp_path):
    with collector(credit_course(tmp_path / "course"), tmp_path / "r.sqlite") as (url, store):
        post_test(url, "K7QF-3M9X")
        r = httpx.post(url + "/claims", json=claim(), headers={"Host": "evil.example"})
        assert r.status_code == 201, r.text
        assert r.json()["verify"].startswith(url + "/verify/") and "evil" not in json.dumps(r.json())
        assert "evil.example" not in str(store._execute("SELECT certificate FROM claims", ()))


def test_collect_public_url(tmp_path):
    """``collect`` as run: PATIENTVOICE_PUBLIC_URL (or --public-url) starts the links; a forged Host does not."""
    root = credit_course(tmp_path / "course")
    port = free_port()
    env = {**os.environ, "PATIENTVOICE_PUBLIC_URL": "https://cme.example.org/collector"}
    proc = subprocess.Popen(LAUNCH + ["collect", "--root", str(root), "--port", str(port), "--database",
                                      str(tmp_path / "r.sqlite"), "--origin", SITE],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url)
        post_test(url, "K7QF-3M9X")
        r = httpx.post(url + "/claims", json=claim(), headers={"Host": "evil.example", "Origin": SITE})
        assert r.status_code == 201, r.text
        cid = r.json()["certificate"]
        assert r.json()["verify"] == f"https://cme.example.org/collector/verify/{cid}"
        assert r.json()["pdf"] == f"https://cme.example.org/collector/certificates/{cid}.pdf"
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    assert "Certificates link to https://cme.example.org/collector/verify/" in out and "Traceback" not in out, out
    bad = CliRunner().invoke(main, ["collect", "--root", str(root), "--public-url", "cme.example.org"])
    assert bad.exit_code == 2 and "is not a URL; write it like https://" in bad.output
