"""The oracle's chain reads (:class:`LifecycleReader`): verified by a light client and Merkle proofs, or trusted.

- :class:`VerifiedChainReader` (``[panacea] verification = "light-client"``, the default; oracle-reference §6):
  every value, and every "not found", is proven against the app hash of a header the light client verified
  from the home's trust root (``data/trust_root.json``); headers are kept in ``data/light-client``.
- :class:`ClientChainReader` (``verification = "trusted"``, development): the node's answers as they come.

:func:`open_chain_reader` picks one from the home's config. Both give the same OracleError texts and categories:
the chain's own text for a missing object (NOT_FOUND; proven absent in the verified mode), "cannot reach the chain
node" when the node does not answer (UNAVAILABLE) — never the node URL. A verified read that does not verify is
:class:`ChainVerificationError` (502: the node's answer is bad; 503 when the trust root has expired), never a
silent pass. Departure: the reference reports a missing object as "empty value" (it never checks absence).
DID records (``did_document``) are read from the raw ``did`` store in both modes, tombstones included, so both
modes tell "deactivated" from "not found" alike (the gRPC query hides tombstones as NotFound).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import Protocol, TypeVar

from panacea.client import storekeys
from panacea.client.aio import AsyncChainClient
from panacea.client.errors import ChainClientError, NodeUnreachableError, NotFoundError, RpcCallError
from panacea.client.light import LightClient, LightStore, TrustExpiredError, TrustOptions, VerificationError
from panacea.client.light.client import Clock
from panacea.client.light.reader import VerifiedQueries, did_record, unproven_value
from panacea.client.rpc import rpc_url
from panacea.oracle.config import ChainSection
from panacea.oracle.errors import Category, ConfigError, OracleError
from panacea.oracle.home import OracleHome
from panacea.oracle.interfaces import DIDReader, LifecycleReader
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.did.v2 import did_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2

T = TypeVar("T")

LIGHT_CLIENT = "light-client"
TRUSTED = "trusted"
LIGHT_CLIENT_DIR = "light-client"


class ChainVerificationError(OracleError):
    """The chain node's answer failed verification (a header, commit, validator set or Merkle proof)."""

    def __init__(self, message: str, category: Category = Category.BAD_GATEWAY) -> None:
        super().__init__(message, category)


def _oracle_error(e: ChainClientError) -> OracleError:
    """The one mapping of client errors to the oracle's (categories and texts)."""
    if isinstance(e, NotFoundError):
        return OracleError(str(e), Category.NOT_FOUND)
    if isinstance(e, NodeUnreachableError):
        return OracleError("cannot reach the chain node", Category.UNAVAILABLE)
    if isinstance(e, TrustExpiredError):
        return ChainVerificationError(f"cannot verify chain reads: {e}", Category.UNAVAILABLE)
    if isinstance(e, VerificationError):
        return ChainVerificationError(f"chain answer failed verification: {e}")
    return OracleError(str(e), Category.UNAVAILABLE)


async def _read(call: Awaitable[T]) -> T:
    try:
        return await call
    except ChainClientError as e:
        raise _oracle_error(e) from None


def _did_not_found(did: str) -> OracleError:
    """No record under ``did`` (the chain's query says "DID not found", did-reference §6)."""
    return OracleError(f"DID {did} not found", Category.NOT_FOUND)


def _not_found_block(height: int) -> OracleError:
    return OracleError(f"not found light block. height({height})", Category.NOT_FOUND)


def _check_block_hash(height: int, expected: bytes, got: bytes) -> None:
    if got != expected:
        raise OracleError(f"failed to verify trusted block information. height({height}), expected block "
                          f"hash({expected.hex()}), got block hash({got.hex()})")


def describe_trusted() -> str:
    """The one line start-up and ``/v0/status`` show for the trusted mode."""
    return 'chain reads are NOT verified ([panacea] verification = "trusted", for development only)'


def describe_light_client(chain: ChainSection, root: tuple[int, bytes]) -> str:
    """The one line start-up and ``/v0/status`` show for the verified mode."""
    height, block_hash = root
    return (f"chain reads verified by a light client from trusted block {height} ({block_hash.hex().upper()}), "
            f"trust period {chain.trust_period}, primary {chain.light_client_primary_addr}, and Merkle proofs")


class OpenChainReader(LifecycleReader, DIDReader, Protocol):
    """What :func:`open_chain_reader` returns: a LifecycleReader that says how it reads, and closes what it opened."""

    mode: str  # "light-client" or "trusted"
    description: str  # one line for start-up and /v0/status

    @property
    def trusted_height(self) -> int | None:
        """The newest height the reader verified (None in trusted mode)."""
        ...

    async def close(self) -> None:
        """Release what the reader opened (never the caller's client)."""
        ...


class ClientChainReader:
    """Chain reads (cores and life cycle: a :class:`panacea.oracle.interfaces.LifecycleReader`) through one
    AsyncChainClient (owned by the caller), trusting the node's answers."""

    mode = TRUSTED

    trusted_height: int | None = None  # nothing is verified in this mode

    def __init__(self, client: AsyncChainClient) -> None:
        self.client = client
        self.description = describe_trusted()

    async def close(self) -> None:
        """Nothing to release: the client is the caller's."""

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

    async def did_document(self, did: str) -> did_pb2.DIDDocumentWithSeq:
        """The record under ``did`` from a raw ``/store/did/key`` read, as the node says; NOT_FOUND when it has none.
        (The gRPC ``Query/DID`` hides tombstones as NotFound; the raw record lets both modes say "deactivated".)"""
        raw, _ = await _read(unproven_value(self.client, storekeys.DID, storekeys.did_key(did)))
        if raw is None:
            raise _did_not_found(did)
        try:
            return did_record(raw)
        except ChainClientError as e:
            raise _oracle_error(e) from None

    async def verify_trusted_block(self, height: int, block_hash: bytes) -> None:
        """The node's block at ``height`` must have ``block_hash`` (trusted mode: the node's word, no light client)."""
        try:
            block = await self.client.block(height)
        except RpcCallError:  # above the node's height, or pruned
            raise _not_found_block(height) from None
        except ChainClientError as e:
            raise _oracle_error(e) from None
        got = str((block.get("block_id") or {}).get("hash", ""))
        if block.get("block") is None or not got:
            raise _not_found_block(height)
        try:
            got_bytes = bytes.fromhex(got)
        except ValueError:
            raise OracleError(f"the node answered a malformed block hash for height {height}",
                              Category.UNAVAILABLE) from None
        _check_block_hash(height, block_hash, got_bytes)


class VerifiedChainReader:
    """Chain reads proven by :class:`panacea.client.light.VerifiedQueries` (a LifecycleReader): values and absences
    against the app hash of a light-client-verified header; trusted blocks against verified headers."""

    mode = LIGHT_CLIENT

    def __init__(self, queries: VerifiedQueries, *, description: str = "", store: LightStore | None = None,
                 primary: AsyncChainClient | None = None) -> None:
        self.queries = queries
        self.description = description or "chain reads verified by a light client and Merkle proofs"
        self._store = store
        self._primary = primary  # the light client's own client, when it is not the caller's

    @property
    def trusted_height(self) -> int | None:
        """The newest verified height (None before the first verification)."""
        block = self.queries.light.latest_trusted
        return None if block is None else block.height

    async def start(self) -> None:
        """Verify the node's latest block now (from the trust root on a first run): a bad root fails at start-up."""
        await _read(self.queries.light.latest())

    async def close(self) -> None:
        """Close the light client's store and its own client (the caller's client stays open)."""
        if self._primary is not None:
            await self._primary.close()
        if self._store is not None:
            self._store.close()

    async def deal(self, deal_id: int) -> deal_pb2.Deal:
        """The deal, proven; NOT_FOUND when proven absent."""
        return await _read(self.queries.deal(deal_id))

    async def consent(self, deal_id: int, data_hash: str) -> consent_pb2.Consent:
        """The consent under (deal_id, data_hash as given), proven; NOT_FOUND when proven absent."""
        return await _read(self.queries.consent(deal_id, data_hash))

    async def account_public_key(self, address: str) -> bytes | None:
        """The auth account's public key bytes (None until its first tx), proven."""
        return (await _read(self.queries.account(address))).pubkey

    async def oracle_params(self) -> genesis_pb2.Params:
        """The oracle module params, proven."""
        return await _read(self.queries.oracle_params())

    async def oracle(self, address: str) -> oracle_pb2.Oracle:
        """The oracle at ``address``, proven; NOT_FOUND when proven absent."""
        return await _read(self.queries.oracle(address))

    async def registration(self, unique_id: str, address: str) -> oracle_pb2.OracleRegistration:
        """The registration of ``address`` for ``unique_id``, proven; NOT_FOUND when proven absent."""
        return await _read(self.queries.oracle_registration(unique_id, address))

    async def upgrade(self, unique_id: str, address: str) -> oracle_pb2.OracleUpgrade:
        """The upgrade of ``address`` to ``unique_id``, proven; NOT_FOUND when proven absent."""
        return await _read(self.queries.oracle_upgrade(unique_id, address))

    async def upgrade_info(self) -> oracle_pb2.OracleUpgradeInfo | None:
        """The scheduled oracle upgrade, proven; None when proven absent."""
        return await _read(self.queries.upgrade_info())

    async def did_document(self, did: str) -> did_pb2.DIDDocumentWithSeq:
        """The record under ``did``, proven (a tombstone included); NOT_FOUND when proven absent."""
        record = await _read(self.queries.did(did))
        if record is None:
            raise _did_not_found(did)
        return record

    async def verify_trusted_block(self, height: int, block_hash: bytes) -> None:
        """The light client verifies the block at ``height`` (``VerifyTrustedBlockInfo``); its hash must be
        ``block_hash``."""
        if height <= 0:
            raise _not_found_block(height)
        try:
            block = await self.queries.light.verify_height(height)
        except RpcCallError:  # above the node's height, or pruned
            raise _not_found_block(height) from None
        except ChainClientError as e:
            raise _oracle_error(e) from None
        _check_block_hash(height, block_hash, block.hash)


async def open_chain_reader(home: OracleHome, client: AsyncChainClient, *, clock: Clock | None = None,
                            root: tuple[int, bytes] | None = None) -> OpenChainReader:
    """The chain reader the home's config asks for, started (verified mode: the node's latest block is verified
    now, from the trust root on a first run, so a wrong root or an expired one fails here, as in the reference).

    ``client`` (the caller's, left open) answers the queries; the light client fetches headers from
    ``[panacea] light-client-primary-addr`` (the same client when that is the client's node). ``root`` replaces the
    home's trust root (a trusted block given on the command line). ConfigError when the verified mode has no
    trust root.
    """
    chain = home.config.panacea
    if chain.verification == TRUSTED:
        return ClientChainReader(client)
    root = home.trust_root() if root is None else root
    if root is None:
        raise ConfigError(f"no trusted block in {home.trust_root_file}: give the trusted block height and hash "
                          f'(or set [panacea] verification = "{TRUSTED}" for development)')
    chain_id = chain.chain_id or await _read(client.get_chain_id())  # pinned by the root's hash all the same
    same_node = rpc_url(chain.light_client_primary_addr).rstrip("/") == rpc_url(client.node).rstrip("/")
    primary = client if same_node else AsyncChainClient(chain.light_client_primary_addr, chain_id)
    store = LightStore(home.data_dir / LIGHT_CLIENT_DIR)
    opts = TrustOptions(chain_id, int(chain.trust_period))
    light = LightClient(primary, store, root, opts, clock=clock or time.time_ns)
    reader = VerifiedChainReader(VerifiedQueries(client, light), description=describe_light_client(chain, root),
                                 store=store, primary=None if same_node else primary)
    try:
        await reader.start()
    except BaseException:
        await reader.close()
        raise
    return reader
