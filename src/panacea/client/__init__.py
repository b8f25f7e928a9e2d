"""Clients of a Panacea node, cosmpy-style.

- ``errors`` — what the client raises; ``types`` — the values it returns;
- ``queries/`` — one typed query table per chain module, the one place a query path is spelled;
- ``rpc`` (JSON-RPC shapes), ``base`` and ``wallet`` — every method once, without I/O (``plan``);
- ``sync`` (httpx) and ``aio`` (aiohttp) — the two thin transports, with the same methods by construction;
- ``tx`` (offline signing), ``sequence`` (many senders per account), ``fees``, ``keyring``;
- ``services/`` — the oracle and consumer-service clients.

Names load on first use (PEP 562), so ``panacea.client.keyring`` does not pull in httpx and aiohttp.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from panacea.client.aio import AsyncChainClient, AsyncWallet
    from panacea.client.errors import (
        BroadcastError,
        ChainClientError,
        NodeUnreachableError,
        NotFoundError,
        QueryError,
        RpcCallError,
        SimulationError,
        TxTimeoutError,
    )
    from panacea.client.fees import DEFAULT_GAS_ADJUSTMENT, fee_amount
    from panacea.client.rpc import DEFAULT_NODE, rpc_url
    from panacea.client.sync import ChainClient, Wallet
    from panacea.client.types import Account, BroadcastResult, Fee, Gas, Status, TxResponse, tx_hash

__all__ = [
    "DEFAULT_GAS_ADJUSTMENT", "DEFAULT_NODE", "Account", "AsyncChainClient", "AsyncWallet", "BroadcastError",
    "BroadcastResult", "ChainClient", "ChainClientError", "Fee", "Gas", "NodeUnreachableError", "NotFoundError",
    "QueryError", "RpcCallError", "SimulationError", "Status", "TxResponse", "TxTimeoutError", "Wallet", "fee_amount",
    "rpc_url", "tx_hash",
]

_HOME = {
    "AsyncChainClient": "aio", "AsyncWallet": "aio", "ChainClient": "sync", "Wallet": "sync",
    "DEFAULT_GAS_ADJUSTMENT": "fees", "fee_amount": "fees", "DEFAULT_NODE": "rpc", "rpc_url": "rpc",
    **dict.fromkeys(("BroadcastError", "ChainClientError", "NodeUnreachableError", "NotFoundError", "QueryError",
                     "RpcCallError", "SimulationError", "TxTimeoutError"), "errors"),
    **dict.fromkeys(("Account", "BroadcastResult", "Fee", "Gas", "Status", "TxResponse", "tx_hash"), "types"),
}


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'panacea.client' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"panacea.client.{home}"), name)
    globals()[name] = value
    return value
