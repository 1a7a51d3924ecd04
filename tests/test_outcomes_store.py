"""Both storage back ends, for real: a SQLite file in WAL mode and a throwaway PostgreSQL server."""

import sqlite3
import stat

import psycopg
import pytest

from patientvoice.outcomes.store import StoreError, open_store


RESP = {"activity": "PV-1", "module": "m", "phase": "pre", "learner": "AAAA-BBBB", "submitted": "2026-02-01T09:30:00Z",
        "answers": {"q": 1, "t": "Café ☕ <b>“quoted”</b>\nnew line"}}


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "responses.sqlite")
    return request.getfixturevalue("postgres_url")


def test_store_round_trip_duplicates_and_history(target):
    store = open_store(target)
    first, created = store.add(RESP, {"correct": 1})
    assert created and first
    assert store.add(RESP, {"correct": 1}) == (first, False)  # a retry is stored once and named by its id
    again = {**RESP, "submitted": "2026-02-02T09:30:00Z", "answers": {"q": 2}}
    second, created = store.add(again, {"correct": 0})
    assert created and second > first  # a resubmission is kept as history
    rows = store.rows()
    assert [r["answers"] for r in rows] == [RESP["answers"], {"q": 2}]
    assert rows[0]["score"] == {"correct": 1} and rows[0]["received"].endswith("Z")
    assert store.count() == 2
    store.close()
    reopened = open_store(target)  # the schema is created once and data persists
    assert reopened.count() == 2
    reopened.close()


def test_one_schema_for_both(tmp_path, postgres_url):  # noqa: F811
    open_store(tmp_path / "a.sqlite").close()
    open_store(postgres_url).close()
    with sqlite3.connect(tmp_path / "a.sqlite") as conn:
        lite = [(r[1], r[2]) for r in conn.execute("PRAGMA table_info(responses)")]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with psycopg.connect(postgres_url) as conn:
        pg = conn.execute("SELECT column_name, data_type FROM information_schema.columns "
                          "WHERE table_name = 'responses' ORDER BY ordinal_position").fetchall()
    assert [c for c, _ in lite] == [c for c, _ in pg]
    # the id column is the only one whose type differs (how each database counts up)
    assert [t for c, t in lite if c not in ("id", "attempt")] == ["TEXT"] * 9
    assert {t for c, t in pg if c not in ("id", "attempt")} == {"text"}
    assert dict(lite)["attempt"] == "INTEGER" and dict(pg)["attempt"] == "integer"  # post-tests' attempt numbers


def test_open_store_errors_are_clear(tmp_path):
    with pytest.raises(StoreError, match="folder .* does not exist"):
        open_store(tmp_path / "missing" / "db.sqlite")
    with pytest.raises(StoreError, match="not a database this collector knows"):
        open_store("mysql://u:secret@localhost/db")
    (tmp_path / "junk.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.sqlite.*not a database"):
        open_store(tmp_path / "junk.sqlite")


def test_unreachable_postgres_names_the_server_without_the_password():
    with pytest.raises(StoreError) as exc:
        open_store("postgresql://learner:hunter2@127.0.0.1:1/outcomes")
    assert "127.0.0.1:1" in str(exc.value) and "hunter2" not in str(exc.value)


def test_sqlite_database_is_private_to_its_owner(tmp_path):
    path = tmp_path / "responses.sqlite"
    store = open_store(path)
    store.add(RESP, {"correct": 1})  # a write, so the WAL file exists too
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    store.close()
    assert modes["responses.sqlite"] == modes["responses.sqlite-wal"] == 0o600
    existing = tmp_path / "kept.sqlite"
    existing.touch(mode=0o640)
    existing.chmod(0o640)
    open_store(existing).close()
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640  # the owner's own choice for a file they made
