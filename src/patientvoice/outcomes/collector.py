"""The collector: a small Starlette app that validates, scores and stores learner responses."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import socket

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from patientvoice.course.model import Course, Item
from patientvoice.outcomes import exchange
from patientvoice.outcomes.attempts import attempts_option, counting
from patientvoice.outcomes.scoring import pass_mark, score
from patientvoice.outcomes.server import BODY_TIMEOUT
from patientvoice.outcomes.store import Store, StoreError
from patientvoice.outcomes.validate import Invalid, index_course, validate

MAX_BODY = 64 * 1024  # a full questionnaire with long free-text answers is a few kilobytes
BODY_TYPES = ("application/json", "text/plain")  # text/plain lets a page post without a CORS preflight
# A request whose body is not read whole is answered and the connection closed, so what is left of the body
# is never read as the next request.
CLOSE = {"Connection": "close"}
log = logging.getLogger("patientvoice.collect")


class TooLarge(Exception):
    """The request body is over the limit."""


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    """A JSON error answer ``{"error": message}``."""
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def read_body(request: Request, limit: int) -> bytes:
    """Read the body, stopping as soon as it passes ``limit`` bytes, whatever Content-Length claimed."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise TooLarge
    return bytes(body)


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket for uvicorn; raises OSError when the address is taken or not ours."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # The protocol must be named: asyncio only sets TCP_NODELAY on connections accepted from a socket whose
    # proto is IPPROTO_TCP, and without it Nagle's algorithm adds ~40 ms to every response.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    return sock


def create_app(course: Course, store: Store, origin: str | None = None, export_token: str | None = None,
               max_body: int = MAX_BODY, evaluation: list[Item] | None = None,
               body_timeout: float = BODY_TIMEOUT, attempts: int | None = None,
               public_url: str | None = None) -> Starlette:
    """Build the app: ``POST /responses``, ``GET /export`` when a token is set, ``GET /health``, and the credit
    routes ``POST /claims``, ``GET /certificates/<id>.pdf`` and ``GET /verify/<id>``.

    ``evaluation`` is the post-test's evaluation items; ``None`` reads them from the course's mkdocs.yml.
    A body not received whole within ``body_timeout`` seconds of the headers is answered 408 and dropped.
    ``attempts`` is the attempt policy (post-test attempts that may count); ``None`` reads it from mkdocs.yml.
    ``public_url`` (ending in /) starts the certificate and verification links; see ``credit.routes``.
    """
    if evaluation is None:
        from patientvoice.outcomes.evaluation import site_evaluation

        evaluation = site_evaluation(course.root)
    specs = index_course(course, evaluation)
    allowed = attempts_option(course.root) if attempts is None else attempts
    marks = {m.id: pass_mark(m) for m in course.modules.values()}
    origin = origin.rstrip("/") if origin else None

    def origin_allowed(request: Request) -> bool:
        sent = request.headers.get("origin")
        if sent is None:  # not a browser cross-site request: curl, a server, a same-origin form
            return True
        own = f"{request.url.scheme}://{request.headers.get('host', '')}"
        return sent in (origin, own)

    def cors(request: Request) -> dict:
        # Only the site's own origin is ever named; anything else gets no CORS headers at all.
        if origin and request.headers.get("origin") == origin:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
        return {"Vary": "Origin"}

    async def preflight(request: Request) -> Response:
        if not origin or request.headers.get("origin") != origin:
            return error(403, "this origin may not post responses here")
        return Response(status_code=204, headers={
            **cors(request), "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600"})

    async def receive(request: Request) -> Response:
        headers = cors(request)
        if not origin_allowed(request):
            return error(403, "this origin may not post responses here", headers)
        ctype = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if ctype not in BODY_TYPES:
            return error(415, f"send the response as application/json, not {ctype[:60]}", headers)
        try:
            # One deadline for the whole body: a client trickling a byte at a time cannot hold a task for ever.
            async with asyncio.timeout(body_timeout):
                body = await read_body(request, max_body)
        except TooLarge:
            return error(413, f"the body is larger than {max_body} bytes", {**headers, **CLOSE})
        except TimeoutError:
            return error(408, f"the body did not arrive within {body_timeout:g} seconds", {**headers, **CLOSE})
        except ClientDisconnect:  # the client gave up mid-body; nobody reads this answer, but it ends the request
            return error(400, "the client closed the connection before the body was complete", CLOSE)
        try:
            obj = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            reason = "it is not UTF-8" if isinstance(exc, UnicodeDecodeError) else "it is not valid JSON"
            return error(400, f"cannot read the body: {reason}", headers)
        try:
            resp = validate(obj, specs)
        except Invalid as exc:
            return error(400, str(exc), headers)
        items = specs[resp["module"]].phases[resp["phase"]]
        result = score(items, resp["answers"], marks.get(resp["module"]) if resp["phase"] == "post" else None)
        try:
            row_id, created = await run_in_threadpool(store.add, resp, result)
        except StoreError as exc:  # the database is away or full; the client retries later
            log.warning("could not store a response: %s", exc)
            return error(503, "the response could not be stored; try again later", headers)
        except Exception:  # a fault of ours, with its traceback; the client's retry may still succeed
            log.exception("could not store a response")
            return error(503, "the response could not be stored; try again later", headers)
        status = {"status": "stored" if created else "duplicate", "id": row_id, "score": result}
        if resp["phase"] == "post":
            try:
                status.update(await run_in_threadpool(standing, resp["module"], resp["learner"], row_id))
            except StoreError as exc:  # stored already; the numbering is the store's and can be read later
                log.warning("could not read the attempts of a stored response: %s", exc)
        return JSONResponse(status, status_code=201 if created else 200, headers=headers)

    def standing(module: str, learner: str, row_id) -> dict:
        # The attempt number is the store's (its stored order); whether it counts follows outcomes/attempts.py,
        # the rule credit/policy.py applies to claims.
        posts = store.attempts(module, learner)
        ids = [i for i, _, _ in posts]
        if row_id not in ids:
            return {}
        at = ids.index(row_id)
        return {"attempt": posts[at][1], "counts": counting([ok for _, _, ok in posts], allowed)[at]}

    async def export(request: Request) -> Response:
        sent = request.headers.get("authorization", "")
        scheme, _, token = sent.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), export_token.encode()):
            return error(401, "a valid bearer token is required", {"WWW-Authenticate": "Bearer"})
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "csv"):
            return error(400, "format must be json or csv")
        try:
            rows = await run_in_threadpool(store.rows)
        except StoreError as exc:
            log.warning("could not read the responses: %s", exc)
            return error(503, "the responses could not be read; try again later", {"Retry-After": "5"})
        if fmt == "csv":
            return Response(exchange.to_csv(rows), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="responses.csv"'})
        return Response(exchange.to_json(rows), media_type="application/json")

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "modules": sorted(specs)})

    routes = [Route("/responses", receive, methods=["POST"]), Route("/responses", preflight, methods=["OPTIONS"]),
              Route("/health", health, methods=["GET"])]
    if export_token:  # without a token there is no export route at all, so nothing can leak by mistake
        routes.append(Route("/export", export, methods=["GET"]))
    from patientvoice.credit.routes import mount  # claims and certificates (docs/credit.md)

    routes += mount(course, store, evaluation, cors, origin_allowed, origin, body_timeout, public_url)
    return Starlette(routes=routes)
