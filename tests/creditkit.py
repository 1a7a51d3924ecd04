"""Helpers for the credit tests: a course whose activity dates and attempt policy a test chooses, a real
collector serving it, and the post-test and claim bodies a learner's browser would send."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from pathlib import Path

import httpx

from coursekit import MODULE, MODULE_MD, make_course
from patientvoice.course.loader import load_course
from patientvoice.outcomes.collector import create_app
from patientvoice.outcomes.store import open_store
from test_outcomes_collector import serving

SITE = "https://cme.example.org"
ACTIVITY = "PV-2026-PBC-01"
TODAY = dt.datetime.now(dt.timezone.utc).date()  # the collector decides on the server's clock, as in production
EVAL = {"eval-free-of-bias": 0, "eval-patient-voice": 3, "eval-relevance": 4}


def credit_course(root: Path, release: dt.date | None = None, expires: dt.date | None = None,
                  attempts: int | None = None, paper: str | None = None) -> Path:
    """The test course, its activity open from ``release`` to ``expires`` (default: a year either side of today);
    ``attempts`` and ``paper`` set the plugin's options in mkdocs.yml."""
    kit = make_course(root)
    kit.edit(MODULE_MD, "release: 2026-01-15", f"release: {release or TODAY - dt.timedelta(days=365)}")
    kit.edit(MODULE_MD, "expires: 2028-01-14", f"expires: {expires or TODAY + dt.timedelta(days=365)}")
    options = {"attempts": attempts, "paper": paper}
    if any(v is not None for v in options.values()):
        lines = "".join(f"      {k}: {v}\n" for k, v in options.items() if v is not None)
        kit.write("mkdocs.yml", f"site_name: Test\nplugins:\n  - patientvoice:\n{lines}")
    return root  # no theme/: the certificate is set in patientvoice's default print theme


@contextmanager
def collector(root: Path, database: str | Path):
    """A real collector for the course at ``root`` on a loopback port; yields (its URL, the responses store)."""
    store = open_store(database)
    try:
        with serving(create_app(load_course(root)[0], store, SITE)) as url:
            yield url, store
    finally:
        store.close()


def post_test(url: str, learner: str, correct: bool = True, evaluation: bool = True,
              submitted: str = "2026-02-01T09:30:00Z") -> httpx.Response:
    """Send a post-test as the site does: the knowledge item right or wrong, the evaluation answered or not."""
    answers = {"itch-impact": 0 if correct else 1, "confidence-itch": 3, **(EVAL if evaluation else {})}
    r = httpx.post(url + "/responses", timeout=30, json={"activity": ACTIVITY, "module": MODULE, "phase": "post",
                                              "learner": learner, "submitted": submitted, "answers": answers})
    assert r.status_code in (200, 201), r.text
    return r


def claim(learner: str = "K7QF-3M9X", **changes) -> dict:
    """A physician's claim for the full 0.75 credits, consenting to PARS reporting, with ``changes`` applied."""
    body = {"activity": ACTIVITY, "module": MODULE, "learner": learner, "name": "Dr Jane Q. Smith",
            "email": "jane.smith@example.org", "profession": "physician", "credit_type": "ama-pra-1",
            "credits": 0.75, "attest": True,
            "report": {"consent": True, "npi": "1234567893", "birth_month": 2, "birth_day": 29}}
    body.update(changes)
    return body
