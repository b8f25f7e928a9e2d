"""CometBFT JSON-RPC shapes, without I/O: request params built here, answers parsed into client values."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from typing import Any

from google.protobuf.message import DecodeError, Message

from panacea.client.errors import (
    BroadcastError,
    ChainClientError,
    NodeUnreachableError,
    NotFoundError,
    QueryError,
    RpcCallError,
)
from panacea.client.types import BroadcastResult, Status, TxResponse, tx_hash
from panacea.types.events import Event
from panacea.types.grpc_status import NOT_FOUND, original_log, parse_status_log

DEFAULT_NODE = "tcp://127.0.0.1:26657"

def rpc_url(node: str) -> str:
    """CometBFT writes RPC addresses as tcp://host:port; HTTP clients need http://."""
    if node.startswith("tcp://"):
        return "http://" + node[len("tcp://") :]
    if not node.startswith(("http://", "https://")):
        return "http://" + node
    return node


def payload(request_id: int, method: str, params: dict[str, Any] | None) -> dict[str, Any]:
    """The JSON-RPC 2.0 request body."""
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": params or {}}


def rpc_result(node: str, body: Any) -> dict[str, Any]:
    """The ``result`` of a JSON-RPC answer; its ``error`` object raised as RpcCallError."""
    if not isinstance(body, dict):
        raise NodeUnreachableError(f"node {node} answered with an unexpected JSON-RPC body")
    if body.get("error") is not None:
        err = body["error"]
        raise RpcCallError(int(err.get("code", 0)), str(err.get("message", "")), str(err.get("data", "") or ""))
    result = body.get("result")
    if not isinstance(result, dict):
        raise NodeUnreachableError(f"node {node} answered without a result")
    return result


def abci_query_params(path: str, data: bytes, height: int) -> dict[str, Any]:
    return {"path": path, "data": data.hex(), "height": str(height), "prove": False}


def abci_value(path: str, result: dict[str, Any]) -> bytes:
    """The value of an ``abci_query`` answer; a non-zero code raised as QueryError (or NotFoundError)."""
    return base64.b64decode(abci_response(path, result).get("value") or "")


def abci_response(path: str, result: dict[str, Any]) -> dict[str, Any]:
    """The ``response`` of an ``abci_query`` answer; a non-zero code raised as QueryError (or NotFoundError)."""
    response = result.get("response", {})
    if not isinstance(response, dict):
        raise ChainClientError(f"malformed answer to {path}: no response object")
    code = int(response.get("code", 0))
    if code:
        codespace = str(response.get("codespace", ""))
        raw_log = log = str(response.get("log", ""))
        status = parse_status_log(raw_log)  # the SDK's "rpc error: code = … desc = …": the chain's own log back
        if status is not None:
            log = original_log(codespace, code, status[1])
        not_found = status is not None and status[0] == NOT_FOUND  # the chain's own class of the error
        raise (NotFoundError if not_found else QueryError)(path, code, codespace, log, raw_log)
    return response


def decode(cls: type[Message], raw: bytes, what: str) -> Any:
    try:
        return cls.FromString(raw)
    except DecodeError:
        raise ChainClientError(f"cannot decode the answer to {what}") from None


def status(result: dict[str, Any]) -> Status:
    info, sync = result.get("node_info", {}), result.get("sync_info", {})
    return Status(
        chain_id=str(info.get("network", "")),
        latest_height=int(sync.get("latest_block_height", 0)),
        latest_block_time=str(sync.get("latest_block_time", "")),
        latest_block_hash=str(sync.get("latest_block_hash", "")),
        latest_app_hash=str(sync.get("latest_app_hash", "")),
        moniker=str(info.get("moniker", "")),
        catching_up=bool(sync.get("catching_up", False)),
    )


def broadcast_params(tx_bytes: bytes) -> dict[str, Any]:
    return {"tx": base64.b64encode(tx_bytes).decode()}


def broadcast_result(tx_bytes: bytes, result: dict[str, Any]) -> BroadcastResult:
    """CheckTx's answer; a rejection raised as BroadcastError."""
    out = BroadcastResult(
        tx_hash=str(result.get("hash") or tx_hash(tx_bytes)),
        code=int(result.get("code", 0)),
        codespace=str(result.get("codespace", "")),
        log=str(result.get("log", "")),
    )
    if out.code:
        raise BroadcastError(out.tx_hash, out.code, out.log, out.codespace)
    return out


def events(items: Any) -> tuple[Event, ...]:
    """ABCI events from their CometBFT 0.38 JSON (plain-string attributes; missing keys default)."""
    return tuple(
        Event.from_pairs(str(e.get("type", "")), ((str(a.get("key", "")), str(a.get("value", "")))
                                                  for a in e.get("attributes") or []))
        for e in items or []
    )


def tx_response(result: dict[str, Any]) -> TxResponse:
    r = result.get("tx_result", {})
    return TxResponse(
        tx_hash=str(result.get("hash", "")).upper(),
        height=int(result.get("height", 0)),
        code=int(r.get("code", 0)),
        codespace=str(r.get("codespace", "")),
        raw_log=str(r.get("log", "")),
        gas_wanted=int(r.get("gas_wanted", 0)),
        gas_used=int(r.get("gas_used", 0)),
        data=base64.b64decode(r.get("data") or ""),
        events=events(r.get("events")),
    )


def tx_params(hash_hex: str) -> dict[str, Any]:
    try:
        raw = bytes.fromhex(hash_hex)
    except ValueError:
        raise ChainClientError(f"invalid tx hash {hash_hex!r}: not hex") from None
    if len(raw) != 32:
        raise ChainClientError(f"invalid tx hash {hash_hex!r}: need 32 bytes")
    return {"hash": base64.b64encode(raw).decode(), "prove": False}


def is_tx_not_found(e: RpcCallError) -> bool:
    return "not found" in e.data or "not found" in e.message


def block_params(height: int | None) -> dict[str, Any]:
    return {} if height is None else {"height": str(height)}


def poll_delays(timeout: float) -> Callable[[], float | None]:
    """Sleep 50 ms, then longer, up to 500 ms; ``None`` when the deadline has passed."""
    deadline = time.monotonic() + timeout
    delay = [0.05]

    def next_delay() -> float | None:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        d = min(delay[0], left)
        delay[0] = min(delay[0] * 1.5, 0.5)
        return d

    return next_delay
