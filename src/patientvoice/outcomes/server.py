"""Serving the collector with uvicorn so slow or idle clients cannot hold it: header timeout, connection cap, limit.

uvicorn (0.54, h11) has a keep-alive timeout but no deadline for a request's headers: a connection that sends
one header line every few seconds is held for ever, and its ``limit_concurrency`` counts such connections, so
a few hundred of them answer every real client 503 (slowloris). Neither h11 nor Starlette offers a header
deadline either, hence this small protocol subclass. The body deadline lives in the app (``read_body``).
"""

from __future__ import annotations

import logging
import socket

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_TIMEOUT = 10.0  # seconds for a whole request line and headers; a real browser sends them in one packet
BODY_TIMEOUT = 10.0  # seconds for a whole body (64 KB at most), counted from the end of the headers
MAX_CONNECTIONS = 4000  # open connections; past it, the one that has waited longest without a request is closed
MAX_IN_FLIGHT = 200  # requests being handled at once; more are answered 503 at once rather than queued
log = logging.getLogger("patientvoice.collect")


def timed_protocol(header_timeout: float = HEADER_TIMEOUT, max_connections: int = MAX_CONNECTIONS) -> type:
    """An h11 protocol class for one server that closes a connection whose headers take over ``header_timeout``.

    Each call makes a new class, so the set of connections waiting for headers is per server.
    """

    class TimedH11Protocol(H11Protocol):
        # Connections with no request in progress, oldest first (a dict keeps insertion order).
        waiting: dict[TimedH11Protocol, None] = {}
        evicted = 0

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self.header_timer = None
            if len(self.connections) > max_connections:
                self._evict()
            self._await_headers()

        def _await_headers(self) -> None:
            if self.transport.is_closing():
                return
            self.waiting[self] = None
            if self.header_timer is None:
                # One deadline for the whole header, not per read: a line every few seconds does not extend it.
                self.header_timer = self.loop.call_later(header_timeout, self._too_slow)

        def _headers_done(self) -> None:
            self.waiting.pop(self, None)
            if self.header_timer is not None:
                self.header_timer.cancel()
                self.header_timer = None

        def _too_slow(self) -> None:
            self.header_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                log.debug("closing a connection whose request headers took over %s s", header_timeout)
                self.waiting.pop(self, None)
                self.transport.close()

        def _evict(self) -> None:
            oldest = next(iter(self.waiting), None)
            if oldest is None:  # every connection is mid-request: refuse the new one instead
                self.transport.close()
                return
            if TimedH11Protocol.evicted % 1000 == 0:  # once, then every 1000th: a flood must not flood the log too
                log.warning("over %d connections: closing those that waited longest for a request (%d so far)",
                            max_connections, TimedH11Protocol.evicted + 1)
            TimedH11Protocol.evicted += 1
            self.waiting.pop(oldest)
            oldest.transport.close()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.conn.their_state is h11.IDLE:
                self._await_headers()  # still no complete request (or the next one on a kept-alive connection)
            else:
                self._headers_done()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.waiting[self] = None  # idle on keep-alive (uvicorn's own timer closes it): evictable

        def connection_lost(self, exc) -> None:
            self._headers_done()
            super().connection_lost(exc)

    return TimedH11Protocol


class InFlightLimit:
    """ASGI middleware: answer 503 at once when ``limit`` requests are already being handled.

    It replaces uvicorn's ``limit_concurrency``, which also counts idle and slow connections.
    """

    def __init__(self, app, limit: int = MAX_IN_FLIGHT):
        self.app, self.limit, self.active = app, limit, 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.active >= self.limit:
            await send({"type": "http.response.start", "status": 503, "headers": [
                (b"content-type", b"application/json"), (b"retry-after", b"1"), (b"connection", b"close")]})
            await send({"type": "http.response.body", "body": b'{"error": "the collector is busy; try again"}'})
            return
        self.active += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.active -= 1


def serve(app, sock: socket.socket, header_timeout: float = HEADER_TIMEOUT,
          max_connections: int = MAX_CONNECTIONS, max_in_flight: int = MAX_IN_FLIGHT) -> None:
    """Run ``app`` on the listening ``sock`` until interrupted, with the limits above."""
    import uvicorn

    config = uvicorn.Config(InFlightLimit(app, max_in_flight), http=timed_protocol(header_timeout, max_connections),
                            ws="none",  # no WebSocket routes: an upgrade would leave this protocol and its timers
                            log_level="warning", access_log=False, server_header=False, timeout_keep_alive=5,
                            timeout_graceful_shutdown=5, h11_max_incomplete_event_size=16 * 1024)
    uvicorn.Server(config).run(sockets=[sock])
