"""``cosmos.tx.v1beta1.Service`` over REST: simulate, broadcast, get tx by hash, search txs by events."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any, TypeVar

from google.protobuf.message import Message
from starlette.requests import Request

from panacea.node import txservice
from panacea.node.rest.common import JSON, Endpoint, RestContext, RestError, build_request, invalid, render
from panacea.node.rpc.api import RpcError
from panacea.types.grpc_status import INVALID_ARGUMENT, UNKNOWN
from panacea.types.jsonlimits import check_json_limits
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2
from panacea.types.protojson import from_json

SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"
M = TypeVar("M", bound=Message)
_FIELD_PATH = re.compile(r"Failed to parse (\w+) field")
# Python's own wording inside protobuf's messages ('int' object is not iterable, int() limits, …)
_PYTHON = re.compile(r"'\w+' object (?:is not|has no)[^.]*|object of type '\w+'.*|Exceeds the limit.*|"
                     r"invalid literal for.*|cannot convert float.*|[A-Z]\w+Error\b.*")


async def _json_body(request: Request, cls: type[M]) -> M:
    """The one parser of request bodies: bounded, UTF-8, a JSON object, then protobuf JSON of ``cls``."""
    raw = await request.body() or b"{}"
    try:
        check_json_limits(raw)
        body = json.loads(raw.decode())
    except UnicodeDecodeError as e:
        raise invalid(f"invalid JSON body: not UTF-8 (byte {e.start})") from None
    except ValueError as e:
        raise invalid(f"invalid JSON body: {e}") from None
    if not isinstance(body, dict):
        raise invalid("the request body must be a JSON object")
    try:
        return from_json(body, cls)
    except (ValueError, TypeError, OverflowError, AttributeError) as e:
        raise invalid(body_error(cls, str(e))) from None


def body_error(cls: type[Message], text: str) -> str:
    """protobuf's ParseDict text without Python internals: the field path and the JSON it expects."""
    path = _FIELD_PATH.findall(text)
    if not path:
        return text if not _PYTHON.search(text) else f"invalid {cls.DESCRIPTOR.name} JSON"
    desc: Any = cls.DESCRIPTOR
    f = None
    for name in path:
        f = desc.fields_by_name.get(name) if desc is not None else None
        desc = f.message_type if f is not None else None
    detail = _PYTHON.sub("", text.rsplit("field: ", 1)[-1]).strip(" .:")
    if f is not None and (_PYTHON.search(text) or not detail):
        kind = "a JSON array" if f.is_repeated else "a JSON object" if f.message_type is not None else "a JSON scalar"
        detail = f"expected {kind}"
    return f"invalid {'.'.join(path)}: {detail}"


# --- handlers --------------------------------------------------------------------------------------------
async def get_tx(ctx: RestContext, request: Request) -> JSON:
    try:
        return render(await txservice.get_tx(ctx.rpc, request.path_params["hash"]))
    except txservice.TxServiceError as e:
        raise RestError(e.code, e.message) from None


async def search_txs(ctx: RestContext, request: Request) -> JSON:
    req = build_request(service_pb2.GetTxsEventRequest, {}, request)
    assert isinstance(req, service_pb2.GetTxsEventRequest)
    try:
        return render(await txservice.get_txs_event(ctx.rpc, req))
    except txservice.TxServiceError as e:
        raise RestError(e.code, e.message) from None


async def simulate(ctx: RestContext, request: Request) -> JSON:
    """Body ``{"tx_bytes": b64}`` or ``{"tx": <Tx JSON>}`` (cosmpy sends the latter, camelCase)."""
    req = await _json_body(request, service_pb2.SimulateRequest)
    tx_bytes = req.tx_bytes or (req.tx.SerializeToString(deterministic=True) if req.HasField("tx") else b"")
    if not tx_bytes:
        raise invalid("empty txBytes is not allowed")
    try:
        raw = await ctx.abci_query(SIMULATE_PATH, service_pb2.SimulateRequest(tx_bytes=tx_bytes).SerializeToString())
    except RestError as e:
        raise RestError(UNKNOWN, e.message) from None  # the SDK answers every failed simulation with Unknown
    return render(service_pb2.SimulateResponse.FromString(raw))


_MODES = {service_pb2.BROADCAST_MODE_SYNC: "broadcast_tx_sync", service_pb2.BROADCAST_MODE_ASYNC: "broadcast_tx_async",
          service_pb2.BROADCAST_MODE_BLOCK: "broadcast_tx_commit"}
# CometBFT mempool errors the SDK turns into a TxResponse code (client/broadcast.go CheckTendermintError)
_MEMPOOL_ERRORS = (("tx already exists in cache", 19), ("mempool is full", 20), ("tx too large", 21))


def _check_response(r: JSON, txhash: str, *, hex_data: bool) -> abci_pb2.TxResponse:
    log_text = str(r.get("log", ""))
    data = str(r.get("data") or "").upper() if hex_data else txservice.hex_upper(r.get("data"))
    return abci_pb2.TxResponse(txhash=txhash, codespace=str(r.get("codespace", "")), code=int(r.get("code", 0) or 0),
                               data=data, raw_log=log_text, logs=txservice.logs(log_text))


def _commit_response(result: JSON, txhash: str) -> abci_pb2.TxResponse:
    check = result.get("check_tx") or {}
    if int(check.get("code", 0) or 0):
        return _check_response(check, txhash, hex_data=False)
    deliver = result.get("tx_result") or {}
    resp = _check_response(deliver, txhash, hex_data=False)
    resp.height = int(result.get("height", 0))
    resp.info = str(deliver.get("info", ""))
    resp.gas_wanted = int(deliver.get("gas_wanted", 0) or 0)
    resp.gas_used = int(deliver.get("gas_used", 0) or 0)
    resp.events.extend(txservice.events(deliver.get("events")))
    return resp


async def broadcast(ctx: RestContext, request: Request) -> JSON:
    req = await _json_body(request, service_pb2.BroadcastTxRequest)
    if not req.tx_bytes:
        raise invalid("invalid empty tx")
    method = _MODES.get(req.mode)
    if method is None:
        raise RestError(INVALID_ARGUMENT, "unsupported broadcast mode; supported types: sync, async, block")
    txhash = hashlib.sha256(req.tx_bytes).hexdigest().upper()
    try:
        result = await ctx.call(method, {"tx": base64.b64encode(req.tx_bytes).decode()})
    except RpcError as e:
        text = str(e).lower()
        for needle, code in _MEMPOOL_ERRORS:
            if needle in text:
                resp = abci_pb2.TxResponse(txhash=txhash, codespace="sdk", code=code)
                return render(service_pb2.BroadcastTxResponse(tx_response=resp))
        raise
    if method == "broadcast_tx_commit":
        resp = _commit_response(result, str(result.get("hash") or txhash).upper())
    else:
        resp = _check_response(result, str(result.get("hash") or txhash).upper(), hex_data=True)
    return render(service_pb2.BroadcastTxResponse(tx_response=resp))


TX_ROUTES = [
    Endpoint("POST", "/cosmos/tx/v1beta1/simulate", simulate),
    Endpoint("POST", "/cosmos/tx/v1beta1/txs", broadcast),
    Endpoint("GET", "/cosmos/tx/v1beta1/txs", search_txs),
    Endpoint("GET", "/cosmos/tx/v1beta1/txs/{hash}", get_tx),
]

__all__ = ["TX_ROUTES"]
