"""CometBFT's ``/websocket``: JSON-RPC calls plus ``subscribe`` / ``unsubscribe`` to the engine's event bus."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from panacea.node.cometbft.query import QueryError, parse_query
from panacea.node.engine.engine import Engine
from panacea.node.engine.eventbus import Subscription
from panacea.node.rpc.api import RpcError
from panacea.node.rpc.handlers import WS_ONLY
from panacea.node.rpc.jsonrpc import ParseError, decode_request, error_object, run_request
from panacea.node.rpc.params import INVALID_REQUEST, internal, invalid_params

MAX_SUBSCRIPTIONS_PER_CLIENT = 5

log = logging.getLogger(__name__)


async def serve_websocket(engine: Engine, ws: WebSocket) -> None:
    await ws.accept()
    client = f"ws-{id(ws)}"
    send_lock = asyncio.Lock()
    forwarders: list[asyncio.Task[None]] = []

    async def send(obj: dict[str, Any]) -> None:
        async with send_lock:
            await ws.send_text(json.dumps(obj, separators=(",", ":")))

    async def forward(sub: Subscription, request_id: Any) -> None:
        while True:
            item = await sub.queue.get()
            if item is None or sub.cancelled:
                return
            await send({"jsonrpc": "2.0", "id": request_id, "result": item})

    async def handle(req: dict[str, Any]) -> dict[str, Any] | None:
        method, request_id = req.get("method"), req.get("id")
        params = req.get("params") or {}
        if method not in WS_ONLY:
            return await run_request(engine, req)
        if isinstance(params, list):
            params = {"query": params[0]} if params else {}
        try:
            if method == "unsubscribe_all":
                if not engine.bus.unsubscribe(client):
                    raise internal("subscription not found")
                return {"jsonrpc": "2.0", "id": request_id, "result": {}}
            text = params.get("query") if isinstance(params, dict) else None
            if not isinstance(text, str):
                raise invalid_params("query is required")
            if method == "unsubscribe":
                if not engine.bus.unsubscribe(client, text):
                    raise internal("subscription not found")
                return {"jsonrpc": "2.0", "id": request_id, "result": {}}
            if engine.bus.count(client) >= MAX_SUBSCRIPTIONS_PER_CLIENT:
                raise internal(f"max_subscriptions_per_client {MAX_SUBSCRIPTIONS_PER_CLIENT} reached")
            try:
                query = parse_query(text)
                sub = engine.bus.subscribe(client, query)
            except (QueryError, ValueError) as e:
                raise internal(f"failed to subscribe: {e}") from None
            forwarders.append(asyncio.create_task(forward(sub, request_id)))
            return {"jsonrpc": "2.0", "id": request_id, "result": {}}
        except RpcError as e:
            return error_object(request_id, e)

    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None:  # JSON-RPC frames are text; a binary frame is refused with one log line
                peer = f"{ws.client.host}:{ws.client.port}" if ws.client else "unknown peer"
                log.warning("websocket %s: binary frame refused, closing with 1003", peer)
                await ws.close(code=1003, reason="binary frames are not supported")
                break
            try:
                req = decode_request(text)
            except ParseError as e:
                await send(error_object(None, e))
                continue
            if not isinstance(req, dict):
                await send(error_object(None, RpcError(INVALID_REQUEST, "Invalid Request", "expected an object")))
                continue
            answer = await handle(req)
            if answer is not None:
                await send(answer)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        engine.bus.unsubscribe(client)
        for task in forwarders:
            task.cancel()
        for task in forwarders:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
