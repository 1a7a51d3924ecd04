"""The attempt policy on a real collector: attempt numbers from the store's order, what counts, old stores migrated.

Real SQLite files and a real PostgreSQL server (tests/pg.py); the browser's own ``attempt`` field is never
believed.
"""

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import httpx
import psycopg
import pytest

from creditkit import ACTIVITY, EVAL, claim, collector, credit_course
from coursekit import MODULE
from patientvoice.outcomes.attempts import counted_attempt, counting
from patientvoice.outcomes.store import SCHEMA_VERSION, StoreError, open_store

V1_SCHEMA = """
CREATE TABLE patientvoice_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE responses (
    id {id_type} PRIMARY KEY, digest TEXT NOT NULL UNIQUE, received TEXT NOT NULL, activity TEXT NOT NULL,
    module TEXT NOT NULL, phase TEXT NOT NULL, learner TEXT NOT NULL, submitted TEXT, answers TEXT NOT NULL,
    score TEXT NOT NULL
);
INSERT INTO patientvoice_meta VALUES ('schema_version', '1')
"""
V1_ROWS = [  # (digest, phase, learner, passed): two learners' post-tests interleaved with a pre-test
    ("d1", "post", "OLD0-0001", False), ("d2", "pre", "OLD0-0001", False), ("d3", "post", "OLD0-0002", True),
    ("d4", "post", "OLD0-0001", True), ("d5", "post", "OLD0-0001", False)]


@pytest.fixture(params=["sqlite", "postgres"])
def database(request, tmp_path):
    if request.param == "sqlite":
        return tmp_path / "responses.sqlite"
    return request.getfixturevalue("postgres_url")


def send(url: str, learner: str, correct: bool, minute: int = 0, phase: str = "post", **extra) -> httpx.Response:
    """A post-test (or ``phase``) as the site sends it, with any ``extra`` fields the browser adds."""
    answers = {"itch-impact": 0 if correct else 1, "confidence-itch": 3, **EVAL} if phase == "post" else \
        {"itch-impact": 0, "confidence-itch": 2}
    body = {"activity": ACTIVITY, "module": MODULE, "phase": phase, "learner": learner,
            "submitted": f"2026-02-01T09:{minute:02d}:00Z", "answers": answers, **extra}
    return httpx.post(url + "/responses", json=body, timeout=30)


def standing(r: httpx.Response) -> tuple:
    assert r.status_code in (200, 201), r.text
    return r.json().get("attempt"), r.json().get("counts")


def test_counting_rule():
    assert counting([False, True, False], 1) == [True, False, False]
    assert counting([False, True, False], 2) == [True, True, False]
    assert counting([True, False], 3) == [True, False]  # a retake after a pass has seen the key
    assert counting([False, False, False, True], 3) == [True, True, True, False]
    assert counted_attempt([False, True], 1) is None and counted_attempt([False, True], 2) == 1
    assert counted_attempt([], 1) is None


def test_server_numbers_attempts_and_ignores_the_browsers(tmp_path, database):
    with collector(credit_course(tmp_path / "course"), database) as (url, store):
        assert standing(send(url, "NUMB-0001", False, 0, attempt=5)) == (1, True)  # a forged number is ignored
        assert standing(send(url, "NUMB-0001", True, 1, attempt=1)) == (2, False)  # "1" again: still the second
        assert standing(send(url, "NUMB-0002", True, 2)) == (1, True)  # each learner counts from 1
        pre = send(url, "NUMB-0001", True, 3, phase="pre")
        assert pre.status_code == 201 and "attempt" not in pre.json() and "counts" not in pre.json()
        assert standing(send(url, "NUMB-0001", False, 4)) == (3, False)
        again = send(url, "NUMB-0001", True, 1, attempt=1)  # a retried upload of the second attempt
        assert again.json()["status"] == "duplicate" and standing(again) == (2, False)
        rows = store.rows()
        assert [(r["learner"], r["phase"], r["attempt"]) for r in rows] == [
            ("NUMB-0001", "post", 1), ("NUMB-0001", "post", 2), ("NUMB-0002", "post", 1),
            ("NUMB-0001", "pre", None), ("NUMB-0001", "post", 3)]
        assert all("attempt" not in r["answers"] for r in rows)


def test_a_malformed_attempt_is_refused(tmp_path):
    with collector(credit_course(tmp_path / "course"), tmp_path / "db.sqlite") as (url, store):
        for bad in ("2", 0, 1.5, True, 10**6):
            r = send(url, "BADA-0001", True, attempt=bad)
            assert r.status_code == 400 and "'attempt'" in r.json()["error"], (bad, r.text)
        r = send(url, "BADA-0001", True, phase="pre", attempt=1)
        assert r.status_code == 400 and "phase 'pre' has no attempts" in r.json()["error"]
        assert store.count() == 0


@pytest.mark.parametrize("attempts, passes, expected", [
    (1, [False, True], [(1, True), (2, False)]),
    (1, [True, False], [(1, True), (2, False)]),
    (2, [False, True, True], [(1, True), (2, True), (3, False)]),
    (2, [True, False], [(1, True), (2, False)]),  # the key was shown at the pass: the retake does not count
    (2, [False, False, True], [(1, True), (2, True), (3, False)]),
])
def test_counts_follow_the_policy_and_agree_with_credit(tmp_path, attempts, passes, expected):
    root = credit_course(tmp_path / "course", attempts=attempts if attempts > 1 else None)
    with collector(root, tmp_path / "db.sqlite") as (url, _):
        got = [standing(send(url, "CNT0-0001", ok, minute)) for minute, ok in enumerate(passes)]
        assert got == expected
        earned = any(counts and ok for (_, counts), ok in zip(got, passes))
        r = httpx.post(url + "/claims", json=claim("CNT0-0001"), timeout=120)
        assert r.status_code == (201 if earned else 403), r.text


def test_parallel_retakes_get_distinct_numbers(tmp_path, postgres_url):
    """PostgreSQL serves requests in parallel: two attempts stored at once still get different numbers."""
    with collector(credit_course(tmp_path / "course"), postgres_url) as (url, store):
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda minute: send(url, "PARA-0001", False, minute), range(16)))
        assert sorted(standing(r)[0] for r in answers) == list(range(1, 17))
        assert sum(standing(r)[1] for r in answers) == 1


def _v1_store(database, tmp_path):
    """An existing store written by the previous schema (no attempt column), with responses in it."""
    rows = [(d, "2026-02-01T09:00:00.000000Z", ACTIVITY, MODULE, phase, learner, None,
             '{"itch-impact": 0}', '{"passed": %s}' % ("true" if ok else "false")) for d, phase, learner, ok in V1_ROWS]
    insert = ("INSERT INTO responses (digest, received, activity, module, phase, learner, submitted, answers, score) "
              "VALUES ({0}, {0}, {0}, {0}, {0}, {0}, {0}, {0}, {0})")
    if database == "sqlite":
        path = tmp_path / "old.sqlite"
        with sqlite3.connect(path) as conn:
            conn.executescript(V1_SCHEMA.format(id_type="INTEGER"))
            conn.executemany(insert.format("?"), rows)
        return path
    with psycopg.connect(database, autocommit=True) as conn:
        for statement in V1_SCHEMA.format(id_type="BIGINT GENERATED BY DEFAULT AS IDENTITY").split(";"):
            conn.execute(statement)
        with conn.cursor() as cur:
            cur.executemany(insert.format("%s"), rows)
    return database


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_an_old_store_is_migrated(tmp_path, request, backend):
    database = _v1_store("sqlite" if backend == "sqlite" else request.getfixturevalue("postgres_url"), tmp_path)
    with collector(credit_course(tmp_path / "course", attempts=2), database) as (url, store):
        assert [(r["digest"], r["attempt"]) for r in store.rows()] == [
            ("d1", 1), ("d2", None), ("d3", 1), ("d4", 2), ("d5", 3)]
        version = store._execute("SELECT value FROM patientvoice_meta WHERE key = 'schema_version'", ())
        assert version == [(SCHEMA_VERSION,)]
        # New post-tests continue the numbering; the stored passes decide what counts (d4 passed at attempt 2).
        assert standing(send(url, "OLD0-0001", True)) == (4, False)
        assert standing(send(url, "OLD0-0002", False)) == (2, False)
    reopened = open_store(database)  # a second opening finds version 2 and changes nothing
    assert [r["attempt"] for r in reopened.rows()] == [1, None, 1, 2, 3, 4, 2]
    reopened.close()


def test_a_newer_store_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    open_store(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE patientvoice_meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="schema version 99, newer than this patientvoice knows"):
        open_store(path)
