"""The collector as a real HTTP server on loopback, with real SQLite files and a real PostgreSQL server."""

import csv
import importlib.util
import io
import json
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from patientvoice.loader import load_course
from patientvoice.outcomes.collector import create_app, listen
from patientvoice.outcomes.store import open_store

from pg import postgres_server, postgres_url  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://cme.example.org"
TOKEN = "test-token-0123456789abcdef"
GOOD = {"activity": "PV-2026-PBC-01", "module": "hearing-the-itch", "phase": "pre", "learner": "K7QF-3M9X",
        "submitted": "2026-02-01T09:30:00Z", "answers": {"antihistamine-role": 0, "confidence-treating-itch": 2}}
_spec = importlib.util.spec_from_file_location("bench_collect", ROOT / "benchmarks" / "bench_collect.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.fixture(scope="module")
def example():
    return load_course(ROOT)[0]


@contextmanager
def serving(app):
    """Run ``app`` under uvicorn on a free loopback port in a thread; yield its base URL."""
    sock = listen("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not server.started and time.time() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def collector(example, tmp_path):
    store = open_store(tmp_path / "responses.sqlite")
    with serving(create_app(example, store, SITE, TOKEN)) as url:
        yield url, store
    store.close()


def _raw(url: str, data: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(data)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_stores_scores_and_dedupes(collector):
    url, store = collector
    r = httpx.post(url + "/responses", json={**GOOD, "score": {"correct": 99}})
    assert r.status_code == 201 and r.json()["status"] == "stored"
    assert r.json()["score"]["correct"] == 1 and r.json()["score"]["total"] == 5  # the server's own score
    assert httpx.post(url + "/responses", json=GOOD).json()["status"] == "duplicate"
    later = {**GOOD, "submitted": "2026-02-01T10:00:00Z", "answers": {"antihistamine-role": 1}}
    assert httpx.post(url + "/responses", json=later).status_code == 201
    rows = store.rows()
    assert len(rows) == 2 and [r["score"]["correct"] for r in rows] == [1, 0]
    assert rows[0]["received"] < rows[1]["received"]


@pytest.mark.parametrize("body,status,reason", [
    ({**GOOD, "module": "nope"}, 400, "unknown module"),
    ({**GOOD, "phase": "later"}, 400, "has no phase"),
    ({**GOOD, "answers": {"unknown-item": 1}}, 400, "asks no item"),
    ({**GOOD, "answers": {"antihistamine-role": 9}}, 400, "option indexes run from 0 to 3"),
    ({**GOOD, "answers": {"antihistamine-role": "0"}}, 400, "must be an option index"),
    (b'{"activity": ', 400, "not valid JSON"),
    (b'{"answers": {"antihistamine-role": NaN}}', 400, "not valid JSON"),
    (b"[" * 100000, 413, "larger than"),
    (b'"\xff\xfe"', 400, "not UTF-8"),
    (b"[" * 20000 + b"]" * 20000, 400, "not valid JSON"),  # deep nesting must not crash the parser
])
def test_rejects_with_the_reason(collector, body, status, reason):
    url, store = collector
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    r = httpx.post(url + "/responses", content=content, headers={"Content-Type": "application/json"})
    assert r.status_code == status and reason in r.json()["error"]
    assert store.count() == 0


def test_oversized_bodies_without_honest_length_and_odd_types(collector):
    url, store = collector
    big = b"x" * 70000
    chunked = (b"POST /responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
               + b"".join(b"%x\r\n%s\r\n" % (len(big[i:i + 8192]), big[i:i + 8192]) for i in range(0, len(big), 8192))
               + b"0\r\n\r\n")
    assert b" 413 " in _raw(url, chunked).split(b"\r\n")[0] + b" "
    lying = b"POST /responses HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n"
    assert _raw(url, lying).split(b" ")[1] in (b"400", b"413")
    r = httpx.post(url + "/responses", content=b"a=b", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    assert httpx.post(url + "/responses", content=json.dumps(GOOD), headers={"Content-Type": "text/plain"}).status_code == 201
    assert httpx.get(url + "/health").json()["status"] == "ok"  # none of it stopped the service


def test_cors_only_for_the_site(collector):
    url, store = collector
    pre = httpx.options(url + "/responses", headers={"Origin": SITE, "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "content-type"})
    assert pre.status_code == 204 and pre.headers["access-control-allow-origin"] == SITE
    assert "POST" in pre.headers["access-control-allow-methods"]
    evil = httpx.options(url + "/responses", headers={"Origin": "https://evil.example",
                                                      "Access-Control-Request-Method": "POST"})
    assert evil.status_code == 403 and "access-control-allow-origin" not in evil.headers
    r = httpx.post(url + "/responses", json=GOOD, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "access-control-allow-origin" not in r.headers
    r = httpx.post(url + "/responses", json=GOOD, headers={"Origin": SITE})
    assert r.status_code == 201 and r.headers["access-control-allow-origin"] == SITE
    assert store.count() == 1


def test_export_needs_the_token_and_neutralises_formulas(collector):
    url, store = collector
    hostile = {**GOOD, "phase": "post", "answers": {"commit": "=HYPERLINK(\"http://x\")<script>alert(1)</script>"}}
    assert httpx.post(url + "/responses", json=hostile).status_code == 201
    assert httpx.get(url + "/export").status_code == 401
    assert httpx.get(url + "/export", headers={"Authorization": "Bearer wrong"}).status_code == 401
    auth = {"Authorization": f"Bearer {TOKEN}"}
    data = httpx.get(url + "/export?format=json", headers=auth).json()
    assert data[0]["answers"]["commit"].startswith("=HYPERLINK") and data[0]["received"]
    text = httpx.get(url + "/export?format=csv", headers=auth).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["item"] == "commit" and rows[0]["answer"].startswith("'=HYPERLINK")
    assert httpx.get(url + "/export?format=xml", headers=auth).status_code == 400


def test_no_token_means_no_export(example, tmp_path):
    store = open_store(tmp_path / "r.sqlite")
    with serving(create_app(example, store)) as url:
        assert httpx.get(url + "/export", headers={"Authorization": "Bearer anything"}).status_code == 404
        # without --origin, cross-site browsers get no CORS answer at all
        assert httpx.options(url + "/responses", headers={"Origin": SITE}).status_code == 403
    store.close()


def _load(url, store, count, clients):
    bodies = bench.submissions(ROOT, count)
    result = bench.blast(url, bodies, clients)
    check = bench.verify(store.rows(), bodies)
    print(f"\n{count} submissions / {clients} clients: {result['per_second']:.0f}/s, p99 {result['p99_ms']:.1f} ms")
    assert result["statuses"] == {201: count}
    assert check == {"stored": count, "lost": 0, "duplicated": 0, "altered": 0, "unexpected": 0}


def test_load_sqlite_500_from_20_clients(collector):
    url, store = collector
    _load(url, store, 500, 20)


def test_load_postgresql_300_from_20_clients(example, postgres_url):  # noqa: F811
    store = open_store(postgres_url)
    with serving(create_app(example, store)) as url:
        _load(url, store, 300, 20)
        bad = {**GOOD, "phase": "post", "answers": {"commit": "nul \x00 byte"}}
        assert httpx.post(url + "/responses", json=bad).status_code == 400  # PostgreSQL would choke on NUL
    store.close()


def test_hostile_mix_under_load_keeps_serving(collector):
    url, store = collector
    valid = bench.submissions(ROOT, 120)
    for body in valid:
        for key, value in body["answers"].items():
            if isinstance(value, str):  # script injection is a valid text answer: stored verbatim, escaped later
                body["answers"][key] = "<script>fetch('//evil')</script>" + value
    bad = [{**GOOD, "module": "x" * 5000}, {**GOOD, "answers": {"antihistamine-role": [0] * 9000}},
           {**GOOD, "learner": "' OR 1=1 --"}, {**GOOD, "answers": {"__proto__": 1}}, {"answers": None}, [], 7]
    bodies = valid + bad * 10
    result = bench.blast(url, bodies, 20)
    assert result["statuses"] == {201: 120, 400: 70} and store.count() == 120
    assert bench.verify(store.rows(), valid)["lost"] == 0
    assert httpx.get(url + "/health").status_code == 200
