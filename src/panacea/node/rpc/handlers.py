"""The CometBFT 0.38 JSON-RPC methods over the embedded engine, with CometBFT's result shapes and errors
(spec/cometbft.md §4); ``LocalRpc(engine)`` runs them in-process for the REST API (the ``Rpc`` protocol)."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import Any

from panacea.chain.app import PROOF_OP_TYPE, proven_key
from panacea.node import txservice
from panacea.node.cometbft.query import QueryError, parse_query
from panacea.node.cometbft.results import ExecResult, event_json, tx_result_json
from panacea.node.engine.engine import Engine
from panacea.node.engine.mempool import MempoolError
from panacea.node.engine.privval import node_id
from panacea.node.rpc.api import RpcError
from panacea.node.rpc.params import METHOD_NOT_FOUND, Params, internal, invalid_params
from panacea.types.cometbft.encoding import b64, hexu, time_json, tx_hash
from panacea.types.cometbft.types import BLOCK_PROTOCOL, COMETBFT_VERSION, P2P_PROTOCOL, BlockID

log = logging.getLogger(__name__)

BROADCAST_COMMIT_TIMEOUT = 10.0  # timeout_broadcast_tx_commit
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 30
ZERO_TIME = "0001-01-01T00:00:00Z"


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
    rpc_address = engine.listen.get("rpc", engine.config.rpc_laddr)
    return {
        "node_info": {
            "protocol_version": {"p2p": str(P2P_PROTOCOL), "block": str(BLOCK_PROTOCOL),
                                 "app": str(engine.app_version)},
            "id": node_id(engine.node_key),
            "listen_addr": rpc_address,  # no p2p here: the JSON-RPC address the node really listens on
            "network": engine.chain_id,
            "version": COMETBFT_VERSION,
            "channels": "40202122233038606100",
            "moniker": me.name or "panacea-embedded",
            "other": {"tx_index": "on", "rpc_address": rpc_address},
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
    if path in txservice.TX_SERVICE_PATHS:  # the SDK's tx service answers from the node's tx index
        r = await txservice.abci_query(LocalRpc(engine), path, data, engine.height)
    else:
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
    if r.proof is not None:  # CometBFT writes ResponseQuery with jsonpb: the field is "proofOps"
        resp["proofOps"] = {"ops": [{"type": PROOF_OP_TYPE, "key": b64(proven_key(path, r.key)),
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
    if not h:
        raise internal("transaction hash cannot be empty")
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
    except Exception:  # a handler bug: logged here, answered without Python internals
        log.exception("JSON-RPC %s failed", method)
        raise internal(f"{method} failed: internal error (see the node log)") from None


class LocalRpc:
    """The `Rpc` protocol in-process: the same handlers, no HTTP."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        return await dispatch(self.engine, method, params)
