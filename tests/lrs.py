"""A small test LRS and cmi5 LMS side over real HTTP: fetch URL, State API, Agent Profile API and statements.

It does what a cmi5 LMS does around a launch (writes LMS.LaunchData, records "launched", hands out a one-time
auth token at the fetch URL) and what an LRS does with what the AU sends, strictly enough to fail a wrong AU:
every xAPI request must carry the token and the X-Experience-API-Version header, state documents are keyed
by activity, agent, registration and state id, and a statement id is stored once.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from sitekit import serve


class LRS:
    """What the stub holds: statements in arrival order, state documents, tokens and any protocol errors."""

    def __init__(self):
        self.statements: list[dict] = []
        self.state: dict[tuple, dict] = {}
        self.profiles: dict[tuple, dict] = {}
        self.tokens: dict[str, bool] = {}  # fetch id -> used
        self.secret = base64.b64encode(f"au:{uuid.uuid4()}".encode()).decode()
        self.errors: list[str] = []
        self.lock = threading.Lock()
        self.server, self.base = serve(_handler(self))

    def close(self):
        """Stop the server."""
        self.server.shutdown()
        self.server.server_close()

    def launch(self, au_url: str, activity_id: str, actor: dict, mastery: float, move_on: str,
               registration: str | None = None, return_url: str | None = None, mode: str = "Normal") -> str:
        """Prepare a launch as a cmi5 LMS does; return the URL to open (the AU with its launch parameters)."""
        from urllib.parse import urlencode

        registration = registration or str(uuid.uuid4())
        session = str(uuid.uuid4())
        template = {"contextActivities": {"grouping": [{"id": activity_id.rsplit("/", 1)[0], "objectType": "Activity"}]},
                    "extensions": {"https://w3id.org/xapi/cmi5/context/extensions/sessionid": session}}
        data = {"contextTemplate": template, "launchMode": mode, "masteryScore": mastery, "moveOn": move_on}
        if return_url:
            data["returnURL"] = return_url
        key = (activity_id, json.dumps(actor, sort_keys=True), registration, "LMS.LaunchData")
        fetch_id = str(uuid.uuid4())
        with self.lock:
            self.state[key] = data
            self.tokens[fetch_id] = False
            self.statements.append({
                "id": str(uuid.uuid4()), "actor": actor, "timestamp": "2026-11-30T12:00:00Z",
                "verb": {"id": "http://adlnet.gov/expapi/verbs/launched", "display": {"en-US": "launched"}},
                "object": {"id": activity_id, "objectType": "Activity"},
                "context": {**json.loads(json.dumps(template)), "registration": registration,
                            "contextActivities": {**template["contextActivities"], "category": [
                                {"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}]},
                            "extensions": {**template["extensions"],
                                           "https://w3id.org/xapi/cmi5/context/extensions/launchmode": mode,
                                           "https://w3id.org/xapi/cmi5/context/extensions/moveon": move_on,
                                           "https://w3id.org/xapi/cmi5/context/extensions/masteryscore": mastery}}})
        params = {"endpoint": self.base + "/xapi/", "fetch": f"{self.base}/fetch/{fetch_id}",
                  "actor": json.dumps(actor), "registration": registration, "activityId": activity_id}
        return f"{au_url}?{urlencode(params)}"

    def session(self, registration: str | None = None) -> list[dict]:
        """Statements so far (for one registration, if given)."""
        with self.lock:
            return [s for s in self.statements
                    if registration is None or s.get("context", {}).get("registration") == registration]


def _handler(lrs: LRS):
    class Handler(BaseHTTPRequestHandler):
        def _send(self, code: int, body=None):
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Experience-API-Version")
            self.send_header("X-Experience-API-Version", "1.0.3")
            if body is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self):
            length = int(self.headers.get("Content-Length", 0))
            return json.loads(self.rfile.read(length)) if length else None

        def _authorised(self, path) -> bool:
            problems = []
            if self.headers.get("Authorization") != f"Basic {lrs.secret}":
                problems.append("no or wrong auth token")
            if self.headers.get("X-Experience-API-Version", "").split(".")[:2] != ["1", "0"]:
                problems.append("no X-Experience-API-Version 1.0.x header")
            if problems:
                with lrs.lock:
                    lrs.errors.append(f"{self.command} {path}: {', '.join(problems)}")
                self._send(401 if "token" in problems[0] else 400)
                return False
            return True

        def do_OPTIONS(self):  # noqa: N802 - CORS preflight: the AU is served from another origin
            self._send(204)

        def do_POST(self):  # noqa: N802
            url = urlparse(self.path)
            if url.path.startswith("/fetch/"):
                fetch_id = url.path.rsplit("/", 1)[1]
                with lrs.lock:
                    known, used = fetch_id in lrs.tokens, lrs.tokens.get(fetch_id)
                    lrs.tokens[fetch_id] = True
                if not known or used:  # cmi5: the fetch URL answers once; after that, error code 1
                    return self._send(200, {"error-code": "1", "error-text": "already used or unknown"})
                return self._send(200, {"auth-token": lrs.secret})
            if url.path == "/xapi/statements":
                return self._store(self._body(), url)
            self._send(404)

        def do_PUT(self):  # noqa: N802
            url = urlparse(self.path)
            if not self._authorised(url.path):
                return
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/xapi/statements":
                body = self._body()
                if body.get("id") != q.get("statementId"):
                    with lrs.lock:
                        lrs.errors.append("PUT statements: statementId differs from the statement's id")
                    return self._send(400)
                return self._store(body, url)
            if url.path == "/xapi/activities/state":
                key = (q["activityId"], json.dumps(json.loads(q["agent"]), sort_keys=True), q.get("registration"),
                       q["stateId"])
                with lrs.lock:
                    lrs.state[key] = self._body()
                return self._send(204)
            self._send(404)

        def _store(self, body, url):
            if not self._authorised(url.path):
                return
            statements = body if isinstance(body, list) else [body]
            with lrs.lock:
                if any(s.get("id") in {x["id"] for x in lrs.statements} for s in statements):
                    return self._send(409)
                lrs.statements.extend(statements)
            self._send(200 if self.command == "POST" else 204, [s.get("id") for s in statements]
                       if self.command == "POST" else None)

        def do_GET(self):  # noqa: N802
            url = urlparse(self.path)
            if not self._authorised(url.path):
                return
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/xapi/activities/state":
                key = (q["activityId"], json.dumps(json.loads(q["agent"]), sort_keys=True), q.get("registration"),
                       q["stateId"])
                with lrs.lock:
                    doc = lrs.state.get(key)
                return self._send(200, doc) if doc is not None else self._send(404)
            if url.path == "/xapi/agents/profile":
                with lrs.lock:
                    doc = lrs.profiles.get((json.dumps(json.loads(q["agent"]), sort_keys=True), q["profileId"]))
                return self._send(200, doc) if doc is not None else self._send(404)
            if url.path == "/xapi/statements":
                return self._send(200, {"statements": lrs.session()})
            self._send(404)

        def log_message(self, *args):
            pass

    return Handler
