"""A whole DEP network on loopback for the SDK and ``dep`` CLI tests: an oracle home (``oracled init`` +
``gen-oracle-key``), a real embedded node whose genesis oracle it is — registered at the loopback URL of the real
oracle app —, a real consumerd; plus a proxy in front of the oracle that can tamper with its answers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from panacea.crypto.keys import PrivateKey
from tests.client import nodekit
from tests.client.nodekit import Node, free_port
from tests.consumer.kit import ServiceThread, service_config
from tests.oracle import chainkit as ck
from tests.oracle.appkit import OracleThread, oracle_config
from tests.oracle.kit import ORACLE_ADDRESS, OracleKit, make_oracle, serve, start_node_for

SCHEMA_URI = ck.SCHEMA_URI  # registered in the oracle's schema registry: {"name": string, "age": integer ≥ 0}
INACTIVE_ORACLE = nodekit.key("oracle").bech32()  # nodekit's genesis oracle, of another unique ID


@dataclass
class DepNet:
    """The running network: the node, the oracle (its kit and URL) and the consumer service."""

    oracle: OracleKit
    node: Node
    oracle_url: str
    storage: ServiceThread

    @property
    def storage_url(self) -> str:
        return self.storage.url

    def stored_file(self, deal_id: int, data_hash: str) -> Path:
        """Where consumerd keeps the ciphertext of a datum (its filesystem backend)."""
        return self.storage.home / self.storage.config.data_dir / str(deal_id) / data_hash


@contextmanager
def dep_net(root: Path, providers: tuple[PrivateKey, ...] = ()) -> Iterator[DepNet]:
    """Start it all in ``root``; ``providers`` get a public key on chain (the oracle verifies their JWTs with it)."""
    oracle = make_oracle(root / "oracle-home")
    port = free_port()
    node = start_node_for(oracle, root / "oracle-node", endpoint=f"http://127.0.0.1:{port}")
    try:
        for key in providers:
            ck.register_pubkey(node, key)
        with ServiceThread(root / "consumerd", service_config(node.rpc, free_port())) as storage, \
                OracleThread(oracle.home.root, oracle_config(oracle, node, port)) as api:
            yield DepNet(oracle, node, api.url, storage)
    finally:
        node.stop()


Tamper = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class OracleProxy:
    """Forwards every request to the real oracle; ``tamper`` (when set) rewrites ValidateData's certificate JSON."""

    upstream: str
    tamper: Tamper | None = None
    url: str = ""
    validations: int = 0

    async def forward(self, request: Request) -> Response:
        async with httpx.AsyncClient(base_url=self.upstream, timeout=30) as client:
            upstream = await client.request(request.method, request.url.path, params=request.query_params,
                                            headers={k: v for k, v in request.headers.items()
                                                     if k.lower() in ("authorization", "content-type")},
                                            content=await request.body())
        body = upstream.content
        if request.method == "POST" and upstream.status_code == 200:
            self.validations += 1
            if self.tamper is not None:
                body = json.dumps(self.tamper(json.loads(body))).encode()
        return Response(body, upstream.status_code, media_type=upstream.headers.get("content-type"))


@contextmanager
def oracle_proxy(upstream: str) -> Iterator[OracleProxy]:
    proxy = OracleProxy(upstream)
    app = Starlette(routes=[Route("/{path:path}", proxy.forward, methods=["GET", "POST"])])
    with serve(app) as url:
        proxy.url = url
        yield proxy


__all__ = ["ORACLE_ADDRESS", "DepNet", "OracleProxy", "dep_net", "oracle_proxy"]
