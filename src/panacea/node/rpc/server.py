"""CometBFT 0.38 JSON-RPC over HTTP: ``POST /`` (JSON-RPC 2.0), ``GET /<method>?k=v`` and ``/websocket``
(spec/cometbft.md §4)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from panacea.node.bodylimit import BodyLimit, default_max_body_bytes
from panacea.node.engine.engine import Engine
from panacea.node.rpc.api import RpcError
from panacea.node.rpc.handlers import HANDLERS, WS_ONLY, dispatch
from panacea.node.rpc.jsonrpc import ParseError, decode_request, error_object, run_request
from panacea.node.rpc.params import INVALID_REQUEST, METHOD_NOT_FOUND
from panacea.node.rpc.websocket import serve_websocket

_JSON_HEADERS = {"content-type": "application/json"}


# --- HTTP / websocket ---------------------------------------------------------------------------------------
def _dumps(obj: Any) -> bytes:
    return orjson.dumps(obj)


async def _post(engine: Engine, body: bytes) -> tuple[int, bytes]:
    """POST / → (HTTP status, JSON body); empty for a notification."""
    try:
        req = decode_request(body)
    except ParseError as e:
        return e.status, _dumps(error_object(None, e))
    if isinstance(req, list):
        if not req or len(req) > 10:
            error = RpcError(INVALID_REQUEST, "Invalid Request", "batch of 1 to 10 requests")
            return 200, _dumps(error_object(None, error))
        answers = [a for a in [await run_request(engine, r) for r in req] if a is not None]
        return 200, _dumps(answers)
    answer = await run_request(engine, req)
    return 200, b"" if answer is None else _dumps(answer)


class _FastPost:
    """POST / straight on ASGI (the broadcast hot path), everything else through Starlette."""

    def __init__(self, engine: Engine, app: ASGIApp) -> None:
        self.engine = engine
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/":
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        status, payload = await _post(self.engine, b"".join(chunks))
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _too_large(message: str) -> ASGIApp:
    return Response(_dumps(error_object(None, ParseError(message, 413))), status_code=413, headers=_JSON_HEADERS)


def create_rpc_app(engine: Engine, max_body_bytes: int = 0) -> ASGIApp:
    """The JSON-RPC app; bodies past ``max_body_bytes`` (0: what the genesis block size needs) are refused."""
    async def get_root(request: Request) -> Response:
        names = "\n".join(f"//{request.url.netloc}/{m}" for m in sorted(HANDLERS))
        return Response(f"Available endpoints:\n{names}\n", media_type="text/plain")

    async def get_method(request: Request) -> Response:
        method = request.path_params["method"]
        try:
            if method in WS_ONLY:
                raise RpcError(METHOD_NOT_FOUND, "Method not found")
            result = await dispatch(engine, method, dict(request.query_params), uri=True)
        except RpcError as e:
            status = 404 if e.code == METHOD_NOT_FOUND else 200
            return Response(_dumps(error_object(-1, e)), status_code=status, headers=_JSON_HEADERS)
        return Response(_dumps({"jsonrpc": "2.0", "id": -1, "result": result}), headers=_JSON_HEADERS)

    async def websocket(ws: WebSocket) -> None:
        await serve_websocket(engine, ws)

    app = _FastPost(engine, Starlette(routes=[
        Route("/", get_root, methods=["GET"]),
        WebSocketRoute("/websocket", websocket),
        Route("/{method}", get_method, methods=["GET"]),
    ]))
    return BodyLimit(app, max_body_bytes or default_max_body_bytes(engine.genesis.max_bytes), _too_large)
