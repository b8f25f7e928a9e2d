"""HTTP error conventions of the DEP services, in one place (issue 11; oracle-reference §1.4, §7).

Every failure leaves a service as JSON ``{"code": <gRPC code>, "message": <text>}`` with a proper HTTP status.
Departure: the reference answers 500 for nearly every failure (§1.4) and the consumer service plain text (§7);
we keep the reference message texts but send 400/401/403/404/409/413/429/502/503 (docs/decisions.md).
An unexpected exception is a 500 with a generic message, logged once: its type and frames, never its message
(which might hold input or key material).
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from typing import Final

import orjson
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from panacea.types import grpc_status
from panacea.types.jsonlimits import JsonLimitError, check_json_limits

log = logging.getLogger("panacea.service")

RESOURCE_EXHAUSTED: Final = 8
ALREADY_EXISTS: Final = 6
PERMISSION_DENIED: Final = 7
DEADLINE_EXCEEDED: Final = 4

# HTTP status → the gRPC code a body carries (the gateway's mapping, §1.4, read backwards).
GRPC_CODE: Final[dict[int, int]] = {
    400: grpc_status.INVALID_ARGUMENT, 401: grpc_status.UNAUTHENTICATED, 403: PERMISSION_DENIED,
    404: grpc_status.NOT_FOUND, 405: grpc_status.UNIMPLEMENTED, 408: DEADLINE_EXCEEDED, 409: ALREADY_EXISTS,
    413: RESOURCE_EXHAUSTED, 429: RESOURCE_EXHAUSTED, 500: grpc_status.INTERNAL,
    502: grpc_status.UNAVAILABLE, 503: grpc_status.UNAVAILABLE,
}
INTERNAL_MESSAGE: Final = "internal error"
BODY_TOO_LARGE: Final = "request body too large"
BODY_TIMEOUT: Final = "request body not received in time"


class ServiceError(Exception):
    """A failure with the HTTP status it is answered with and its message (the reference text)."""

    def __init__(self, status: int, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = GRPC_CODE.get(status, grpc_status.UNKNOWN) if code is None else code


def error_body(code: int, message: str) -> bytes:
    """The JSON body of an error answer."""
    return orjson.dumps({"code": code, "message": message})


def error_response(status: int, message: str, code: int | None = None) -> Response:
    """An error answer with ``status`` and ``message``."""
    grpc = GRPC_CODE.get(status, grpc_status.UNKNOWN) if code is None else code
    return Response(error_body(grpc, message), status_code=status, media_type="application/json")


async def _service_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ServiceError)
    return error_response(exc.status, exc.message, exc.code)


async def _http_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail), None)


# Give these to ``Starlette(exception_handlers=...)``; ``ErrorBoundary`` catches everything else.
EXCEPTION_HANDLERS: Final = {ServiceError: _service_error, HTTPException: _http_error}


class ErrorBoundary:
    """ASGI middleware: an exception no handler took becomes a 500 with a generic message, logged once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:  # the boundary: nothing unexpected leaves as a traceback
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("unhandled %s on %s %s\n%s", type(exc).__name__, scope.get("method"), scope.get("path"),
                      frames)
            if not started:
                await error_response(500, INTERNAL_MESSAGE)(scope, receive, send)


def content_length(request: Request) -> int | None:
    """The declared body length; a malformed header is a 400."""
    raw = request.headers.get("content-length")
    if raw is None:
        return None
    if not raw.isdigit() or len(raw) > 20:
        raise ServiceError(400, "invalid content-length header")
    return int(raw)


def check_declared_size(request: Request, limit: int) -> None:
    """Refuse a body whose Content-Length is past ``limit`` before reading it (§1.4 pre-handler 1)."""
    declared = content_length(request)
    if declared is not None and declared > limit:
        raise ServiceError(413, BODY_TOO_LARGE)


async def read_body(request: Request, limit: int, timeout: float | None = None) -> bytes:
    """The body, at most ``limit`` bytes (413 past it, also for a chunked body that lies about nothing), read
    within ``timeout`` seconds (408 past it: a client that trickles its body does not hold a worker)."""
    check_declared_size(request, limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise ServiceError(413, BODY_TOO_LARGE)
                chunks.append(chunk)
    except TimeoutError:
        raise ServiceError(408, BODY_TIMEOUT) from None
    return b"".join(chunks)


async def read_json(request: Request, limit: int, timeout: float | None = None) -> object:
    """The body as JSON, bounded in size, nesting and number length (panacea.types.jsonlimits): 400/413;
    read within ``timeout`` seconds (408)."""
    body = await read_body(request, limit, timeout)
    try:
        check_json_limits(body)
    except JsonLimitError as e:
        raise ServiceError(400, f"invalid JSON body: {e}") from None
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise ServiceError(400, "invalid JSON body") from None
