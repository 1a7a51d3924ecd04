"""The collector as a real HTTP server on loopback, with real SQLite files and a real PostgreSQL server."""

import csv
import datetime as dt
import importlib.util
import io
import json
import shutil
import socket
import tempfile
import threading
import time
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import uvicorn

from patientvoice.build import load_mkdocs_config
from patientvoice.course.loader import load_course
from patientvoice.outcomes.collector import create_app, listen
from patientvoice.outcomes.store import open_store
from patientvoice.site.questionnaire import evaluation_items
from patientvoice.site.pages import generated_pages


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
def serving(app, **options):
    """Run ``app`` under uvicorn (with these Config ``options``) on a free loopback port in a thread; yield its URL."""
    sock = listen("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, **options))
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


class _Form(HTMLParser):
    """The questionnaire items of a generated page: (id, kind, option values, has a textarea), in page order."""

    def __init__(self):
        super().__init__()
        self.items, self.current, self.activity = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-pv-questionnaire" in a:
            self.activity = a["data-activity"]
        if "data-item" in a:
            self.current = {"id": a["data-item"], "kind": a["data-kind"], "values": [], "text": False}
            self.items.append(self.current)
        elif self.current and tag == "input":
            self.current["values"].append(int(a["value"]))
        elif self.current and tag == "textarea":
            self.current["text"] = True

    def handle_endtag(self, tag):
        if tag in ("fieldset", "textarea"):
            self.current = None


def site_post_test(course, module_id: str) -> dict:
    """The post-test response the example site sends: its page built as the plugin builds it, then answered.

    The evaluation items come from mkdocs' own reading of mkdocs.yml (the plugin's ``evaluation`` option),
    and the answers are read the way questionnaire.js reads them: numbers for choices, a list for multiple
    choice, trimmed text, an empty optional text left out.
    """
    with tempfile.TemporaryDirectory() as site_dir:
        plugin = load_mkdocs_config(ROOT, Path(site_dir)).plugins["patientvoice"]
    pages = generated_pages(course, submit_url=plugin.config.submit_url,
                            evaluation=evaluation_items(plugin.config.evaluation))
    form = _Form()
    form.feed(pages[f"{module_id}/post.md"])
    answers = {}
    for n, item in enumerate(form.items):
        if item["text"]:
            text = "" if item["id"] == "eval-bias-details" else f"  Answer {n}: ask about sleep at every visit \n"
            if text.strip():
                answers[item["id"]] = text.strip()
        elif item["kind"] == "multiple":
            answers[item["id"]] = item["values"][:2]
        else:
            answers[item["id"]] = item["values"][n % len(item["values"])]
    submitted = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"activity": form.activity, "module": module_id, "phase": "post", "learner": "K7QF-3M9X",
            "submitted": submitted, "answers": answers}


@pytest.mark.parametrize("module_id", ["hearing-the-itch", "believed-in-pain"])
def test_accepts_the_sites_post_test_with_its_evaluation_answers(example, collector, module_id):
    url, store = collector
    body = site_post_test(example, module_id)
    evaluation = {k for k in body["answers"] if k.startswith("eval-")}
    assert {"eval-free-of-bias", "eval-patient-voice", "eval-relevance"} <= evaluation  # the defaults
    r = httpx.post(url + "/responses", json=body, headers={"Origin": SITE})
    assert r.status_code == 201, r.text
    assert not evaluation & set(r.json()["score"]["items"])  # evaluation answers are never scored
    assert store.rows()[0]["answers"] == body["answers"]
    # checked like any other item, and only where the site asks them
    wrong = {**body, "answers": {**body["answers"], "eval-relevance": 5}}
    r = httpx.post(url + "/responses", json=wrong)
    assert r.status_code == 400
    assert r.json()["error"] == "answer to 'eval-relevance' is 5; scale point indexes run from 0 to 4"
    pre = {**body, "phase": "pre", "answers": {"eval-free-of-bias": 0}}
    r = httpx.post(url + "/responses", json=pre)
    assert r.status_code == 400 and "asks no item \"eval-free-of-bias\" in phase 'pre'" in r.json()["error"]


def test_evaluation_items_come_from_the_courses_mkdocs_yml(tmp_path):
    for part in ("content", "modules"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "mkdocs.yml").write_text(CUSTOM_MKDOCS, encoding="utf-8")
    course = load_course(tmp_path)[0]
    store = open_store(tmp_path / "r.sqlite")
    post = {**GOOD, "phase": "post", "answers": {"antihistamine-role": 0, "eval-pace": 1, "eval-gaps": [0, 2]}}
    with serving(create_app(course, store)) as url:
        assert httpx.post(url + "/responses", json=post).status_code == 201
        default = {**post, "answers": {"eval-relevance": 3}}  # custom items replace the defaults
        assert "asks no item \"eval-relevance\"" in httpx.post(url + "/responses", json=default).json()["error"]
    store.close()


CUSTOM_MKDOCS = """\
site_name: Custom
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
plugins:
  search: {}
  patientvoice:
    submit_url: !ENV [SUBMIT_URL, ""]
    evaluation:
      - id: pace
        kind: likert
        stem: The pace was right.
        scale: [Too slow, Right, Too fast]
      - id: gaps
        kind: multiple
        stem: What was missing?
        options: [Cases, Data, Nothing]
"""


def test_duplicates_name_the_stored_response_and_early_follow_ups_are_stored(collector):
    url, store = collector
    first = httpx.post(url + "/responses", json=GOOD).json()
    again = httpx.post(url + "/responses", json=GOOD)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert again.json()["id"] == first["id"] and isinstance(first["id"], int)
    # the same moment written another way is the same response
    for spelling in ("2026-02-01T09:30:00+00:00", "2026-02-01T09:30:00.000Z", "2026-02-01T10:30:00+01:00"):
        r = httpx.post(url + "/responses", json={**GOOD, "submitted": spelling})
        assert r.status_code == 200 and r.json() == {**first, "status": "duplicate"}
    assert store.count() == 1
    # a follow-up a minute after the post-test is kept: the report, not the collector, decides if it counts
    post = {**GOOD, "phase": "post", "submitted": "2026-02-01T10:00:00Z", "answers": {"antihistamine-role": 0}}
    follow = {**post, "phase": "follow-up", "submitted": "2026-02-01T10:01:00Z", "answers": {"implemented": "x"}}
    assert [httpx.post(url + "/responses", json=b).status_code for b in (post, follow)] == [201, 201]
