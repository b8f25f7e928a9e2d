"""JSON-RPC 2.0 envelopes shared by HTTP and the websocket: one request object in, its answer out."""

from __future__ import annotations

from typing import Any

from panacea.node.engine.engine import Engine
from panacea.node.rpc.api import RpcError
from panacea.node.rpc.handlers import dispatch
from panacea.node.rpc.params import INVALID_REQUEST


def error_object(request_id: Any, e: RpcError) -> dict[str, Any]:
    err: dict[str, Any] = {"code": e.code, "message": e.message}
    if e.data:
        err["data"] = e.data
    return {"jsonrpc": "2.0", "id": request_id, "error": err}


async def run_request(engine: Engine, req: Any) -> dict[str, Any] | None:
    if not isinstance(req, dict):
        return error_object(None, RpcError(INVALID_REQUEST, "Invalid Request", "request must be an object"))
    request_id = req.get("id")
    if "id" not in req or request_id is None:
        return None  # a notification
    method = req.get("method")
    if req.get("jsonrpc") != "2.0" or not isinstance(method, str):
        return error_object(request_id, RpcError(INVALID_REQUEST, "Invalid Request", "jsonrpc must be 2.0"))
    try:
        result = await dispatch(engine, method, req.get("params"))
    except RpcError as e:
        return error_object(request_id, e)
    return {"jsonrpc": "2.0", "id": request_id, "result": result}
