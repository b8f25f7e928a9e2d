"""The blocking transport: ``ChainClient`` over httpx (thread-safe) and its ``Wallet``."""

from __future__ import annotations

import itertools
import threading
from typing import Any, TypeVar

import httpx
from google.protobuf.message import Message

from panacea.client import rpc as shapes
from panacea.client.base import ChainBase
from panacea.client.errors import NodeUnreachableError
from panacea.client.plan import SyncRunner
from panacea.client.queries.base import PagedQuery, Query
from panacea.client.sequence import SequenceBook
from panacea.client.wallet import WalletBase
from panacea.crypto.keys import PrivateKey

R = TypeVar("R", bound=Message)
T = TypeVar("T")


class ChainClient(SyncRunner, ChainBase):
    """Blocking client; thread-safe (one pooled HTTP client, one sequence book)."""

    def __init__(self, node_rpc_url: str = shapes.DEFAULT_NODE, chain_id: str | None = None, *,
                 timeout: float = 10.0) -> None:
        self.node = node_rpc_url
        self.url = shapes.rpc_url(node_rpc_url).rstrip("/") + "/"
        self._chain_id = chain_id
        self._http = httpx.Client(timeout=timeout, limits=httpx.Limits(max_connections=64))
        self._ids = itertools.count(1)
        self.sequences: SequenceBook[threading.Lock] = SequenceBook(threading.Lock)

    def close(self) -> None:
        """Close the pooled HTTP connections."""
        self._http.close()

    def __enter__(self) -> ChainClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def rpc(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call a CometBFT JSON-RPC method; its ``result`` object."""
        try:
            body = self._http.post(self.url, json=shapes.payload(next(self._ids), method, params)).json()
        except httpx.HTTPError as e:
            raise NodeUnreachableError(f"cannot reach node {self.node}: {e}") from None
        except ValueError:
            raise NodeUnreachableError(f"node {self.node} answered with invalid JSON") from None
        return shapes.rpc_result(self.node, body)

    def query(self, path: str, request: Message, response_cls: type[R], height: int = 0) -> R:
        """A gRPC query through ABCI, decoded as ``response_cls``."""
        return self.run_plan(self._query(path, request, response_cls, height))

    def run(self, q: Query[R, T], height: int = 0) -> T:
        """The value of a typed query (see ``panacea.client.queries``)."""
        return self.run_plan(self._run(q, height))

    def run_all(self, q: PagedQuery[R, T], height: int = 0) -> list[T]:
        """Every item of a list query, following the pages."""
        return self.run_plan(self._run_all(q, height))

    def wallet(self, key: PrivateKey) -> Wallet:
        """A wallet that signs with ``key`` through this client."""
        return Wallet(self, key)


class Wallet(SyncRunner, WalletBase):
    """Sends txs signed by one key; any number of threads may share it (or other Wallets of the same key)."""

    def __init__(self, client: ChainClient, key: PrivateKey) -> None:
        self.client: ChainClient = client
        self.key = key
        self.address = key.bech32()

    def _sync_transport(self) -> ChainClient:
        return self.client
