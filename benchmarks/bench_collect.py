"""Load-test the collector on loopback: many concurrent clients posting responses, none lost, none duplicated.

Usage: python benchmarks/bench_collect.py [--submissions 5000] [--clients 50] [--database URL] [--root .]

Starts `patientvoice collect` as its own process (a SQLite file in a temp dir unless --database is given),
posts distinct, valid responses from --clients concurrent HTTP clients (each retries a request that fails
in transit, which the collector must not store twice), then reads everything back through GET /export and
checks that every submission is stored exactly once. Prints throughput and latency percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime as dt
import json
import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from patientvoice.course.loader import load_course
from patientvoice.outcomes.synthetic import learner_code, response


def submissions(root: Path, count: int, seed: int = 7) -> list[dict]:
    """``count`` distinct valid responses, spread over every module and phase of the course."""
    course, _ = load_course(root)
    modules = [m for m in course.modules.values() if m.questionnaire]
    rng, start = random.Random(seed), dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
    out = []
    for i in range(count):
        module = modules[i % len(modules)]
        phase = ("pre", "post", "follow-up")[(i // len(modules)) % 3]
        out.append(response(module, phase, learner_code(i), rng, start + dt.timedelta(seconds=i)))
    return out


async def _post(reader, writer, host: str, body: bytes) -> int:
    writer.write(b"POST /responses HTTP/1.1\r\nHost: " + host.encode() + b"\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next((int(v) for k, _, v in (h.partition(":") for h in lines[1:]) if k.lower() == "content-length"), 0)
    await reader.readexactly(length)
    return int(lines[0].split()[1])


async def _blast(url: str, bodies: list[dict], clients: int) -> dict:
    # A bare HTTP/1.1 keep-alive client per task: an HTTP library's own overhead would dominate on two cores.
    host, port = url.removeprefix("http://").split(":")
    payloads = [json.dumps(b).encode() for b in bodies]
    latencies, statuses, retries = [], {}, 0
    queue = iter(range(len(bodies)))

    async def client():
        nonlocal retries
        conn = None
        for i in queue:  # one shared iterator: each submission is taken by exactly one client
            for attempt in range(5):
                t0 = time.perf_counter()
                try:
                    conn = conn or await asyncio.open_connection(host, int(port))
                    status = await _post(*conn, f"{host}:{port}", payloads[i])
                except (OSError, asyncio.IncompleteReadError, ValueError):
                    retries += 1  # resend: the collector must store it once even if the first copy arrived
                    if conn:
                        conn[1].close()
                    conn = None
                    await asyncio.sleep(0.05 * (attempt + 1))
                    continue
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
                break
        if conn:
            conn[1].close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - t0
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else float("nan")

    return {"sent": len(bodies), "clients": clients, "seconds": elapsed, "per_second": len(bodies) / elapsed,
            "p50_ms": pct(50), "p95_ms": pct(95), "p99_ms": pct(99), "max_ms": latencies[-1] * 1000 if latencies else 0,
            "statuses": statuses, "retries": retries}


def blast(url: str, bodies: list[dict], clients: int) -> dict:
    """Post every body once from ``clients`` concurrent clients; return counts, throughput and latencies.

    The clients' event loop runs in a thread of its own, so a caller that already has one (a test process with
    Playwright's sync API open, say) can still blast.
    """
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _blast(url, bodies, clients)).result()


def verify(exported: list[dict], bodies: list[dict]) -> dict:
    """Compare what the collector exported with what was sent: lost, duplicated and altered submissions."""
    def key(r):
        return (r["module"], r["phase"], r["learner"], r["submitted"])

    stored: dict[tuple, int] = {}
    for r in exported:
        stored[key(r)] = stored.get(key(r), 0) + 1
    sent = {key(b): b for b in bodies}
    lost = [k for k in sent if k not in stored]
    dupes = [k for k, n in stored.items() if n > 1]
    altered = [key(r) for r in exported if key(r) in sent and r["answers"] != sent[key(r)]["answers"]]
    return {"stored": len(exported), "lost": len(lost), "duplicated": len(dupes), "altered": len(altered),
            "unexpected": len([k for k in stored if k not in sent])}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    """Run the benchmark; exit 1 if any submission was lost, duplicated or altered."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submissions", type=int, default=5000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--database", help="default: a SQLite file in a temporary folder")
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = ap.parse_args()
    bodies = submissions(args.root, args.submissions)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.database or str(Path(tmp) / "bench.sqlite")
        port, token = _free_port(), secrets.token_urlsafe(24)
        env = {**os.environ, "PATIENTVOICE_EXPORT_TOKEN": token}
        server = subprocess.Popen([sys.executable, "-c", "from patientvoice.cli import main; main()", "collect", "--root", str(args.root),
                                   "--port", str(port), "--database", db], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    if httpx.get(url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            else:
                print(server.stdout.read() if server.poll() is not None else "collector did not start", file=sys.stderr)
                return 1
            result = blast(url, bodies, args.clients)
            exported = httpx.get(url + "/export", headers={"Authorization": f"Bearer {token}"}, timeout=60).json()
            check = verify(exported, bodies)
        finally:
            server.terminate()
            server.wait(10)
    print(f"collector: {args.submissions} submissions from {args.clients} concurrent clients on loopback "
          f"({'PostgreSQL' if db.startswith('postgres') else 'SQLite'})")
    print(f"  {result['seconds']:.2f} s, {result['per_second']:.0f} submissions/s; latency p50 {result['p50_ms']:.1f} ms, "
          f"p95 {result['p95_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, max {result['max_ms']:.1f} ms")
    print(f"  HTTP statuses {json.dumps(result['statuses'])}, transport retries {result['retries']}")
    print(f"  stored {check['stored']}: lost {check['lost']}, duplicated {check['duplicated']}, "
          f"altered {check['altered']}, unexpected {check['unexpected']}")
    ok = check["stored"] == args.submissions and not any(check[k] for k in ("lost", "duplicated", "altered", "unexpected"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
