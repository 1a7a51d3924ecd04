"""The collect and report commands as a user runs them: clear messages, never tracebacks."""

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from patientvoice.cli import main
from sitekit import free_port, wait_until_up

ROOT = Path(__file__).resolve().parents[1]
GOOD = {"activity": "PV-2026-SCD-01", "module": "believed-in-pain", "phase": "pre", "learner": "AB12-CD34",
        "submitted": "2026-02-01T09:30:00Z", "answers": {"time-to-analgesia": 0, "bias-awareness": 3}}
# the lines that wire the commands are appended after main()'s __main__ guard, so start it by import
LAUNCH = [sys.executable, "-c", "from patientvoice.cli import main; main()"]


def _run(*args, env=None):
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in result.output
    return result


def test_collect_serves_until_stopped(tmp_path):
    port, db = free_port(), tmp_path / "responses.sqlite"
    env = {**os.environ, "PATIENTVOICE_EXPORT_TOKEN": "a-long-enough-export-token"}
    proc = subprocess.Popen(LAUNCH + ["collect", "--root", str(ROOT), "--port", str(port), "--database", str(db),
                                      "--origin", "https://cme.example.org/"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url)
        assert httpx.post(url + "/responses", json=GOOD).status_code == 201
        r = httpx.get(url + "/export", headers={"Authorization": "Bearer a-long-enough-export-token"})
        assert [x["learner"] for x in r.json()] == ["AB12-CD34"]
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
    assert proc.returncode == 0, out
    assert f"at http://127.0.0.1:{port}/responses" in out and "CORS: https://cme.example.org;" in out
    assert "Traceback" not in out


def test_collect_refuses_clearly(tmp_path):
    r = _run("collect", "--root", str(ROOT), env={"PATIENTVOICE_EXPORT_TOKEN": "short"})
    assert r.exit_code == 1 and "at least 16 random characters" in r.output
    r = _run("collect", "--root", str(ROOT), "--origin", "cme.example.org/path")
    assert r.exit_code == 2 and "is not an origin" in r.output
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        r = _run("collect", "--root", str(ROOT), "--port", str(busy.getsockname()[1]),
                 "--database", str(tmp_path / "x.sqlite"))
    assert r.exit_code == 1 and "cannot listen on 127.0.0.1:" in r.output
    r = _run("collect", "--root", str(ROOT), "--port", "0", "--database", "postgresql://u:pw@127.0.0.1:1/db")
    assert r.exit_code == 1 and "cannot connect to postgresql://u:***@127.0.0.1:1/db" in r.output
    r = _run("collect", "--root", str(tmp_path))
    assert r.exit_code == 1 and "has a questionnaire.yml" in r.output


def test_report_refuses_clearly(tmp_path):
    r = _run("report", "--root", str(ROOT))
    assert r.exit_code == 2 and "either --database or exported files" in r.output
    r = _run("report", "--root", str(ROOT), "--database", str(tmp_path / "none.sqlite"))
    assert r.exit_code == 1 and "there is no database at" in r.output
    (tmp_path / "broken.json").write_text("{not json")
    r = _run("report", "--root", str(ROOT), str(tmp_path / "broken.json"), "--out", str(tmp_path / "out"))
    assert r.exit_code == 1 and "broken.json: not valid JSON" in r.output
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    r = _run("report", "--root", str(ROOT), str(tmp_path / "other.csv"), "--out", str(tmp_path / "out"))
    assert r.exit_code == 1 and "not a patientvoice CSV export" in r.output


def test_report_skips_invalid_file_responses_and_says_so(tmp_path):
    bad = {**GOOD, "answers": {"time-to-analgesia": 17}}
    (tmp_path / "mine.json").write_text(json.dumps([GOOD, bad, GOOD]))
    r = _run("report", "--root", str(ROOT), str(tmp_path / "mine.json"), "--out", str(tmp_path / "out"))
    assert r.exit_code == 0, r.output
    assert "1 response(s)" in r.output and "1 skipped" in r.output and "response 2 of mine.json: answer to" in r.output
    data = json.loads((tmp_path / "out" / "outcomes.json").read_text())
    assert data["format"] == "patientvoice-outcomes/2" and len(data["skipped"]) == 1
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"index.html", "report.pdf", "outcomes.json"}
