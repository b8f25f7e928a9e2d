"""The :class:`ChainReader` over panacea.client's AsyncChainClient (unverified JSON-RPC reads).

Departure: the reference reads through a light client with Merkle proofs (oracle-reference §6); that is
issue 12, behind the same interface. Messages: the chain's own text for a missing object (a
``NotFoundError``), "cannot reach the chain node" for transport failures — never the node URL.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from panacea.client.aio import AsyncChainClient
from panacea.client.errors import ChainClientError, NodeUnreachableError, NotFoundError
from panacea.oracle.errors import Category, OracleError
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2

T = TypeVar("T")


async def _read(call: Awaitable[T]) -> T:
    try:
        return await call
    except NotFoundError as e:
        raise OracleError(str(e), Category.NOT_FOUND) from None
    except NodeUnreachableError:
        raise OracleError("cannot reach the chain node", Category.UNAVAILABLE) from None
    except ChainClientError as e:
        raise OracleError(str(e), Category.UNAVAILABLE) from None


class ClientChainReader:
    """Chain reads (cores and life cycle: a :class:`panacea.oracle.interfaces.LifecycleReader`) through one
    AsyncChainClient (owned by the caller), trusting the node's answers."""

    def __init__(self, client: AsyncChainClient) -> None:
        self.client = client

    async def deal(self, deal_id: int) -> deal_pb2.Deal:
        """``panacea.datadeal.v2.Query/Deal``."""
        return await _read(self.client.deal(deal_id))

    async def consent(self, deal_id: int, data_hash: str) -> consent_pb2.Consent:
        """``panacea.datadeal.v2.Query/Consent`` keyed by the exact data_hash string."""
        return await _read(self.client.consent(deal_id, data_hash))

    async def account_public_key(self, address: str) -> bytes | None:
        """The auth account's public key bytes (None until its first tx)."""
        return (await _read(self.client.account(address))).pubkey

    async def oracle_params(self) -> genesis_pb2.Params:
        """``panacea.oracle.v2.Query/Params``."""
        return await _read(self.client.oracle_params())

    async def oracle(self, address: str) -> oracle_pb2.Oracle:
        """``panacea.oracle.v2.Query/Oracle``."""
        return await _read(self.client.oracle(address))

    async def registration(self, unique_id: str, address: str) -> oracle_pb2.OracleRegistration:
        """``panacea.oracle.v2.Query/OracleRegistration``."""
        return await _read(self.client.oracle_registration(unique_id, address))

    async def upgrade(self, unique_id: str, address: str) -> oracle_pb2.OracleUpgrade:
        """``panacea.oracle.v2.Query/OracleUpgrade``."""
        return await _read(self.client.oracle_upgrade(unique_id, address))

    async def upgrade_info(self) -> oracle_pb2.OracleUpgradeInfo | None:
        """``panacea.oracle.v2.Query/OracleUpgradeInfo`` (None when no upgrade is scheduled)."""
        return await _read(self.client.upgrade_info())

    async def verify_trusted_block(self, height: int, block_hash: bytes) -> None:
        """The node's block at ``height`` must have ``block_hash`` (trusted mode: the node's word, no light client)."""
        block = await _read(self.client.block(height))
        got = str((block.get("block_id") or {}).get("hash", ""))
        if block.get("block") is None or not got:
            raise OracleError(f"not found light block. height({height})", Category.NOT_FOUND)
        if got.lower() != block_hash.hex():
            raise OracleError(f"failed to verify trusted block information. height({height}), expected block "
                              f"hash({block_hash.hex()}), got block hash({got.lower()})")
