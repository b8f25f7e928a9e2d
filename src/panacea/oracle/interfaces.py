"""The seams the oracle cores call through (so the HTTP layer, tests and issue 12 can swap what is behind):
chain reads, presentation validation (implemented in ``panacea.oracle.vp``) and the consumer-service upload."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PublicKey
from panacea.oracle.errors import OracleError
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.did.v2 import did_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2


class ChainReader(Protocol):
    """The chain as the cores read it; errors are OracleErrors (NOT_FOUND, UNAVAILABLE) with one-line texts.

    :class:`panacea.oracle.chain.VerifiedChainReader` proves every answer (light client and Merkle proofs,
    oracle-reference §6); :class:`panacea.oracle.chain.ClientChainReader` trusts the node (development).
    """

    async def deal(self, deal_id: int) -> deal_pb2.Deal:
        """The deal, or NOT_FOUND."""
        ...

    async def consent(self, deal_id: int, data_hash: str) -> consent_pb2.Consent:
        """The consent stored under (deal_id, data_hash exactly as given), or NOT_FOUND."""
        ...

    async def account_public_key(self, address: str) -> bytes | None:
        """The account's public key bytes as the chain holds them, None before its first tx; NOT_FOUND if the
        account does not exist (the cores parse it, so a bad key gets their own error text)."""
        ...

    async def oracle_params(self) -> genesis_pb2.Params:
        """The oracle module's params (public key, unique_id, signature digest)."""
        ...


class DIDReader(Protocol):
    """DID documents as the chain's ``did`` store holds them (the ``did:panacea`` resolver reads through it)."""

    async def did_document(self, did: str) -> did_pb2.DIDDocumentWithSeq:
        """The record stored under ``did`` as it stands, a tombstone included (did-reference §2: deactivated is
        ``document.id == ""`` with a sequence; the resolver decides what it means); NOT_FOUND when none is."""
        ...


class OracleReader(ChainReader, DIDReader, Protocol):
    """What the oracle's HTTP API reads: the cores' reads and DID documents (VP validation)."""


class LifecycleReader(ChainReader, Protocol):
    """What the oracle's life cycle (issue 12: commands, event follower) reads, besides the cores' reads.

    Two implementations: :class:`panacea.oracle.chain.ClientChainReader` (trusted/unverified, development) and
    :class:`panacea.oracle.chain.VerifiedChainReader` (oracle-reference §6); ``open_chain_reader`` picks one from the
    config. Errors as :class:`ChainReader`'s.
    """

    async def oracle(self, address: str) -> oracle_pb2.Oracle:
        """The registered oracle at ``address``, or NOT_FOUND."""
        ...

    async def registration(self, unique_id: str, address: str) -> oracle_pb2.OracleRegistration:
        """The registration of ``address`` for ``unique_id``, or NOT_FOUND."""
        ...

    async def upgrade(self, unique_id: str, address: str) -> oracle_pb2.OracleUpgrade:
        """The upgrade of ``address`` to ``unique_id``, or NOT_FOUND."""
        ...

    async def upgrade_info(self) -> oracle_pb2.OracleUpgradeInfo | None:
        """The scheduled oracle upgrade (unique_id, height); None when none is scheduled."""
        ...

    async def verify_trusted_block(self, height: int, block_hash: bytes) -> None:
        """Check that the block at ``height`` has hash ``block_hash`` (oracle-reference §6
        ``VerifyTrustedBlockInfo``); OracleError with the reference texts otherwise."""
        ...


@runtime_checkable
class PresentationValidator(Protocol):
    """Validates a verifiable presentation against a deal's presentation definition (oracle-reference §2.5)."""

    async def validate(self, vp_bytes: bytes, presentation_definition: bytes) -> None:
        """Raise OracleError (any category; the core reports "failed to validate VP") when the VP is not
        acceptable: a bad proof, an embedded VC with a bad proof, or an unmet input descriptor."""
        ...


class Uploader(Protocol):
    """Delivers the re-encrypted data to the deal's consumer service before any certificate exists (§2.6)."""

    async def upload(self, endpoint: str, deal_id: int, data_hash: str, ciphertext: bytes) -> None:
        """Store ``ciphertext`` as (deal_id, data_hash) at ``endpoint``; idempotent; OracleError on failure."""
        ...


async def account_key(chain: ChainReader, address: str, *, failed: str, missing: str, unparsable: str) -> PublicKey:
    """An account's secp256k1 key with the caller's reference texts: ``failed`` prefixes a chain error,
    ``missing`` is the whole text for an account without a key, ``unparsable`` prefixes a parse error."""
    try:
        raw = await chain.account_public_key(address)
    except OracleError as e:
        raise e.wrap(failed) from None
    if raw is None:
        raise OracleError(missing)
    try:
        return PublicKey.from_bytes(raw)
    except CryptoError as e:
        raise OracleError(f"{unparsable}{e}") from None
