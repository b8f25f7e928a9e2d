"""``cosmos.base.tendermint.v1beta1.Service`` (blocks, node info, syncing) and the x/params query
(``/cosmos/params/v1beta1/params``), rendered from CometBFT JSON-RPC results."""

from __future__ import annotations

import base64
import json
import platform
from typing import Any

from google.protobuf import timestamp_pb2
from starlette.requests import Request

import panacea
from panacea.node.rest.common import (
    JSON,
    Endpoint,
    RestContext,
    RestError,
    build_request,
    invalid,
    query_height,
    render,
)
from panacea.types.grpc_status import INVALID_ARGUMENT
from panacea.types.pb.cosmos.base.tendermint.v1beta1 import query_pb2 as tm_query
from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2 as gov_query
from panacea.types.pb.cosmos.params.v1beta1 import query_pb2 as params_query
from panacea.types.pb.panacea.oracle.v2 import query_pb2 as oracle_query
from panacea.types.pb.tendermint.types import block_pb2, evidence_pb2, types_pb2
from panacea.types.protojson import to_json

COSMOS_SDK_API = "v0.45.12"


# --- CometBFT block JSON → tendermint.types protobuf ---------------------------------------------------
def _hex(text: Any) -> bytes:
    return bytes.fromhex(text) if text else b""


def _b64(text: Any) -> bytes:
    return base64.b64decode(text) if text else b""


def _time(text: Any) -> timestamp_pb2.Timestamp:
    ts = timestamp_pb2.Timestamp()
    if text:
        ts.FromJsonString(str(text))
    return ts


def _block_id(j: Any) -> types_pb2.BlockID:
    j = j or {}
    parts = j.get("parts") or j.get("part_set_header") or {}
    return types_pb2.BlockID(hash=_hex(j.get("hash")),
                             part_set_header=types_pb2.PartSetHeader(total=int(parts.get("total", 0) or 0),
                                                                     hash=_hex(parts.get("hash"))))


def _header(j: JSON) -> types_pb2.Header:
    version = j.get("version") or {}
    h = types_pb2.Header(chain_id=str(j.get("chain_id", "")), height=int(j.get("height", 0)),
                         time=_time(j.get("time")), last_block_id=_block_id(j.get("last_block_id")))
    h.version.block = int(version.get("block", 0) or 0)
    h.version.app = int(version.get("app", 0) or 0)
    for name in ("last_commit_hash", "data_hash", "validators_hash", "next_validators_hash", "consensus_hash",
                 "app_hash", "last_results_hash", "evidence_hash", "proposer_address"):
        setattr(h, name, _hex(j.get(name)))
    return h


def _commit(j: JSON | None) -> types_pb2.Commit:
    j = j or {}
    commit = types_pb2.Commit(height=int(j.get("height", 0) or 0), round=int(j.get("round", 0) or 0),
                              block_id=_block_id(j.get("block_id")))
    for sig in j.get("signatures") or []:
        commit.signatures.add(block_id_flag=int(sig.get("block_id_flag", 0) or 0),
                              validator_address=_hex(sig.get("validator_address")),
                              timestamp=_time(sig.get("timestamp")), signature=_b64(sig.get("signature")))
    return commit


def block_response(result: JSON) -> tm_query.GetLatestBlockResponse:
    """The ``block`` RPC result as GetLatestBlockResponse (GetBlockByHeightResponse has the same fields)."""
    block = result.get("block") or {}
    txs = [_b64(t) for t in (block.get("data") or {}).get("txs") or []]
    return tm_query.GetLatestBlockResponse(
        block_id=_block_id(result.get("block_id")),
        block=block_pb2.Block(header=_header(block.get("header") or {}), data=types_pb2.Data(txs=txs),
                              evidence=evidence_pb2.EvidenceList(),
                              last_commit=_commit(block.get("last_commit"))))


# --- handlers --------------------------------------------------------------------------------------------
async def latest_block(ctx: RestContext, _request: Request) -> JSON:
    return render(block_response(await ctx.call("block", {})))


async def block_by_height(ctx: RestContext, request: Request) -> JSON:
    req = build_request(tm_query.GetBlockByHeightRequest, request.path_params, None)
    assert isinstance(req, tm_query.GetBlockByHeightRequest)
    if req.height <= 0:
        raise invalid(f"height must be greater than 0, but got {req.height}")
    status = await ctx.call("status", {})
    latest = int(status.get("sync_info", {}).get("latest_block_height", 0))
    if req.height > latest:
        raise invalid("requested block height is bigger then the chain length")
    return render(block_response(await ctx.call("block", {"height": str(req.height)})))


async def node_info(ctx: RestContext, _request: Request) -> JSON:
    node = (await ctx.call("status", {})).get("node_info", {})
    proto = node.get("protocol_version") or {}
    other = node.get("other") or {}
    resp = tm_query.GetNodeInfoResponse()
    info = resp.default_node_info
    info.protocol_version.p2p = int(proto.get("p2p", 0) or 0)
    info.protocol_version.block = int(proto.get("block", 0) or 0)
    info.protocol_version.app = int(proto.get("app", 0) or 0)
    info.default_node_id = str(node.get("id", ""))
    info.listen_addr = str(node.get("listen_addr", ""))
    info.network = str(node.get("network", ""))
    info.version = str(node.get("version", ""))
    info.channels = _hex(node.get("channels"))
    info.moniker = str(node.get("moniker", ""))
    info.other.tx_index = str(other.get("tx_index", ""))
    info.other.rpc_address = str(other.get("rpc_address", ""))
    app = resp.application_version
    app.name, app.app_name, app.version = "panacea", "panacead", panacea.__version__
    app.go_version = f"python {platform.python_version()}"
    app.cosmos_sdk_version = COSMOS_SDK_API  # the SDK whose API and semantics this node reproduces
    return render(resp)


async def syncing(ctx: RestContext, _request: Request) -> JSON:
    status = await ctx.call("status", {})
    return {"syncing": bool(status.get("sync_info", {}).get("catching_up", False))}


# --- x/params: subspace + key → the value's (amino) JSON text -------------------------------------------
_BASEAPP = {"BlockParams": "block", "EvidenceParams": "evidence", "ValidatorParams": "validator"}
_ORACLE = {"OraclePublicKey": "oracle_public_key", "OraclePubKeyRemoteReport": "oracle_pub_key_remote_report",
           "UniqueID": "unique_id", "SignatureDigest": "signature_digest"}
_GOV = {"depositparams": ("deposit", "deposit_params"), "votingparams": ("voting", "voting_params"),
        "tallyparams": ("tallying", "tally_params")}


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _amino_durations(obj: JSON) -> JSON:
    """Go's amino JSON writes time.Duration as a string of nanoseconds ("172800s" → "172800000000000")."""
    out = dict(obj)
    for key, value in obj.items():
        if key.endswith("_period") and isinstance(value, str) and value.endswith("s"):
            seconds, _, frac = value[:-1].partition(".")
            out[key] = str(int(seconds) * 10**9 + int((frac + "000000000")[:9]))
    return out


async def _param_value(ctx: RestContext, subspace: str, key: str, height: int) -> str:
    if subspace == "baseapp":
        section = _BASEAPP.get(key)
        if section is None:
            return ""
        params = (await ctx.call("consensus_params", {})).get("consensus_params", {})
        return _compact(params.get(section) or {})
    if subspace == "oracle":
        if key not in _ORACLE:
            return ""
        resp = await ctx.query("/panacea.oracle.v2.Query/Params", oracle_query.QueryOracleParamsRequest(), height)
        return _compact(to_json(resp).get("params", {}).get(_ORACLE[key], ""))
    if subspace == "gov":
        if key not in _GOV:
            return ""
        params_type, field = _GOV[key]
        resp = await ctx.query("/cosmos.gov.v1beta1.Query/Params",
                               gov_query.QueryParamsRequest(params_type=params_type), height)
        return _compact(_amino_durations(to_json(resp)[field]))
    raise RestError(INVALID_ARGUMENT, f"{subspace}: unknown subspace")


async def params(ctx: RestContext, request: Request) -> JSON:
    req = build_request(params_query.QueryParamsRequest, {}, request)
    assert isinstance(req, params_query.QueryParamsRequest)
    if not req.subspace or not req.key:
        raise invalid("invalid request")
    value = await _param_value(ctx, req.subspace, req.key, query_height(request))
    resp = params_query.QueryParamsResponse()
    resp.param.subspace, resp.param.key, resp.param.value = req.subspace, req.key, value
    return render(resp)


TENDERMINT_ROUTES = [
    Endpoint("GET", "/cosmos/base/tendermint/v1beta1/blocks/latest", latest_block),
    Endpoint("GET", "/cosmos/base/tendermint/v1beta1/blocks/{height}", block_by_height),
    Endpoint("GET", "/cosmos/base/tendermint/v1beta1/node_info", node_info),
    Endpoint("GET", "/cosmos/base/tendermint/v1beta1/syncing", syncing),
    Endpoint("GET", "/cosmos/params/v1beta1/params", params),
]

__all__ = ["TENDERMINT_ROUTES", "block_response"]
