"""One bound on request bodies for JSON-RPC and REST: 413 past ``[rpc] max-body-bytes``, the default admits the
largest tx the genesis allows."""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import httpx

from panacea.node.bodylimit import default_max_body_bytes
from panacea.types.cometbft.types import DEFAULT_MAX_BYTES
from tests.node.kit import RestNode, init_home

LIMIT = 4096
MESSAGE = f"request body too large: the limit is {LIMIT} bytes ([rpc] max-body-bytes in app.toml)"


def test_the_default_admits_a_broadcast_of_the_largest_tx() -> None:
    assert default_max_body_bytes(DEFAULT_MAX_BYTES) == 29_425_664
    assert default_max_body_bytes(1_048_576) == 1_463_640
    assert default_max_body_bytes(0) == default_max_body_bytes(-1) == 4 * ((100 * 2**20 + 2) // 3) + 65536
    for max_tx in (1, 1000, 1_048_576, DEFAULT_MAX_BYTES):
        tx = base64.b64encode(b"\x00" * max_tx).decode()
        body = json.dumps({"jsonrpc": "2.0", "id": "a" * 1000, "method": "broadcast_tx_commit", "params": {"tx": tx}})
        assert len(body) <= default_max_body_bytes(max_tx)


def chunks(size: int) -> Iterator[bytes]:
    """A body without content-length (chunked), so the bound is met while streaming."""
    for _ in range(size // 1000):
        yield b" " * 1000


def test_bodies_past_the_limit_are_413_on_both_servers(tmp_path: Path) -> None:
    node = RestNode(init_home(tmp_path / "home"))
    node.home.write_config(dataclasses.replace(node.home.load_config(), max_body_bytes=LIMIT))
    node.start()
    try:
        status = {"jsonrpc": "2.0", "id": 1, "method": "status"}
        fits = json.dumps(status).encode().ljust(LIMIT)
        assert httpx.post(node.rpc_url, content=fits, timeout=10).json()["result"]["node_info"]["network"]
        for body in (fits + b" ", chunks(LIMIT + 1000)):
            r = httpx.post(node.rpc_url, content=body, timeout=10)
            assert (r.status_code, r.json()) == (413, {"jsonrpc": "2.0", "id": None, "error": {
                "code": -32700, "message": "Parse error", "data": f"error unmarshaling request: {MESSAGE}"}})
        for body in (b"{}".ljust(LIMIT + 1), chunks(LIMIT + 1000)):
            r = node.http.post("/cosmos/tx/v1beta1/txs", content=body)
            assert (r.status_code, r.json()) == (413, {"code": 3, "message": MESSAGE, "details": []})
        r = node.http.post("/cosmos/tx/v1beta1/txs", content=b"{}".ljust(LIMIT))
        assert (r.status_code, r.json()["message"]) == (400, "invalid empty tx")  # at the limit: handled
        assert node.get("/cosmos/base/tendermint/v1beta1/syncing").json() == {"syncing": False}
    finally:
        node.stop()
