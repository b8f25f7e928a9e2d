"""The SDK's tx service over ``abci_query`` on the embedded engine answers what the REST API answers."""

from __future__ import annotations

import base64
from typing import Any

import httpx

from panacea.node.rest.common import render
from panacea.node.txservice import GET_TX_PATH, GET_TXS_EVENT_PATH
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2
from tests.node.kit import RestNode


def abci_query(node: RestNode, path: str, data: bytes) -> dict[str, Any]:
    body = {"jsonrpc": "2.0", "id": 1, "method": "abci_query", "params": {"path": path, "data": data.hex()}}
    resp: dict[str, Any] = httpx.post(node.rpc_url, json=body, timeout=10).json()["result"]["response"]
    return resp


def test_get_tx_over_abci_query_is_the_rest_document(node: RestNode, world: dict[str, Any]) -> None:
    doc = world["deal2"]
    txhash = doc["tx_response"]["txhash"]
    resp = abci_query(node, GET_TX_PATH, service_pb2.GetTxRequest(hash=txhash.lower()).SerializeToString())
    assert render(service_pb2.GetTxResponse.FromString(base64.b64decode(resp["value"]))) == doc
    assert int(resp["height"]) >= int(doc["tx_response"]["height"])


def test_get_txs_event_over_abci_query_is_the_rest_document(node: RestNode, world: dict[str, Any]) -> None:
    req = service_pb2.GetTxsEventRequest(events=["message.action='CreateDeal'"])
    req.pagination.limit = 2
    resp = abci_query(node, GET_TXS_EVENT_PATH, req.SerializeToString())
    got = render(service_pb2.GetTxsEventResponse.FromString(base64.b64decode(resp["value"])))
    rest = node.ok("/cosmos/tx/v1beta1/txs", **{"events": "message.action='CreateDeal'", "pagination.limit": "2"})
    assert got == rest and [t["txhash"] for t in got["tx_responses"]] == [
        world[f"deal{i}"]["tx_response"]["txhash"] for i in (1, 2)]


def test_tx_service_errors_are_the_sdk_query_errors(node: RestNode) -> None:
    unknown = "ab" * 32
    resp = abci_query(node, GET_TX_PATH, service_pb2.GetTxRequest(hash=unknown).SerializeToString())
    assert {k: resp[k] for k in ("code", "codespace", "log")} == {
        "code": 22, "codespace": "sdk",
        "log": f"rpc error: code = NotFound desc = tx not found: {unknown}: key not found"}
    resp = abci_query(node, GET_TX_PATH, service_pb2.GetTxRequest(hash="xyz").SerializeToString())
    assert (resp["code"], resp["log"]) == (
        18, "rpc error: code = InvalidArgument desc = invalid tx hash 'xyz': not hex: invalid request")
    resp = abci_query(node, GET_TXS_EVENT_PATH, service_pb2.GetTxsEventRequest().SerializeToString())
    assert (resp["code"], resp["log"]) == (
        18, "rpc error: code = InvalidArgument desc = must declare at least one event to search: invalid request")
    resp = abci_query(node, GET_TX_PATH, b"\xff\xff")
    assert (resp["code"], resp["log"]) == (
        18, "rpc error: code = InvalidArgument desc = invalid GetTxRequest: invalid request")
