"""The asyncio transport: ``AsyncChainClient`` over aiohttp and its ``AsyncWallet``."""

from __future__ import annotations

import asyncio
import os
from typing import Any, TypeVar

import aiohttp
from google.protobuf.message import Message

from panacea.client import rpc as shapes
from panacea.client.base import ChainBase
from panacea.client.errors import NodeUnreachableError
from panacea.client.plan import AsyncRunner
from panacea.client.queries.base import PagedQuery, Query
from panacea.client.sequence import SequenceBook
from panacea.client.wallet import WalletBase
from panacea.crypto.keys import PrivateKey

R = TypeVar("R", bound=Message)
T = TypeVar("T")


def _reason(e: BaseException) -> str:
    """A transport failure in the sync client's words: the OS error (``[Errno 111] Connection refused``) rather
    than aiohttp's wrapper text, a timeout as "timed out"."""
    if isinstance(e, TimeoutError | aiohttp.ServerTimeoutError):
        return "timed out"
    cause = getattr(e, "os_error", None)
    if isinstance(cause, OSError) and cause.errno is not None:
        return f"[Errno {cause.errno}] {os.strerror(cause.errno)}"
    return str(e) or type(e).__name__


class AsyncChainClient(AsyncRunner, ChainBase):
    """asyncio twin of ChainClient (aiohttp); create and use it inside one event loop."""

    def __init__(self, node_rpc_url: str = shapes.DEFAULT_NODE, chain_id: str | None = None, *,
                 timeout: float = 10.0) -> None:
        self.node = node_rpc_url
        self.url = shapes.rpc_url(node_rpc_url).rstrip("/") + "/"
        self._chain_id = chain_id
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        self._next_id = 0
        self.sequences: SequenceBook[asyncio.Lock] = SequenceBook(asyncio.Lock)

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> AsyncChainClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    async def rpc(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Call a CometBFT JSON-RPC method; its ``result`` object."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        self._next_id += 1
        try:
            async with self._session.post(self.url, json=shapes.payload(self._next_id, method, params)) as resp:
                body = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError) as e:
            raise NodeUnreachableError(f"cannot reach node {self.node}: {_reason(e)}") from None
        except ValueError:
            raise NodeUnreachableError(f"node {self.node} answered with invalid JSON") from None
        return shapes.rpc_result(self.node, body)

    async def query(self, path: str, request: Message, response_cls: type[R], height: int = 0) -> R:
        """A gRPC query through ABCI, decoded as ``response_cls``."""
        return await self.run_plan(self._query(path, request, response_cls, height))

    async def run(self, q: Query[R, T], height: int = 0) -> T:
        """The value of a typed query (see ``panacea.client.queries``)."""
        return await self.run_plan(self._run(q, height))

    async def run_all(self, q: PagedQuery[R, T], height: int = 0) -> list[T]:
        """Every item of a list query, following the pages."""
        return await self.run_plan(self._run_all(q, height))

    def wallet(self, key: PrivateKey) -> AsyncWallet:
        """A wallet that signs with ``key`` through this client."""
        return AsyncWallet(self, key)


class AsyncWallet(AsyncRunner, WalletBase):
    """asyncio twin of Wallet: concurrent tasks may send from the same account."""

    def __init__(self, client: AsyncChainClient, key: PrivateKey) -> None:
        self.client: AsyncChainClient = client
        self.key = key
        self.address = key.bech32()

    def _async_transport(self) -> AsyncChainClient:
        return self.client
