"""``cosmos.tx.v1beta1.Service`` GetTx / GetTxsEvent answered from the node's tx index through an ``Rpc``
(CometBFT's ``tx`` / ``tx_search`` / ``block``), as the SDK's tx service does (x/auth/tx/service.go).

One implementation serves the REST API (``GET /cosmos/tx/v1beta1/txs…``) and ``abci_query`` on both engines
(the embedded engine's ``LocalRpc``; under CometBFT the node's RPC at ``[abci] comet-rpc``).
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from google.protobuf import json_format
from google.protobuf.message import DecodeError

from panacea.chain.app import QueryResult
from panacea.node.rpc.api import Rpc, RpcError
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2, tx_pb2
from panacea.types.pb.tendermint.abci import types_pb2 as abci_types

GET_TX_PATH = "/cosmos.tx.v1beta1.Service/GetTx"
GET_TXS_EVENT_PATH = "/cosmos.tx.v1beta1.Service/GetTxsEvent"
TX_TYPE_URL = "/cosmos.tx.v1beta1.Tx"
DEFAULT_LIMIT = 100
MAX_PER_PAGE = 100
_RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")

# gRPC status codes (google.golang.org/grpc/codes) and what baseapp's gRPCErrorToSDKError makes of them
INVALID_ARGUMENT, NOT_FOUND = 3, 5
_GRPC_NAMES = {INVALID_ARGUMENT: "InvalidArgument", NOT_FOUND: "NotFound"}
_SDK_ERRORS = {INVALID_ARGUMENT: (18, "invalid request"), NOT_FOUND: (22, "key not found")}

JSON = dict[str, Any]


class TxServiceError(Exception):
    """A gRPC status error of the tx service (code, message), as the SDK returns it."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def query_result(self, height: int) -> QueryResult:
        """baseapp.handleQueryGRPC: ``rpc error: code = <Code> desc = <msg>`` wrapped in the SDK error."""
        code, text = _SDK_ERRORS[self.code]
        log = f"rpc error: code = {_GRPC_NAMES[self.code]} desc = {self.message}: {text}"
        return QueryResult(code=code, codespace="sdk", log=log, height=height)


# --- CometBFT results as TxResponse ---------------------------------------------------------------------
def rfc3339_seconds(text: str) -> str:
    """Go's ``time.Format(time.RFC3339)`` of a CometBFT time: seconds precision, fraction dropped."""
    m = _RFC3339.match(text or "")
    if m is None:
        return ""
    return m.group(1) + ("Z" if m.group(3) in ("Z", "+00:00") else m.group(3))


def events(raw: Any) -> list[abci_types.Event]:
    out = []
    for ev in raw or []:
        event = abci_types.Event(type=str(ev.get("type", "")))
        for attr in ev.get("attributes") or []:
            event.attributes.add(key=str(attr.get("key", "")), value=str(attr.get("value", "")),
                                 index=bool(attr.get("index", False)))
        out.append(event)
    return out


def logs(raw_log: str) -> list[abci_pb2.ABCIMessageLog]:
    """sdk.ParseABCILogs: the JSON msg logs of a successful tx; anything else gives no logs."""
    try:
        items = json.loads(raw_log)
        return [json_format.ParseDict(item, abci_pb2.ABCIMessageLog(), ignore_unknown_fields=True) for item in items]
    except (ValueError, TypeError, AttributeError, json_format.ParseError):
        return []


def hex_upper(b64: str | None) -> str:
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
        codespace=str(r.get("codespace", "")), code=int(r.get("code", 0) or 0), data=hex_upper(r.get("data")),
        raw_log=log_text, logs=logs(log_text), info=str(r.get("info", "")),
        gas_wanted=int(r.get("gas_wanted", 0) or 0), gas_used=int(r.get("gas_used", 0) or 0),
        timestamp=timestamp, events=events(r.get("events")))
    if tx is not None:
        resp.tx.type_url = TX_TYPE_URL
        resp.tx.value = raw
    return tx, resp


async def _block_time(rpc: Rpc, height: int, cache: dict[int, str]) -> str:
    if height not in cache:
        block = await rpc.call("block", {"height": str(height)})
        cache[height] = rfc3339_seconds(block.get("block", {}).get("header", {}).get("time", ""))
    return cache[height]


# --- the service ----------------------------------------------------------------------------------------
async def get_tx(rpc: Rpc, text: str) -> service_pb2.GetTxResponse:
    """GetTx by hex hash; TxServiceError NotFound for an unknown (or not yet committed) tx."""
    if not text:
        raise TxServiceError(INVALID_ARGUMENT, "tx hash cannot be empty")
    try:
        digest = bytes.fromhex(text)
    except ValueError:
        raise TxServiceError(INVALID_ARGUMENT, f"invalid tx hash {text[:80]!r}: not hex") from None
    try:
        result = await rpc.call("tx", {"hash": base64.b64encode(digest).decode(), "prove": False})
        timestamp = await _block_time(rpc, int(result.get("height", 0)), {})
    except RpcError as e:
        # "tx (…) not found", or indexed while its block is not committed yet ("must be less than or equal…")
        if "not found" in str(e) or "must be less than or equal to the current blockchain height" in str(e):
            raise TxServiceError(NOT_FOUND, f"tx not found: {text}") from None
        raise
    tx, resp = tx_response(result, timestamp)
    return service_pb2.GetTxResponse(tx=tx, tx_response=resp)


def search_query(event_list: list[str]) -> str:
    """The tx_search query of GetTxsEvent's ``events`` (InvalidArgument as the SDK words it)."""
    if not event_list:
        raise TxServiceError(INVALID_ARGUMENT, "must declare at least one event to search")
    conditions = []
    for event in event_list:
        if event.count("=") != 1:
            raise TxServiceError(INVALID_ARGUMENT, f"invalid event; event {event} should be of the format: "
                                 "{eventType}.{eventAttribute}={value}")
        key, value = (part.strip() for part in event.split("="))
        quoted = value.startswith("'") and value.endswith("'") and len(value) >= 2
        conditions.append(f"{key}={value}" if key == "tx.height" or quoted else f"{key}='{value}'")
    return " AND ".join(conditions)


async def get_txs_event(rpc: Rpc, req: service_pb2.GetTxsEventRequest) -> service_pb2.GetTxsEventResponse:
    query = search_query(list(req.events))
    limit = min(req.pagination.limit or DEFAULT_LIMIT, MAX_PER_PAGE)
    page = req.pagination.offset // limit + 1
    order = {service_pb2.ORDER_BY_ASC: "asc", service_pb2.ORDER_BY_DESC: "desc"}.get(req.order_by, "")
    params = {"query": query, "prove": False, "page": str(page), "per_page": str(limit)}
    if order:
        params["order_by"] = order
    try:
        result = await rpc.call("tx_search", params)
    except RpcError as e:
        raise TxServiceError(INVALID_ARGUMENT, e.data or e.message) from None  # a bad query or page
    out = service_pb2.GetTxsEventResponse()
    out.pagination.total = int(result.get("total_count", 0))
    times: dict[int, str] = {}
    for item in result.get("txs") or []:
        tx, resp = tx_response(item, await _block_time(rpc, int(item.get("height", 0)), times))
        out.txs.append(tx if tx is not None else tx_pb2.Tx())
        out.tx_responses.append(resp)
    return out


async def abci_query(rpc: Rpc, path: str, data: bytes, height: int) -> QueryResult:
    """``abci_query`` on GET_TX_PATH / GET_TXS_EVENT_PATH at the latest ``height``, with the SDK's errors."""
    try:
        if path == GET_TX_PATH:
            value = (await get_tx(rpc, _decode(service_pb2.GetTxRequest, data).hash)).SerializeToString()
        else:
            req = _decode(service_pb2.GetTxsEventRequest, data)
            value = (await get_txs_event(rpc, req)).SerializeToString()
    except TxServiceError as e:
        return e.query_result(height)
    except RpcError as e:  # the node's RPC failed: baseapp wraps a non-status error as an invalid request
        return QueryResult(code=18, codespace="sdk", log=f"{e}: invalid request", height=height)
    return QueryResult(value=value, height=height)


def _decode(cls: type[Any], data: bytes) -> Any:
    try:
        return cls.FromString(data)
    except DecodeError:
        raise TxServiceError(INVALID_ARGUMENT, f"invalid {cls.DESCRIPTOR.name}") from None


TX_SERVICE_PATHS = frozenset({GET_TX_PATH, GET_TXS_EVENT_PATH})
