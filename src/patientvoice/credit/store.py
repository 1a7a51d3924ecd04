"""The ``claims`` table: learners' names and identifiers, kept apart from the pseudonymous responses.

It lives in the collector's database (SQLite or PostgreSQL, through the same Store and its connection pool), but
nothing that reads responses (the outcomes report, ``/export``) reads it, and nothing here joins names onto
answers: the claim keeps only the id of the post-test that counted, for the provider's audit.
"""

from __future__ import annotations

import json

from patientvoice.credit.claim import email_key
from patientvoice.outcomes.store import Store, _decoded

SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    completed TEXT NOT NULL,
    activity TEXT NOT NULL,
    module TEXT NOT NULL,
    learner TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    profession TEXT NOT NULL,
    profession_other TEXT,
    credit_type TEXT NOT NULL,
    credits DOUBLE PRECISION NOT NULL,
    consent INTEGER NOT NULL,
    report TEXT NOT NULL,
    post_id BIGINT,
    certificate TEXT NOT NULL,
    UNIQUE (module, learner)
);
CREATE INDEX IF NOT EXISTS claims_by_email ON claims (email);
CREATE INDEX IF NOT EXISTS claims_by_completed ON claims (completed)
"""
COLUMNS = ("id", "created", "completed", "activity", "module", "learner", "name", "email", "profession",
           "profession_other", "credit_type", "credits", "consent", "report", "post_id", "certificate")
JSON_COLUMNS = ("report", "certificate")


class ClaimStore:
    """Claims in the collector's database; ``store`` is the responses Store, whose connections it shares."""

    def __init__(self, store: Store):
        self.store = store
        self.p = store.placeholder
        for statement in SCHEMA.split(";"):
            if statement.strip():
                store._execute(statement, ())

    def _rows(self, where: str, params: tuple) -> list[dict]:
        found = self.store._execute(f"SELECT {', '.join(COLUMNS)} FROM claims {where}", params)
        out = []
        for values in found:
            row = dict(zip(COLUMNS, values))
            for key in JSON_COLUMNS:
                row[key] = _decoded(row[key]) or {}
            row["consent"], row["credits"] = bool(row["consent"]), float(row["credits"])
            out.append(row)
        return out

    def add(self, row: dict) -> tuple[dict, bool]:
        """Insert a claim; return (it, True), or (the learner's existing claim for the module, False)."""
        values = tuple(json.dumps(row[c], ensure_ascii=False, sort_keys=True) if c in JSON_COLUMNS
                       else int(row[c]) if c == "consent" else row[c] for c in COLUMNS)
        marks = ", ".join([self.p] * len(COLUMNS))
        added = self.store._execute(f"INSERT INTO claims ({', '.join(COLUMNS)}) VALUES ({marks}) "
                                    "ON CONFLICT (module, learner) DO NOTHING RETURNING id", values)
        if added:
            return self.get(added[0][0]), True
        return self.for_learner(row["module"], row["learner"]), False

    def get(self, claim_id: str) -> dict | None:
        """One claim by its certificate id, or None."""
        found = self._rows(f"WHERE id = {self.p}", (claim_id,))
        return found[0] if found else None

    def for_learner(self, module: str, learner: str) -> dict | None:
        """The claim a learner code made for a module, or None."""
        found = self._rows(f"WHERE module = {self.p} AND learner = {self.p}", (module, learner))
        return found[0] if found else None

    def by_email(self, email: str) -> list[dict]:
        """Every claim made with this e-mail address (any case, any Unicode normalisation), oldest first.

        Compared in Python: SQLite's LOWER folds ASCII only (JÖRG is not jörg) and neither database folds NFD
        into NFC. A provider's claims table is small enough to read the addresses whole.
        """
        want = email_key(email.strip())
        ids = [cid for cid, stored in self.store._execute("SELECT id, email FROM claims", ())
               if email_key(stored) == want]
        found = [row for cid in ids for row in self._rows(f"WHERE id = {self.p}", (cid,))]
        return sorted(found, key=lambda row: (row["completed"], row["created"]))

    def all(self) -> list[dict]:
        """Every claim, oldest first."""
        return self._rows("ORDER BY created, id", ())

    def completed_before(self, day: str) -> list[dict]:
        """Claims completed before ``day`` (YYYY-MM-DD): what a retention purge would delete."""
        return self._rows(f"WHERE completed < {self.p} ORDER BY completed, created", (day,))

    def delete(self, ids: list[str]) -> int:
        """Delete claims by id; return how many went."""
        gone = 0
        for claim_id in ids:
            gone += len(self.store._execute(f"DELETE FROM claims WHERE id = {self.p} RETURNING id", (claim_id,)))
        return gone

    def post_tests(self, module: str, learner: str) -> list[dict]:
        """The learner's stored post-test responses for the module, with answers decoded (pseudonymous data)."""
        found = self.store._execute(
            "SELECT id, received, submitted, answers FROM responses "
            f"WHERE module = {self.p} AND learner = {self.p} AND phase = 'post' ORDER BY id", (module, learner))
        return [{"id": i, "received": rec, "submitted": sub, "answers": _decoded(ans)} for i, rec, sub, ans in found]
