"""The collector under trouble: PostgreSQL restarted mid-load, and slow clients holding connections open."""

import threading
import time
from pathlib import Path

import httpx
import pytest

from pg import restart_postgres
from patientvoice.loader import load_course
from patientvoice.outcomes.collector import create_app
from patientvoice.outcomes.store import open_store
from test_outcomes_collector import GOOD, TOKEN, bench, serving

ROOT = Path(__file__).resolve().parents[1]
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def _key(r):
    return (r["module"], r["phase"], r["learner"], r["submitted"])


class Load:
    """Post distinct submissions from a few threads until stopped; remember which ones were acknowledged."""

    def __init__(self, url: str, bodies: list[dict], clients: int = 4):
        self.url, self.bodies, self.acked, self.statuses = url, iter(bodies), [], {}
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]

    def _client(self):
        with httpx.Client(timeout=15) as client:
            while not self.stop.is_set():
                with self.lock:
                    body = next(self.bodies, None)
                if body is None:
                    return
                try:
                    status = client.post(self.url + "/responses", json=body).status_code
                except httpx.TransportError:
                    status = "transport"
                with self.lock:
                    self.statuses[status] = self.statuses.get(status, 0) + 1
                    if isinstance(status, int) and 200 <= status < 300:
                        self.acked.append(body)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(30)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgres_restart_mid_load_loses_no_acknowledged_submission(postgres_url, mode):
    example = load_course(ROOT)[0]
    store = open_store(postgres_url)
    try:
        with serving(create_app(example, store, export_token=TOKEN)) as url, \
                Load(url, bench.submissions(ROOT, 3000)) as load:
            deadline = time.time() + 30
            while len(load.acked) < 100 and time.time() < deadline:
                time.sleep(0.05)
            assert len(load.acked) >= 100, load.statuses
            restart_postgres(postgres_url, mode)
            restarted = time.monotonic()
            # service resumes on its own: a new submission is stored and the export answers within 5 s
            probe, stored, exported = {**GOOD, "learner": "ZZZZ-0001"}, None, None
            while time.monotonic() - restarted < 10 and not (stored and exported):
                if not stored and httpx.post(url + "/responses", json=probe, timeout=10).status_code == 201:
                    stored = time.monotonic() - restarted
                if not exported and httpx.get(url + "/export", headers=AUTH, timeout=10).status_code == 200:
                    exported = time.monotonic() - restarted
                time.sleep(0.05)
            time.sleep(1)  # let the load run on the new server for a moment
        print(f"\nrestart ({mode}): POST 201 after {stored:.2f} s, export 200 after {exported:.2f} s; "
              f"load statuses {load.statuses}")
        assert stored is not None and stored < 5 and exported is not None and exported < 5
        rows = store.rows()
        assert {_key(b) for b in load.acked} <= {_key(r) for r in rows}  # every acknowledged one is stored
        assert len(rows) == len({r["digest"] for r in rows})  # and each once
    finally:
        store.close()
