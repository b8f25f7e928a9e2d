"""CometBFT 0.38 JSON-RPC over the embedded engine: ``POST /`` (JSON-RPC 2.0), ``GET /<method>?k=v`` and the
``/websocket`` subscriptions, with CometBFT's result shapes and errors (spec/cometbft.md §4).

``LocalRpc(engine)`` runs the same handlers in-process for the REST API (the ``Rpc`` protocol).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from panacea.chain.app import PROOF_OP_TYPE, proven_key
from panacea.node.blockstore import BlockResults, TxRecord
from panacea.node.cometbft_types import (
    BLOCK_PROTOCOL,
    COMETBFT_VERSION,
    P2P_PROTOCOL,
    Block,
    BlockID,
    ExecResult,
    b64,
    event_json,
    hexu,
    merkle_proofs,
    time_json,
    tx_hash,
)
from panacea.node.engine import Engine, MempoolError, Subscription
from panacea.node.events_query import QueryError, parse_query
from panacea.node.privval import node_id
from panacea.node.rpc_api import RpcError

BROADCAST_COMMIT_TIMEOUT = 10.0  # timeout_broadcast_tx_commit
MAX_SUBSCRIPTIONS_PER_CLIENT = 5
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 30
ZERO_TIME = "0001-01-01T00:00:00Z"
_JSON_HEADERS = {"content-type": "application/json"}

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603


def internal(data: str) -> RpcError:
    return RpcError(INTERNAL_ERROR, "Internal error", data)


def invalid_params(data: str) -> RpcError:
    return RpcError(INVALID_PARAMS, "Invalid params", f"error converting json params to arguments: {data}")


# --- params -------------------------------------------------------------------------------------------------
# kind per parameter name: how POST (JSON) and GET (URI) values are decoded
_KINDS = {
    "tx": "bytes",
    "hash": "hash",
    "data": "hex",
    "path": "str",
    "query": "str",
    "order_by": "str",
    "height": "int",
    "page": "int",
    "per_page": "int",
    "limit": "int",
    "prove": "bool",
}


class Params:
    def __init__(self, values: dict[str, Any], uri: bool = False) -> None:
        self.values = values
        self.uri = uri

    def _raw(self, name: str) -> Any:
        value = self.values.get(name)
        if self.uri and isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
            return value[1:-1]
        return value

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "")

    def get_str(self, name: str, default: str = "") -> str:
        value = self._raw(name)
        if value is None:
            return default
        if not isinstance(value, str):
            raise invalid_params(f"{name} must be a string")
        return value

    def get_int(self, name: str, default: int = 0) -> int:
        value = self._raw(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            raise invalid_params(f"{name} must be an integer")
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                pass
        raise invalid_params(f"invalid 64-bit integer encoding for {name}: {value!r}")

    def get_bool(self, name: str) -> bool:
        value = self._raw(name)
        if value is None or value == "":
            return False
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        raise invalid_params(f"{name} must be a boolean")

    def get_bytes(self, name: str) -> bytes:
        """`tx`: base64 in POST; 0x<hex> or "text" in GET."""
        value = self.values.get(name)
        if value is None:
            return b""
        if not isinstance(value, str):
            raise invalid_params(f"{name} must be a string")
        if self.uri:
            return _uri_bytes(name, value)
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise invalid_params(f"{name} is not valid base64") from None

    def get_hex(self, name: str) -> bytes:
        value = self.values.get(name)
        if value is None or value == "":
            return b""
        if not isinstance(value, str):
            raise invalid_params(f"{name} must be a string")
        if self.uri:
            return _uri_bytes(name, value)
        try:
            return bytes.fromhex(value.removeprefix("0x"))
        except ValueError:
            raise invalid_params(f"{name} is not valid hex") from None

    def get_hash(self, name: str) -> bytes:
        """A tx hash: hex (64 digits, optional 0x, as in GET and LocalRpc) or base64 (CometBFT POST)."""
        value = self.values.get(name)
        if not isinstance(value, str) or not value:
            raise invalid_params(f"{name} is required")
        text = value.strip('"')
        # 0x is a hex prefix only before hex: base64 text may itself begin with "0x" (one hash in ~2,000).
        digits = text[2:] if text[:2] in ("0x", "0X") else text
        if len(digits) == 64:
            try:
                return bytes.fromhex(digits)
            except ValueError:
                pass
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise invalid_params(f"{name} is neither hex nor base64") from None


def _uri_bytes(name: str, value: str) -> bytes:
    if value.startswith(("0x", "0X")):
        try:
            return bytes.fromhex(value[2:])
        except ValueError:
            raise invalid_params(f"{name} is not valid hex") from None
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].encode()
    raise invalid_params(f"{name} must be 0x-prefixed hex or a quoted string")


# --- JSON shapes --------------------------------------------------------------------------------------------
def tx_result_json(rec: TxRecord, prove: bool = False, block: Block | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "hash": hexu(rec.hash),
        "height": str(rec.height),
        "index": rec.index,
        "tx_result": rec.result.to_json(),
        "tx": b64(rec.tx),
    }
    if prove and block is not None:
        root, aunts = merkle_proofs([tx_hash(t) for t in block.txs])
        out["proof"] = {
            "root_hash": hexu(root),
            "data": b64(rec.tx),
            "proof": {
                "total": str(len(block.txs)),
                "index": str(rec.index),
                "leaf_hash": b64(_leaf(tx_hash(rec.tx))),
                "aunts": [b64(a) for a in aunts[rec.index]],
            },
        }
    return out


def _leaf(item: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + item).digest()


def finalize_block_json(results: BlockResults) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if results.events:
        out["events"] = [event_json(e) for e in results.events]
    if results.tx_results:
        out["tx_results"] = [r.to_json() for r in results.tx_results]
    if results.app_hash:
        out["app_hash"] = b64(results.app_hash)
    return out


def event_data_tx(rec: TxRecord) -> dict[str, Any]:
    inner: dict[str, Any] = {"height": str(rec.height)}
    if rec.index:
        inner["index"] = rec.index
    inner["tx"] = b64(rec.tx)
    inner["result"] = rec.result.to_json()
    return {"type": "tendermint/event/Tx", "value": {"TxResult": inner}}


def event_data_new_block(block: Block, block_id: BlockID, results: BlockResults) -> dict[str, Any]:
    return {
        "type": "tendermint/event/NewBlock",
        "value": {"block": block.to_json(), "block_id": block_id.to_json(),
                  "result_finalize_block": finalize_block_json(results)},
    }


def _check_tx_json(r: ExecResult) -> dict[str, Any]:
    return r.to_json()


# --- handlers -----------------------------------------------------------------------------------------------
Handler = Callable[[Engine, Params], Awaitable[dict[str, Any]]]


def _height(engine: Engine, p: Params) -> int:
    latest, base = engine.height, engine.blocks.base
    if not p.has("height"):
        return latest
    h = p.get_int("height")
    if h <= 0:
        raise internal(f"height must be greater than 0, but got {h}")
    if h > latest:
        raise internal(f"height {h} must be less than or equal to the current blockchain height {latest}")
    if h < base:
        raise internal(f"height {h} is not available, lowest height is {base}")
    return h


def _page(p: Params, total: int) -> tuple[int, int]:
    per_page = p.get_int("per_page", DEFAULT_PER_PAGE)
    if per_page < 1:
        per_page = DEFAULT_PER_PAGE
    per_page = min(per_page, MAX_PER_PAGE)
    pages = max(1, math.ceil(total / per_page))
    page = p.get_int("page", 1)
    if page < 1 or page > pages:
        raise internal(f"page should be within [1, {pages}] range, given {page}")
    return (page - 1) * per_page, per_page


async def h_health(engine: Engine, p: Params) -> dict[str, Any]:
    return {}


async def h_status(engine: Engine, p: Params) -> dict[str, Any]:
    latest = engine.latest_header()
    base = engine.blocks.base
    earliest = engine.blocks.block(base) if base else None
    latest_id = engine.blocks.block_id(engine.height) if engine.height else None
    earliest_id = engine.blocks.block_id(base) if base else None
    me = next(v for v in engine.validators if v.pub_key == engine.privval.pub_key)
    return {
        "node_info": {
            "protocol_version": {"p2p": str(P2P_PROTOCOL), "block": str(BLOCK_PROTOCOL),
                                 "app": str(engine.app_version)},
            "id": node_id(engine.node_key),
            "listen_addr": "tcp://0.0.0.0:26656",
            "network": engine.chain_id,
            "version": COMETBFT_VERSION,
            "channels": "40202122233038606100",
            "moniker": me.name or "panacea-embedded",
            "other": {"tx_index": "on", "rpc_address": engine.config.rpc_laddr},
        },
        "sync_info": {
            "latest_block_hash": hexu(latest_id.hash) if latest_id else "",
            "latest_app_hash": hexu(latest.app_hash) if latest else "",
            "latest_block_height": str(engine.height),
            "latest_block_time": time_json(latest.time_ns) if latest else ZERO_TIME,
            "earliest_block_hash": hexu(earliest_id.hash) if earliest_id else "",
            "earliest_app_hash": hexu(earliest.header.app_hash) if earliest else "",
            "earliest_block_height": str(base),
            "earliest_block_time": time_json(earliest.header.time_ns) if earliest else ZERO_TIME,
            "catching_up": False,
        },
        "validator_info": {"address": hexu(me.address), "pub_key": me.pub_key_json(), "voting_power": str(me.power)},
    }


async def h_net_info(engine: Engine, p: Params) -> dict[str, Any]:
    return {"listening": True, "listeners": [], "n_peers": "0", "peers": []}


async def h_abci_info(engine: Engine, p: Params) -> dict[str, Any]:
    info = await engine.run_app(engine.info)
    resp: dict[str, Any] = {}
    if info.data:
        resp["data"] = info.data
    if info.version:
        resp["version"] = info.version
    if info.app_version:
        resp["app_version"] = str(info.app_version)
    if info.last_block_height:
        resp["last_block_height"] = str(info.last_block_height)
    if info.last_block_app_hash:
        resp["last_block_app_hash"] = b64(info.last_block_app_hash)
    return {"response": resp}


async def h_abci_query(engine: Engine, p: Params) -> dict[str, Any]:
    path, data, height, prove = p.get_str("path"), p.get_hex("data"), p.get_int("height"), p.get_bool("prove")
    if height < 0:
        raise internal("height cannot be negative")
    r = await engine.query(path, data, height, prove)
    resp: dict[str, Any] = {}
    if r.code:
        resp["code"] = r.code
    if r.log:
        resp["log"] = r.log
    if r.key:
        resp["key"] = b64(r.key)
    if r.value:
        resp["value"] = b64(r.value)
    if r.proof is not None:
        resp["proof_ops"] = {"ops": [{"type": PROOF_OP_TYPE, "key": b64(proven_key(path, r.key)),
                                      "data": b64(r.proof.to_bytes())}]}
    if r.height:
        resp["height"] = str(r.height)
    if r.codespace:
        resp["codespace"] = r.codespace
    return {"response": resp}


async def _broadcast(engine: Engine, tx: bytes) -> ExecResult:
    try:
        return await engine.broadcast(tx)
    except MempoolError as e:
        raise internal(str(e)) from None


async def h_broadcast_tx_async(engine: Engine, p: Params) -> dict[str, Any]:
    tx = p.get_bytes("tx")
    task = asyncio.ensure_future(engine.broadcast(tx))
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
    return {"code": 0, "data": "", "log": "", "codespace": "", "hash": hexu(tx_hash(tx))}


async def h_broadcast_tx_sync(engine: Engine, p: Params) -> dict[str, Any]:
    tx = p.get_bytes("tx")
    r = await _broadcast(engine, tx)
    return {"code": r.code, "data": hexu(r.data), "log": r.log, "codespace": r.codespace, "hash": hexu(tx_hash(tx))}


async def h_broadcast_tx_commit(engine: Engine, p: Params) -> dict[str, Any]:
    tx = p.get_bytes("tx")
    h = tx_hash(tx)
    waiter = asyncio.ensure_future(engine.wait_for_tx(h, BROADCAST_COMMIT_TIMEOUT))
    try:
        check = await _broadcast(engine, tx)
    except BaseException:
        waiter.cancel()
        raise
    if check.code:
        waiter.cancel()
        return {"check_tx": _check_tx_json(check), "tx_result": {}, "hash": hexu(h), "height": "0"}
    try:
        rec = await waiter
    except TimeoutError:
        raise internal("timed out waiting for tx to be included in a block") from None
    return {"check_tx": _check_tx_json(check), "tx_result": rec.result.to_json(), "hash": hexu(h),
            "height": str(rec.height)}


async def h_check_tx(engine: Engine, p: Params) -> dict[str, Any]:
    return _check_tx_json(await engine.check_tx(p.get_bytes("tx")))


async def h_tx(engine: Engine, p: Params) -> dict[str, Any]:
    h = p.get_hash("hash")
    rec = engine.blocks.tx(h)
    if rec is None:
        raise internal(f"tx ({hexu(h)}) not found")
    prove = p.get_bool("prove")
    return tx_result_json(rec, prove, engine.blocks.block(rec.height) if prove else None)


async def h_tx_search(engine: Engine, p: Params) -> dict[str, Any]:
    try:
        query = parse_query(p.get_str("query"))
    except QueryError as e:
        raise internal(str(e)) from None
    order = p.get_str("order_by")
    if order not in ("", "asc", "desc"):
        raise internal("expected order_by to be either `asc` or `desc` or empty")
    records = engine.blocks.search_txs(query)
    if order == "desc":
        records.reverse()
    skip, per_page = _page(p, len(records))
    prove = p.get_bool("prove")
    page = records[skip : skip + per_page]
    return {
        "txs": [tx_result_json(r, prove, engine.blocks.block(r.height) if prove else None) for r in page],
        "total_count": str(len(records)),
    }


def _block_result(engine: Engine, height: int) -> dict[str, Any]:
    block = engine.blocks.block(height) if height else None
    block_id = engine.blocks.block_id(height) if height else None
    if block is None or block_id is None:
        return {"block_id": BlockID().to_json(), "block": None}
    return {"block_id": block_id.to_json(), "block": block.to_json()}


async def h_block(engine: Engine, p: Params) -> dict[str, Any]:
    return _block_result(engine, _height(engine, p))


async def h_block_by_hash(engine: Engine, p: Params) -> dict[str, Any]:
    height = engine.blocks.height_of(p.get_hash("hash"))
    return _block_result(engine, height or 0)


async def h_header(engine: Engine, p: Params) -> dict[str, Any]:
    block = engine.blocks.block(_height(engine, p))
    return {"header": block.header.to_json() if block else None}


async def h_block_results(engine: Engine, p: Params) -> dict[str, Any]:
    height = _height(engine, p)
    results = engine.blocks.results(height)
    if results is None:
        raise internal(f"could not find results for height #{height}")
    return {
        "height": str(height),
        "txs_results": [r.to_json() for r in results.tx_results] or None,
        "finalize_block_events": [event_json(e) for e in results.events] or None,
        "validator_updates": None,
        "consensus_param_updates": None,
        "app_hash": b64(results.app_hash),
    }


async def h_commit(engine: Engine, p: Params) -> dict[str, Any]:
    height = _height(engine, p)
    block = engine.blocks.block(height)
    if block is None:
        raise internal(f"block {height} not found")
    if height == engine.height:
        commit, canonical = engine.blocks.seen_commit(height), False
    else:
        nxt = engine.blocks.block(height + 1)
        commit, canonical = (nxt.last_commit if nxt else None), True
    return {"signed_header": {"header": block.header.to_json(), "commit": commit.to_json() if commit else None},
            "canonical": canonical}


async def h_validators(engine: Engine, p: Params) -> dict[str, Any]:
    height = _height(engine, p)
    vals = list(engine.validators)
    skip, per_page = _page(p, len(vals))
    page = vals[skip : skip + per_page]
    return {"block_height": str(height), "validators": [v.to_json() for v in page], "count": str(len(page)),
            "total": str(len(vals))}


async def h_genesis(engine: Engine, p: Params) -> dict[str, Any]:
    return {"genesis": engine.genesis.raw}


async def h_consensus_params(engine: Engine, p: Params) -> dict[str, Any]:
    height = _height(engine, p)
    g = engine.genesis
    return {"block_height": str(height), "consensus_params": {
        "block": {"max_bytes": str(g.max_bytes), "max_gas": str(g.max_gas)},
        "evidence": {"max_age_num_blocks": "100000", "max_age_duration": "172800000000000", "max_bytes": "1048576"},
        "validator": {"pub_key_types": ["ed25519"]},
        "version": {"app": str(engine.app_version)},
        "abci": {"vote_extensions_enable_height": "0"},
    }}


async def h_num_unconfirmed_txs(engine: Engine, p: Params) -> dict[str, Any]:
    n = len(engine.mempool)
    return {"n_txs": str(n), "total": str(n), "total_bytes": str(engine.mempool.bytes), "txs": None}


async def h_unconfirmed_txs(engine: Engine, p: Params) -> dict[str, Any]:
    limit = p.get_int("limit", DEFAULT_PER_PAGE)
    limit = DEFAULT_PER_PAGE if limit < 1 else min(limit, MAX_PER_PAGE)
    txs = engine.mempool.snapshot(limit)
    return {"n_txs": str(len(txs)), "total": str(len(engine.mempool)), "total_bytes": str(engine.mempool.bytes),
            "txs": [b64(t) for t in txs]}


HANDLERS: dict[str, tuple[Handler, tuple[str, ...]]] = {
    "health": (h_health, ()),
    "status": (h_status, ()),
    "net_info": (h_net_info, ()),
    "abci_info": (h_abci_info, ()),
    "abci_query": (h_abci_query, ("path", "data", "height", "prove")),
    "broadcast_tx_async": (h_broadcast_tx_async, ("tx",)),
    "broadcast_tx_sync": (h_broadcast_tx_sync, ("tx",)),
    "broadcast_tx_commit": (h_broadcast_tx_commit, ("tx",)),
    "check_tx": (h_check_tx, ("tx",)),
    "tx": (h_tx, ("hash", "prove")),
    "tx_search": (h_tx_search, ("query", "prove", "page", "per_page", "order_by")),
    "block": (h_block, ("height",)),
    "block_by_hash": (h_block_by_hash, ("hash",)),
    "header": (h_header, ("height",)),
    "block_results": (h_block_results, ("height",)),
    "commit": (h_commit, ("height",)),
    "validators": (h_validators, ("height", "page", "per_page")),
    "genesis": (h_genesis, ()),
    "consensus_params": (h_consensus_params, ("height",)),
    "num_unconfirmed_txs": (h_num_unconfirmed_txs, ()),
    "unconfirmed_txs": (h_unconfirmed_txs, ("limit",)),
}
WS_ONLY = ("subscribe", "unsubscribe", "unsubscribe_all")


async def dispatch(engine: Engine, method: str, params: Any, *, uri: bool = False) -> dict[str, Any]:
    entry = HANDLERS.get(method)
    if entry is None:
        raise RpcError(METHOD_NOT_FOUND, "Method not found")
    handler, names = entry
    if params is None:
        params = {}
    if isinstance(params, list):
        if len(params) != len(names):
            raise invalid_params(f"expected {len(names)} parameters ({names}), got {len(params)}")
        params = dict(zip(names, params, strict=True))
    if not isinstance(params, dict):
        raise invalid_params("params must be an object or an array")
    try:
        return await handler(engine, Params(params, uri))
    except RpcError:
        raise
    except Exception as e:  # a handler bug answers as CometBFT does, without killing the server
        raise internal(f"{type(e).__name__}: {e}") from None


class LocalRpc:
    """The `Rpc` protocol in-process: the same handlers, no HTTP."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        return await dispatch(self.engine, method, params)


# --- HTTP / websocket ---------------------------------------------------------------------------------------
def _dumps(obj: Any) -> bytes:
    return orjson.dumps(obj)


def _error_obj(request_id: Any, e: RpcError) -> dict[str, Any]:
    err: dict[str, Any] = {"code": e.code, "message": e.message}
    if e.data:
        err["data"] = e.data
    return {"jsonrpc": "2.0", "id": request_id, "error": err}


async def _run_one(engine: Engine, req: Any) -> dict[str, Any] | None:
    if not isinstance(req, dict):
        return _error_obj(None, RpcError(INVALID_REQUEST, "Invalid Request", "request must be an object"))
    request_id = req.get("id")
    if "id" not in req or request_id is None:
        return None  # a notification
    method = req.get("method")
    if req.get("jsonrpc") != "2.0" or not isinstance(method, str):
        return _error_obj(request_id, RpcError(INVALID_REQUEST, "Invalid Request", "jsonrpc must be 2.0"))
    try:
        result = await dispatch(engine, method, req.get("params"))
    except RpcError as e:
        return _error_obj(request_id, e)
    return {"jsonrpc": "2.0", "id": request_id, "result": result}


async def _post(engine: Engine, body: bytes) -> tuple[int, bytes]:
    """POST / → (HTTP status, JSON body); empty for a notification."""
    try:
        req = orjson.loads(body)
    except orjson.JSONDecodeError:
        req = None  # the stdlib parser gives the error text (and accepts what it accepts)
    try:
        req = json.loads(body) if req is None else req
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        return 500, _dumps(_error_obj(None, RpcError(PARSE_ERROR, "Parse error", f"error unmarshaling request: {e}")))
    if isinstance(req, list):
        if not req or len(req) > 10:
            error = RpcError(INVALID_REQUEST, "Invalid Request", "batch of 1 to 10 requests")
            return 200, _dumps(_error_obj(None, error))
        answers = [a for a in [await _run_one(engine, r) for r in req] if a is not None]
        return 200, _dumps(answers)
    answer = await _run_one(engine, req)
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


def create_rpc_app(engine: Engine) -> ASGIApp:
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
            return Response(_dumps(_error_obj(-1, e)), status_code=status, headers=_JSON_HEADERS)
        return Response(_dumps({"jsonrpc": "2.0", "id": -1, "result": result}), headers=_JSON_HEADERS)

    async def websocket(ws: WebSocket) -> None:
        await _serve_websocket(engine, ws)

    return _FastPost(engine, Starlette(routes=[
        Route("/", get_root, methods=["GET"]),
        WebSocketRoute("/websocket", websocket),
        Route("/{method}", get_method, methods=["GET"]),
    ]))


async def _serve_websocket(engine: Engine, ws: WebSocket) -> None:
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
            return await _run_one(engine, req)
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
            return _error_obj(request_id, e)

    try:
        while True:
            text = await ws.receive_text()
            try:
                req = json.loads(text)
            except json.JSONDecodeError as e:
                await send(_error_obj(None, RpcError(PARSE_ERROR, "Parse error", f"error unmarshaling request: {e}")))
                continue
            if not isinstance(req, dict):
                await send(_error_obj(None, RpcError(INVALID_REQUEST, "Invalid Request", "expected an object")))
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


__all__ = ["HANDLERS", "LocalRpc", "create_rpc_app", "dispatch", "event_data_new_block", "event_data_tx"]
