"""JSON-RPC 2.0 envelopes shared by HTTP and the websocket: one request object in, its answer out."""

from __future__ import annotations

import json
from typing import Any

import orjson

from panacea.node.engine.engine import Engine
from panacea.node.rpc.api import RpcError
from panacea.node.rpc.handlers import dispatch
from panacea.node.rpc.params import INVALID_REQUEST, PARSE_ERROR
from panacea.types.jsonlimits import JsonLimitError, check_json_limits


class ParseError(RpcError):
    """A body that is not JSON or passes the node's JSON bounds: HTTP 400 (CometBFT answers 500; decisions.md)."""

    def __init__(self, detail: str, status: int) -> None:
        super().__init__(PARSE_ERROR, "Parse error", f"error unmarshaling request: {detail}")
        self.status = status


def decode_request(body: bytes | str) -> Any:
    """The one parser of JSON-RPC requests (HTTP bodies and websocket frames), bounded before it parses."""
    try:
        check_json_limits(body)
    except JsonLimitError as e:
        raise ParseError(str(e), 400) from None
    try:
        return orjson.loads(body)  # the fast path; it also refuses bad UTF-8
    except orjson.JSONDecodeError:
        pass
    # Only what orjson refused: the stdlib parser gives CometBFT-like error texts (and accepts what it accepts).
    if isinstance(body, bytes):
        try:
            body = body.decode()
        except UnicodeDecodeError as e:
            raise ParseError(f"the body is not valid UTF-8 (byte {e.start})", 400) from None
    try:
        return json.loads(body)
    except json.JSONDecodeError as e:
        raise ParseError(str(e), 400) from None


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
