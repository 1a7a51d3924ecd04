"""Where responses live: a SQLite file (WAL) by default, or PostgreSQL, with one schema for both."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA_VERSION = "2"  # 2: post-tests carry their attempt number (outcomes/attempts.py)
# The only difference between the two back ends is how the id column counts up.
SCHEMA = """
CREATE TABLE IF NOT EXISTS patientvoice_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses (
    id {id_type} PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    received TEXT NOT NULL,
    activity TEXT NOT NULL,
    module TEXT NOT NULL,
    phase TEXT NOT NULL,
    learner TEXT NOT NULL,
    submitted TEXT,
    answers TEXT NOT NULL,
    score TEXT NOT NULL,
    attempt INTEGER
);
CREATE INDEX IF NOT EXISTS responses_by_learner ON responses (module, learner, phase, id)
"""
# One number per learner, module and attempt: two post-tests stored at the same moment (PostgreSQL serves
# requests in parallel) cannot both become attempt 2; the loser is numbered again (Store.add).
ATTEMPT_INDEX = ("CREATE UNIQUE INDEX IF NOT EXISTS responses_attempt ON responses (module, learner, attempt) "
                 "WHERE attempt IS NOT NULL")
COLUMNS = ("id", "digest", "received", "activity", "module", "phase", "learner", "submitted", "answers", "score",
           "attempt")
# A post-test's attempt number is the count of the learner's stored post-tests for the module, plus one,
# taken in the insert itself: the collector's stored order numbers attempts, never the browser.
NEXT_ATTEMPT = ("(SELECT COUNT(*) + 1 FROM responses WHERE module = {p} AND learner = {p} AND phase = 'post' "
                "AND attempt IS NOT NULL)")
INSERT = ("INSERT INTO responses (digest, received, activity, module, phase, learner, submitted, answers, score, "
          "attempt) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {attempt}) "
          "ON CONFLICT (digest) DO NOTHING RETURNING id")
# Version 1 stores had no attempt column: number their post-tests in stored (id) order, as the collector would.
NUMBER_ATTEMPTS = ("UPDATE responses SET attempt = (SELECT COUNT(*) FROM responses AS earlier "
                   "WHERE earlier.module = responses.module AND earlier.learner = responses.learner "
                   "AND earlier.phase = 'post' AND earlier.id <= responses.id) WHERE phase = 'post'")
RETRIES = 5  # numbering races lost in a row before giving up (only under heavy parallel retakes)


class StoreError(Exception):
    """The database cannot be opened or used; the message says which and why."""


def digest(resp: dict) -> str:
    """A fingerprint of a response's content, so a retried submission is stored once."""
    keys = ("activity", "module", "phase", "learner", "submitted", "answers")
    canonical = json.dumps({k: resp.get(k) for k in keys}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def now() -> str:
    """The receipt time: UTC with microseconds, so text order is time order in either database."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def redact(url: str) -> str:
    """A database URL without its password, fit for messages."""
    return re.sub(r"(//[^:/@]+):[^@/]*@", r"\1:***@", url)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _decoded(text):
    # A row edited by hand in the database may hold anything; None lets the report skip it by name.
    try:
        return json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return None


class Store:
    """Shared logic; subclasses supply a connection and the parameter style."""

    placeholder = "?"

    def add(self, resp: dict, score: dict, received: str | None = None) -> tuple[int | None, bool]:
        """Store one validated response; return (id, True), or (the stored id, False) when it is already stored."""
        key = digest(resp)
        row = (key, received or now(), resp["activity"], resp["module"], resp["phase"], resp["learner"],
               resp.get("submitted"), json.dumps(resp["answers"], ensure_ascii=False), json.dumps(score))
        p = self.placeholder
        if resp["phase"] == "post":
            sql, row = INSERT.format(p=p, attempt=NEXT_ATTEMPT.format(p=p)), row + (resp["module"], resp["learner"])
        else:
            sql = INSERT.format(p=p, attempt="NULL")
        for attempt in range(RETRIES):
            try:
                found = self._execute(sql, row)
                break
            except Exception as exc:  # noqa: BLE001 - only a lost numbering race is retried
                if attempt == RETRIES - 1 or not self._lost_race(exc):
                    raise
        if found:
            return found[0][0], True
        # Rows are never deleted, so the row that made the insert conflict is still there to name.
        stored = self._execute(f"SELECT id FROM responses WHERE digest = {self.placeholder}", (key,))
        return (stored[0][0] if stored else None), False

    def attempts(self, module: str, learner: str) -> list[tuple[int, int, bool]]:
        """The learner's stored post-tests for the module as (id, attempt number, passed by the stored score)."""
        p = self.placeholder
        found = self._execute(f"SELECT id, attempt, score FROM responses WHERE module = {p} AND learner = {p} "
                              "AND phase = 'post' AND attempt IS NOT NULL ORDER BY attempt, id", (module, learner))
        return [(i, n, bool((_decoded(sc) or {}).get("passed"))) for i, n, sc in found]

    def rows(self) -> list[dict]:
        """Every stored response, oldest first, with answers and score decoded."""
        found = self._execute(f"SELECT {', '.join(COLUMNS)} FROM responses ORDER BY id", ())
        out = []
        for values in found:
            row = dict(zip(COLUMNS, values))
            row["answers"], row["score"] = _decoded(row["answers"]), _decoded(row["score"])
            out.append(row)
        return out

    def count(self) -> int:
        """How many responses are stored (history included)."""
        return self._execute("SELECT COUNT(*) FROM responses", ())[0][0]

    def _init_schema(self, id_type: str) -> None:
        for statement in SCHEMA.format(id_type=id_type).split(";"):
            if statement.strip():
                self._execute(statement, ())
        p = self.placeholder
        self._execute(f"INSERT INTO patientvoice_meta (key, value) VALUES ({p}, {p}) "
                      "ON CONFLICT (key) DO NOTHING RETURNING key", ("schema_version", SCHEMA_VERSION))
        version = self._execute(f"SELECT value FROM patientvoice_meta WHERE key = {p}", ("schema_version",))[0][0]
        if not version.isdigit() or int(version) > int(SCHEMA_VERSION):
            raise StoreError(f"the database has schema version {version}, newer than this patientvoice knows "
                             f"({SCHEMA_VERSION}); upgrade patientvoice to use it")
        if version == "1":
            self._migrate_to_2()
        self._execute(ATTEMPT_INDEX, ())

    def _migrate_to_2(self) -> None:
        # Idempotent, so two collectors starting on one old PostgreSQL store at once both finish.
        if "attempt" not in self._columns():
            self._execute(self._add_attempt, ())
        self._execute(NUMBER_ATTEMPTS, ())
        self._execute(f"UPDATE patientvoice_meta SET value = {self.placeholder} WHERE key = 'schema_version'",
                      (SCHEMA_VERSION,))

    def _columns(self) -> set[str]:
        raise NotImplementedError

    def _lost_race(self, exc: Exception) -> bool:
        """Whether ``exc`` is another request taking the attempt number this insert computed."""
        return False

    def _execute(self, sql: str, params: tuple) -> list[tuple]:
        raise NotImplementedError

    def close(self) -> None:
        """Release the database connections."""


class SQLiteStore(Store):
    """One SQLite file in WAL mode, so the report can read while the collector writes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise StoreError(f"cannot create the database {self.path}: folder {self.path.parent} does not exist")
        try:
            # Learners' answers are records: only the collector's user may read the file. SQLite gives the
            # -wal and -shm files the database file's permissions, so creating it 0600 covers all three.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass  # an existing database keeps the permissions its owner gave it
        except OSError as exc:
            raise StoreError(f"cannot create the database {self.path}: {exc.strerror or exc}") from None
        try:
            # One connection behind a lock: SQLite serialises writers anyway, and this avoids busy errors.
            self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
            self.conn.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode survives a crash of the collector; only a power cut can lose the last commits.
            self.conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the SQLite database {self.path}: {exc}") from None
        self.lock = threading.Lock()
        try:
            self._init_schema("INTEGER")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable patientvoice database: {exc}") from None

    _add_attempt = "ALTER TABLE responses ADD COLUMN attempt INTEGER"

    def _execute(self, sql, params):
        with self.lock:
            return self.conn.execute(sql, params).fetchall()

    def _columns(self):
        return {row[1] for row in self._execute("PRAGMA table_info(responses)", ())}

    def close(self):
        self.conn.close()


class PostgresStore(Store):
    """PostgreSQL through a psycopg_pool pool of autocommit connections that outlives database restarts.

    Every connection is checked before use. When a check fails the server has probably restarted, so every idle
    connection is dead too: the pool checks them all at once and opens replacements, instead of each request
    finding the next dead one. Reconnection attempts back off for at most ``reconnect_timeout`` seconds per
    connection slot; after that the next request starts a fresh attempt, so the collector is back within a
    couple of seconds of the database, however long it was away.
    """

    placeholder = "%s"

    def __init__(self, url: str, min_size: int = 2, max_size: int = 8, timeout: float = 5.0):
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.psycopg = psycopg
        try:  # one direct attempt first: it fails at once with the server's own reason (refused, auth, …)
            psycopg.connect(url, connect_timeout=5).close()
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {redact(url)}: {_first_line(exc)}") from None
        self.pool = ConnectionPool(
            url, min_size=min_size, max_size=max_size, open=False, check=self._check, name="patientvoice",
            kwargs={"autocommit": True, "connect_timeout": 5},
            timeout=timeout,  # how long a request waits for a connection before it is answered 503
            reconnect_timeout=5.0, max_idle=300.0)
        try:
            self.pool.open(wait=True, timeout=10)
        except PoolTimeout:
            self.close()
            raise StoreError(f"cannot connect to {redact(url)}: no connection within 10 seconds") from None
        self._init_schema("BIGINT GENERATED BY DEFAULT AS IDENTITY")

    _add_attempt = "ALTER TABLE responses ADD COLUMN IF NOT EXISTS attempt INTEGER"

    def _columns(self):
        found = self._execute("SELECT column_name FROM information_schema.columns "
                              "WHERE table_name = 'responses' AND table_schema = current_schema()", ())
        return {row[0] for row in found}

    def _lost_race(self, exc):
        return isinstance(exc, self.psycopg.errors.UniqueViolation)

    def _check(self, conn) -> None:
        from psycopg_pool import ConnectionPool

        try:
            ConnectionPool.check_connection(conn)
        except self.psycopg.Error:
            self.pool.check()  # discard every other dead idle connection now and open replacements
            raise

    def _execute(self, sql, params):
        from psycopg_pool import PoolTimeout

        deadline = time.monotonic() + self.pool.timeout  # one wait for both attempts together
        for attempt in (1, 2):
            try:
                with self.pool.connection(timeout=max(0.1, deadline - time.monotonic())) as conn, \
                        conn.cursor() as cur:
                    cur.execute(sql, params or None)
                    return cur.fetchall() if cur.description else []
            except self.psycopg.OperationalError as exc:
                # The connection died between its check and the query (a restart at that moment). Every
                # statement here is safe to repeat: the insert is keyed on the digest, the rest only read.
                if attempt == 2:
                    raise StoreError(f"PostgreSQL: {_first_line(exc)}") from exc
            except PoolTimeout as exc:  # the server is away: no working connection within the pool's timeout
                raise StoreError(f"PostgreSQL: {_first_line(exc)}") from exc
        raise AssertionError("unreachable")

    def close(self):
        self.pool.close()


def open_store(target: str | Path) -> Store:
    """Open ``postgresql://…`` URLs with PostgreSQL; anything else (a path or ``sqlite:///path``) is a SQLite file."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        return PostgresStore(text)
    if "://" in text and not text.startswith("sqlite:///"):
        raise StoreError(f"'{redact(text)}' is not a database this collector knows; use a file path, "
                         "sqlite:///path or postgresql://user@host/db")
    return SQLiteStore(Path(text.removeprefix("sqlite:///")))
