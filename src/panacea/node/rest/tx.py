"""``cosmos.tx.v1beta1.Service`` over REST: simulate, broadcast, get tx by hash, search txs by events."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from starlette.requests import Request

from panacea.node.jsonlimits import check_json_limits
from panacea.node.rest.common import (
    INVALID_ARGUMENT,
    JSON,
    NOT_FOUND,
    UNKNOWN,
    Endpoint,
    RestContext,
    RestError,
    build_request,
    invalid,
    render,
)
from panacea.node.rpc.api import RpcError
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2, tx_pb2
from panacea.types.pb.tendermint.abci import types_pb2 as abci_types
from panacea.types.protojson import from_json

SIMULATE_PATH = "/cosmos.tx.v1beta1.Service/Simulate"
TX_TYPE_URL = "/cosmos.tx.v1beta1.Tx"
DEFAULT_LIMIT = 100
MAX_PER_PAGE = 100
_RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


async def _json_body(request: Request) -> JSON:
    try:
        raw = await request.body() or b"{}"
        check_json_limits(raw)
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise invalid(f"invalid JSON body: {e}") from None
    if not isinstance(body, dict):
        raise invalid("the request body must be a JSON object")
    return body


# --- rendering CometBFT results as TxResponse ---------------------------------------------------------
def rfc3339_seconds(text: str) -> str:
    """Go's ``time.Format(time.RFC3339)`` of a CometBFT time: seconds precision, fraction dropped."""
    m = _RFC3339.match(text or "")
    if m is None:
        return ""
    return m.group(1) + ("Z" if m.group(3) in ("Z", "+00:00") else m.group(3))


def _events(raw: Any) -> list[abci_types.Event]:
    events = []
    for ev in raw or []:
        event = abci_types.Event(type=str(ev.get("type", "")))
        for attr in ev.get("attributes") or []:
            event.attributes.add(key=str(attr.get("key", "")), value=str(attr.get("value", "")),
                                 index=bool(attr.get("index", False)))
        events.append(event)
    return events


def _logs(raw_log: str) -> list[abci_pb2.ABCIMessageLog]:
    """sdk.ParseABCILogs: the JSON msg logs of a successful tx; anything else gives no logs."""
    try:
        items = json.loads(raw_log)
        return [json_format.ParseDict(item, abci_pb2.ABCIMessageLog(), ignore_unknown_fields=True) for item in items]
    except (ValueError, TypeError, AttributeError, json_format.ParseError):
        return []


def _hex_upper(b64: str | None) -> str:
    return base64.b64decode(b64 or "").hex().upper()


def decode_tx(raw: bytes) -> tx_pb2.Tx | None:
    try:
        return tx_pb2.Tx.FromString(raw)
    except DecodeError:
        return None


def tx_response(result: JSON, timestamp: str) -> tuple[tx_pb2.Tx | None, abci_pb2.TxResponse]:
    """A CometBFT ``tx`` / ``tx_search`` entry as the SDK's (Tx, TxResponse)."""
    r = result.get("tx_result") or {}
    raw = base64.b64decode(result.get("tx") or "")
    tx = decode_tx(raw)
    log_text = str(r.get("log", ""))
    resp = abci_pb2.TxResponse(
        height=int(result.get("height", 0)), txhash=str(result.get("hash", "")).upper(),
        codespace=str(r.get("codespace", "")), code=int(r.get("code", 0) or 0), data=_hex_upper(r.get("data")),
        raw_log=log_text, logs=_logs(log_text), info=str(r.get("info", "")),
        gas_wanted=int(r.get("gas_wanted", 0) or 0), gas_used=int(r.get("gas_used", 0) or 0),
        timestamp=timestamp, events=_events(r.get("events")))
    if tx is not None:
        resp.tx.type_url = TX_TYPE_URL
        resp.tx.value = raw
    return tx, resp


async def _block_time(ctx: RestContext, height: int, cache: dict[int, str]) -> str:
    if height not in cache:
        block = await ctx.call("block", {"height": str(height)})
        cache[height] = rfc3339_seconds(block.get("block", {}).get("header", {}).get("time", ""))
    return cache[height]


# --- handlers --------------------------------------------------------------------------------------------
async def get_tx(ctx: RestContext, request: Request) -> JSON:
    text = request.path_params["hash"]
    try:
        digest = bytes.fromhex(text)
    except ValueError:
        raise invalid(f"invalid tx hash {text!r}: not hex") from None
    try:
        result = await ctx.call("tx", {"hash": base64.b64encode(digest).decode(), "prove": False})
    except RpcError as e:
        if "not found" in str(e):
            raise RestError(NOT_FOUND, f"tx not found: {text}") from None
        raise
    try:
        timestamp = await _block_time(ctx, int(result.get("height", 0)), {})
    except RpcError as e:
        if "must be less than or equal to the current blockchain height" in str(e):
            raise RestError(NOT_FOUND, f"tx not found: {text}") from None  # indexed, its block not committed yet
        raise
    tx, resp = tx_response(result, timestamp)
    return render(service_pb2.GetTxResponse(tx=tx, tx_response=resp))


def _search_query(events: list[str]) -> str:
    if not events:
        raise invalid("must declare at least one event to search")
    conditions = []
    for event in events:
        if event.count("=") != 1:
            raise invalid(f"invalid event; event {event} should be of the format: "
                          "{eventType}.{eventAttribute}={value}")
        key, value = (part.strip() for part in event.split("="))
        quoted = value.startswith("'") and value.endswith("'") and len(value) >= 2
        conditions.append(f"{key}={value}" if key == "tx.height" or quoted else f"{key}='{value}'")
    return " AND ".join(conditions)


async def search_txs(ctx: RestContext, request: Request) -> JSON:
    req = build_request(service_pb2.GetTxsEventRequest, {}, request)
    assert isinstance(req, service_pb2.GetTxsEventRequest)
    query = _search_query(list(req.events))
    limit = min(req.pagination.limit or DEFAULT_LIMIT, MAX_PER_PAGE)
    page = req.pagination.offset // limit + 1
    order = {service_pb2.ORDER_BY_ASC: "asc", service_pb2.ORDER_BY_DESC: "desc"}.get(req.order_by, "")
    params = {"query": query, "prove": False, "page": str(page), "per_page": str(limit)}
    if order:
        params["order_by"] = order
    result = await ctx.call("tx_search", params)
    out = service_pb2.GetTxsEventResponse()
    out.pagination.total = int(result.get("total_count", 0))
    times: dict[int, str] = {}
    for item in result.get("txs") or []:
        tx, resp = tx_response(item, await _block_time(ctx, int(item.get("height", 0)), times))
        out.txs.append(tx if tx is not None else tx_pb2.Tx())
        out.tx_responses.append(resp)
    return render(out)


async def simulate(ctx: RestContext, request: Request) -> JSON:
    """Body ``{"tx_bytes": b64}`` or ``{"tx": <Tx JSON>}`` (cosmpy sends the latter, camelCase)."""
    try:
        req = from_json(await _json_body(request), service_pb2.SimulateRequest)
    except ValueError as e:
        raise invalid(str(e)) from None
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
    data = str(r.get("data") or "").upper() if hex_data else _hex_upper(r.get("data"))
    return abci_pb2.TxResponse(txhash=txhash, codespace=str(r.get("codespace", "")), code=int(r.get("code", 0) or 0),
                               data=data, raw_log=log_text, logs=_logs(log_text))


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
    resp.events.extend(_events(deliver.get("events")))
    return resp


async def broadcast(ctx: RestContext, request: Request) -> JSON:
    try:
        req = from_json(await _json_body(request), service_pb2.BroadcastTxRequest)
    except ValueError as e:
        raise invalid(str(e)) from None
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

__all__ = ["TX_ROUTES", "decode_tx", "rfc3339_seconds", "tx_response"]
