"""``patientvoice records`` on a database with claims from several professions, on SQLite and PostgreSQL.

The claims are made through a real collector, as learners would make them; the commands run through click.
"""

import csv
import datetime as dt
import io
import json
import os
import subprocess
import unicodedata

import httpx
import pytest
from click.testing import CliRunner

import pdfread
from creditkit import TODAY, claim, collector, credit_course, post_test
from patientvoice.cli import main
from patientvoice.credit.records import cutoff, pars_learners, split_name
from test_outcomes_cli import LAUNCH

NURSE_REPORT = {"consent": True, "licence": "RN-123456", "licence_state": "ny", "birth_month": 7, "birth_day": 14}
LEARNERS = {  # learner code: what the claim changes
    "PHYS-0001": {},
    "PHYS-0002": {"name": "Prof. Ana María López-Ruiz, MD, PhD", "email": "ana@example.org", "credits": 0.5,
                  "report": {"consent": True, "npi": "1234567893", "board": "abim", "board_id": "123456",
                             "birth_month": 12, "birth_day": 1}},
    "PHYS-0003": {"name": "Lee Chen", "email": "lee@example.org", "report": {"consent": False}},
    "NURS-0001": {"name": "Sam Rivera", "email": "sam@example.org", "profession": "registered-nurse",
                  "report": NURSE_REPORT},
    "PHAR-0001": {"name": "=HYPERLINK(\"x\")", "email": "pat@example.org", "profession": "pharmacist",
                  "credits": 0.25, "report": {"consent": False}},
    "PHYS-0004": {"email": "Jane.Smith@Example.org", "credits": 0.25, "report": {"consent": False}},
}


@pytest.fixture(params=["sqlite", "postgres"])
def claims_db(request, tmp_path):
    """A database holding the six claims above; yields (its --database value, its responses Store)."""
    database = str(tmp_path / "responses.sqlite") if request.param == "sqlite" \
        else request.getfixturevalue("postgres_url")
    root = credit_course(tmp_path / "course")
    with collector(root, database) as (url, store):
        for learner, changes in LEARNERS.items():
            post_test(url, learner)
            r = httpx.post(url + "/claims", json=claim(learner, **changes))
            assert r.status_code == 201, r.text
        yield database, store, root


def run(*args):
    result = CliRunner().invoke(main, ["records", *map(str, args)])
    assert "Traceback" not in result.output, result.output
    return result


def test_exports_and_summary(claims_db, tmp_path):
    database, store, root = claims_db
    out = tmp_path / "pars.csv"
    r = run("export", "--format", "pars-learners", "--database", database, "--out", out)
    assert r.exit_code == 0 and "2 learner completion(s) to report, of 6 claim(s)" in r.output, r.output
    assert os.stat(out).st_mode & 0o777 == 0o600  # names and identifiers: the provider's user only
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    # Only consenting learners who were awarded the credit: the nurse consented but gets participation, not credit.
    assert [(r["First Name"], r["Last Name"]) for r in rows] == [("Jane Q.", "Smith"), ("Ana María", "López-Ruiz")]
    jane, ana = rows
    assert (jane["ID Domain"], jane["ID"], jane["Birth Month"], jane["Birth Day"]) == ("NPI", "1234567893", "2", "29")
    assert (ana["ID Domain"], ana["ID"], ana["Credits"]) == ("ABIM", "123456", "0.5")  # the board ID, for MOC
    assert jane["Completion Date"] == TODAY.strftime("%m/%d/%Y") and jane["Credit Type"] == "AMA PRA Category 1"
    assert jane["Provider Activity ID"] == "PV-2026-PBC-01" and jane["Credits"] == "0.75"

    full = tmp_path / "claims.csv"
    assert run("export", "--format", "csv", "--database", database, "--out", full).exit_code == 0
    every = list(csv.DictReader(io.StringIO(full.read_text(encoding="utf-8"))))
    assert len(every) == 6 and {r["email"] for r in every} >= {"sam@example.org", "lee@example.org"}
    nurse = next(r for r in every if r["name"] == "Sam Rivera")
    assert (nurse["licence"], nurse["licence_state"], nurse["consent"]) == ("RN-123456", "NY", "yes")
    assert any(r["name"] == "'=HYPERLINK(\"x\")" for r in every)  # no formula reaches a spreadsheet

    text = run("summary", "--database", database)
    assert text.exit_code == 0
    assert "claims: 6 (physicians 4, other learners 2)" in text.output
    assert "by profession: physician (md, do) 4, registered nurse 1, pharmacist 1" in text.output
    assert "AMA PRA Category 1 Credits™ awarded: 2.25" in text.output  # 0.75 + 0.5 + 0.75 + 0.25
    assert "participation hours claimed by other learners: 1" in text.output
    assert "to report to PARS (consented): 2" in text.output
    data = json.loads(run("summary", "--database", database, "--format", "json").output)
    assert data[0]["physicians"] == 4 and data[0]["other_learners"] == 2
    assert data[0]["by_profession"] == {"physician": 4, "registered-nurse": 1, "pharmacist": 1}
    # The outcomes' responses never hold a name.
    assert not any("Rivera" in str(row) for row in store.rows())


def test_reissue_transcript_and_purge(claims_db, tmp_path):
    database, store, root = claims_db
    csv_out = tmp_path / "claims.csv"
    run("export", "--format", "csv", "--database", database, "--out", csv_out)
    every = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8"))))
    lee = next(r for r in every if r["name"] == "Lee Chen")

    one = tmp_path / "lee.pdf"
    r = run("certificate", lee["certificate"], "--database", database, "--root", root, "--out", one)
    assert r.exit_code == 0, r.output
    assert len(pdfread.page_texts(one)) == 1 and "Lee Chen" in pdfread.text(one)
    assert lee["verify"] in pdfread.text(one)  # the address printed when it was first issued
    assert run("certificate", "A" * 32, "--database", database, "--root", root, "--out", one).exit_code == 1

    both = tmp_path / "jane.pdf"
    r = run("transcript", "jane.smith@EXAMPLE.org", "--database", database, "--root", root, "--out", both)
    assert r.exit_code == 0 and "2 certificate(s)" in r.output
    pages = pdfread.page_texts(both)
    assert len(pages) == 2 and all("Dr Jane Q. Smith" in p for p in pages)
    assert {"0.75 AMA PRA Category 1 Credits™" in p for p in pages} == {True, False}
    assert run("transcript", "nobody@example.org", "--database", database, "--root", root,
               "--out", both).exit_code == 1

    # Lee's claim was completed seven years ago: past ACCME's six years.
    old = (TODAY - dt.timedelta(days=7 * 366)).isoformat()
    store._execute(f"UPDATE claims SET completed = {store.placeholder} WHERE id = {store.placeholder}",
                   (old, lee["certificate"]))
    responses = store.count()
    dry = run("purge", "--database", database)
    assert dry.exit_code == 0 and "Would delete 1 claim(s) completed before" in dry.output
    assert lee["certificate"][:8] in dry.output and "run again with --yes" in dry.output
    run("export", "--format", "csv", "--database", database, "--out", csv_out)
    assert len(list(csv.DictReader(io.StringIO(csv_out.read_text())))) == 6  # a dry run deletes nothing
    done = run("purge", "--older-than", "6y", "--database", database, "--yes")
    assert done.exit_code == 0 and "Deleted 1 claim(s)." in done.output
    run("export", "--format", "csv", "--database", database, "--out", csv_out)
    left = list(csv.DictReader(io.StringIO(csv_out.read_text())))
    assert len(left) == 5 and "Lee Chen" not in {r["name"] for r in left}
    assert store.count() == responses  # the pseudonymous responses stay
    assert "Would delete 0 claim(s)" in run("purge", "--database", database).output


def test_refuses_clearly(tmp_path):
    missing = tmp_path / "nope.sqlite"
    r = run("summary", "--database", missing)
    assert r.exit_code == 1 and "there is no database at" in r.output and not missing.exists()
    r = run("purge", "--database", missing, "--older-than", "six years")
    assert r.exit_code == 2 and "is not an age; write it like 6y, 18m or 30d" in r.output
    assert "records" in CliRunner().invoke(main, ["--help"]).output


def test_name_split_and_cutoff():
    assert split_name("Dr. Jane Q. Smith, MD") == ("Jane Q.", "Smith")
    assert split_name("Cher") == ("", "Cher")
    assert split_name("Dr Prof Wei Zhang") == ("Wei", "Zhang")
    assert cutoff("6y", dt.date(2032, 2, 29)) == dt.date(2026, 2, 28)
    assert cutoff("18m", dt.date(2026, 3, 31)) == dt.date(2024, 9, 30)
    assert cutoff("30d", dt.date(2026, 3, 31)) == dt.date(2026, 3, 1)


def test_pars_cells_are_formula_guarded_and_names_split_safely():
    row = {"activity": "PV-1", "certificate": {"title": "T"}, "name": "=cmd|' /C calc'!A0 Smith", "consent": True,
           "profession": "physician", "credit_type": "ama-pra-1", "credits": 0.5, "completed": "2026-03-01",
           "id": "abc", "report": {"npi": "1234567893", "birth_month": 1, "birth_day": 2}}
    legacy = {**row, "name": ", MD", "id": "def"}  # stored before names needed letters: exported, not a crash
    rows = list(csv.reader(io.StringIO(pars_learners([row, {**row, "name": "Jo +Smith", "id": "ghi"}, legacy]))))
    assert rows[1][2:4] == ["'=cmd|' /C calc'!A0", "Smith"]
    assert rows[2][2:4] == ["Jo", "'+Smith"]
    assert rows[3][2:4] == ["", "MD"]
    assert split_name("") == ("", "") and split_name(" , ") == ("", "")


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    return str(tmp_path / "responses.sqlite") if request.param == "sqlite" \
        else request.getfixturevalue("postgres_url")


def test_transcript_matches_unicode_case_and_normalisation(database, tmp_path):
    root = credit_course(tmp_path / "course")
    with collector(root, database) as (url, store):
        for learner, email in (("JORG-0001", "JÖRG@example.org"),
                               ("JORG-0002", unicodedata.normalize("NFD", "jörg@example.org")),
                               ("JORG-0003", "joerg@example.org")):
            post_test(url, learner)
            r = httpx.post(url + "/claims", json=claim(learner, name="Jörg Müller", email=email,
                                                       report={"consent": False}))
            assert r.status_code == 201, r.text
        out = tmp_path / "jorg.pdf"
        r = run("transcript", unicodedata.normalize("NFD", "jörg@EXAMPLE.org"), "--database", database, "--root",
                root, "--out", out)
        assert r.exit_code == 0 and "2 certificate(s)" in r.output, r.output


@pytest.mark.parametrize("age", ["3000y", "800000d", "100000m", "99999999999999y"])
def test_purge_refuses_ages_past_a_century(age, tmp_path):
    # A subprocess with a timeout: 3000y used to spin for ever before year 1.
    done = subprocess.run(LAUNCH + ["records", "purge", "--older-than", age, "--database",
                                    str(tmp_path / "none.sqlite")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert "is more than a century" in done.stderr or "is not an age" in done.stderr, done.stderr
    assert cutoff("100y", dt.date(2026, 3, 1)) == dt.date(1926, 3, 1)
    with pytest.raises(ValueError, match="more than a century"):
        cutoff("101y", dt.date(2026, 3, 1))
