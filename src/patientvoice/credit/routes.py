"""The collector's credit routes: ``POST /claims``, ``GET /certificates/<id>.pdf`` and ``GET /verify/<id>``.

Mounted by ``outcomes.collector.create_app``; CORS and the body limits are the responses endpoint's.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import logging
import re
import secrets
import threading
from collections import OrderedDict

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from patientvoice.credit.certificate import certificate_pdf, credit_text, snapshot
from patientvoice.credit.claim import Claim, Refused, parse_claim
from patientvoice.credit.policy import Setup, check_dates, counting_post
from patientvoice.credit.store import ClaimStore
from patientvoice.outcomes.store import StoreError
from patientvoice.render import env, long_date

ID_RE = re.compile(r"[a-z2-7]{32}")  # 160 random bits in lowercase base32
MAX_CLAIM = 8 * 1024  # a claim is a few hundred bytes
CACHED_PDFS = 64
log = logging.getLogger("patientvoice.collect")


def new_id() -> str:
    """An unguessable certificate id (160 random bits), safe in a URL, a file name, a shell and a spreadsheet.

    Base32, not ``token_urlsafe``: an id starting with '-' read as an option on the command line, and the CSV
    export's formula guard quoted it, so an id copied from the CSV matched nothing.
    """
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").lower()


def today() -> dt.date:
    """The server's date (UTC): the claim's completion date and the day checked against release and expiry."""
    return dt.datetime.now(dt.timezone.utc).date()


def decide(setup: Setup, claims: ClaimStore, obj, base_url: str) -> tuple[dict, bool]:
    """Accept a claim and return (the stored claim, created), or raise Refused with the status and message."""
    claim = parse_claim(obj, setup.activities)
    act = setup.activities[claim.module]
    existing = claims.for_learner(claim.module, claim.learner)
    if existing is not None:
        return _repeat(claim, existing)
    if setup.provider is None:
        raise Refused(503, "Credit cannot be claimed here yet: the provider has not described itself "
                           "(content/provider.yml). Please contact the provider.")
    day = today()
    check_dates(act, day)
    post = counting_post(act, claims.post_tests(claim.module, claim.learner), setup.attempts)
    cid = new_id()
    row = {"id": cid, "created": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
           "completed": day.isoformat(), "activity": act.id, "module": act.module, "learner": claim.learner,
           "name": claim.name, "email": claim.email, "profession": claim.profession,
           "profession_other": claim.profession_other or None, "credit_type": claim.credit_type,
           "credits": claim.credits, "consent": claim.report["consent"], "report": claim.report,
           "post_id": post["id"],
           "certificate": snapshot(setup, act, claim.credit_type, f"{base_url}verify/{cid}")}
    stored, created = claims.add(row)
    return (stored, True) if created else _repeat(claim, stored)  # another request won the race


def _repeat(claim: Claim, existing: dict) -> tuple[dict, bool]:
    if claim.same_as(existing):
        return existing, False
    raise Refused(409, f"Credit for this activity was already claimed from this browser on "
                       f"{long_date(dt.date.fromisoformat(existing['completed']))}, with different details. "
                       "Each learner can claim credit once per activity; to correct the certificate, please "
                       "contact the provider.")


def bound_url(request: Request) -> str:
    """``http://host:port/`` of the socket the request arrived on: never the Host header, which the client writes."""
    host, port = request.scope.get("server") or ("localhost", 80)
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def credit_routes(setup: Setup, claims: ClaimStore, cors, origin_allowed, origin: str | None,
                  body_timeout: float, public_url: str | None = None) -> list[Route]:
    """The routes, given the collector's CORS helpers (``cors(request)`` headers, ``origin_allowed(request)``).

    ``public_url`` (ending in /) is where learners reach the collector: the certificate and verification links
    start with it. Without it they use the address the server is bound to.
    """
    from patientvoice.outcomes.collector import CLOSE, TooLarge, error, read_body

    pdfs: OrderedDict[str, bytes] = OrderedDict()
    render_lock = threading.Lock()  # one WeasyPrint render at a time: they share the theme's font configuration

    def answer(payload: dict, base: str) -> dict:
        cid = payload["id"]
        return {"certificate": cid, "pdf": f"{base}certificates/{cid}.pdf", "verify": f"{base}verify/{cid}"}

    async def claim(request: Request) -> Response:
        headers = cors(request)
        if not origin_allowed(request):
            return error(403, "Credit cannot be claimed from this site.", headers)
        ctype = request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
        if ctype not in ("application/json", "text/plain"):
            return error(415, "The claim could not be read. Reload the page and try again.", headers)
        try:
            async with asyncio.timeout(body_timeout):
                body = await read_body(request, MAX_CLAIM)
            obj = json.loads(body.decode("utf-8"))
        except TooLarge:
            return error(413, "The claim is too long. Please shorten the name or profession.", {**headers, **CLOSE})
        except TimeoutError:
            return error(408, "The claim took too long to arrive. Please try again.", {**headers, **CLOSE})
        except ClientDisconnect:
            return error(400, "The connection closed before the claim arrived. Please try again.", CLOSE)
        except (UnicodeDecodeError, ValueError, RecursionError):
            return error(400, "The claim could not be read. Reload the page and try again.", headers)
        # Printed on the certificate for good: from the collector's configuration, not from the request's Host.
        base = public_url or bound_url(request)
        try:
            stored, created = await run_in_threadpool(decide, setup, claims, obj, base)
        except Refused as refused:
            return error(refused.status, refused.message, headers)
        except StoreError as exc:
            log.warning("could not store a claim: %s", exc)
            return error(503, "Your claim could not be saved just now. Please try again in a few minutes.", headers)
        if created:
            log.info("claim %s… accepted for %s", stored["id"][:6], stored["module"])
        # The same claim again is answered as the first time, so a retried request finds its certificate.
        return JSONResponse(answer(stored, base), status_code=201, headers=headers)

    async def preflight(request: Request) -> Response:
        if not origin or request.headers.get("origin") != origin:
            return error(403, "Credit cannot be claimed from this site.")
        return Response(status_code=204, headers={
            **cors(request), "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type", "Access-Control-Max-Age": "600"})

    def _pdf(row: dict) -> bytes:
        with render_lock:
            if row["id"] not in pdfs:
                pdfs[row["id"]] = certificate_pdf([row], setup.theme)
                while len(pdfs) > CACHED_PDFS:
                    pdfs.popitem(last=False)
            return pdfs[row["id"]]

    async def lookup(cid: str) -> dict | None:
        return await run_in_threadpool(claims.get, cid) if ID_RE.fullmatch(cid) else None

    async def certificate(request: Request) -> Response:
        try:
            row = await lookup(request.path_params["cid"])
        except StoreError:
            return error(503, "The certificate cannot be read just now. Please try again in a few minutes.")
        if row is None:
            return error(404, "There is no certificate at this address.", cors(request))
        try:
            pdf = await run_in_threadpool(_pdf, row)
        except Exception:  # a fault of ours; the learner can try again and the provider can reissue it
            log.exception("could not render certificate %s…", row["id"][:6])
            return error(500, "The certificate could not be made just now. Please try again, or contact the "
                              "provider.", cors(request))
        return Response(pdf, media_type="application/pdf", headers={
            **cors(request), "Content-Disposition": f'inline; filename="certificate-{row["activity"]}.pdf"',
            "Cache-Control": "private, no-store"})

    async def verify(request: Request) -> Response:
        try:
            row = await lookup(request.path_params["cid"])
        except StoreError:
            return HTMLResponse("<p>This certificate cannot be checked just now. Try again later.</p>", 503)
        if row is None:
            return HTMLResponse("<!DOCTYPE html><html lang=\"en\"><title>Not found</title>"
                                "<p>There is no certificate at this address.</p>", 404,
                                headers={"X-Robots-Tag": "noindex"})
        snap = row["certificate"]
        html = env().get_template("certificate_verify.html").render(
            name=row["name"], title=snap["title"], activity_id=snap["activity_id"], credits=credit_text(row),
            completed=row["completed"], completed_long=long_date(dt.date.fromisoformat(row["completed"])))
        return HTMLResponse(html, headers={"X-Robots-Tag": "noindex", "Cache-Control": "no-store"})

    return [Route("/claims", claim, methods=["POST"]), Route("/claims", preflight, methods=["OPTIONS"]),
            Route("/certificates/{cid}.pdf", certificate, methods=["GET"]),
            Route("/verify/{cid}", verify, methods=["GET"])]


def mount(course, store, evaluation, cors, origin_allowed, origin: str | None, body_timeout: float,
          public_url: str | None = None) -> list[Route]:
    """The credit routes for a course's collector: reads the course's credit setup and opens the claims table.

    Raises EvaluationError when mkdocs.yml's ``attempts`` option is not a whole number of at least 1.
    """
    from patientvoice.credit.policy import setup as credit_setup

    return credit_routes(credit_setup(course, evaluation), ClaimStore(store), cors, origin_allowed, origin,
                         body_timeout, public_url)
