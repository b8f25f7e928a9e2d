"""The RegisterOracle and UpgradeOracle handlers (oracle-reference §4.2, §4.3, §5): every check of the
reference, in its order and with its texts, then MsgApproveOracleRegistration / MsgApproveOracleUpgrade with
the oracle key encrypted to the new node key and signed with the oracle key.

Reads go through the :class:`LifecycleReader` (light-client verified in production): the event only names
the (unique ID, address) to look at; everything decided is read again from the chain.

Departures (docs/decisions.md): a registration or upgrade that already holds an encrypted key is skipped
(no tx that would fail with "already approved"); the broadcast waits for the block and a tx that fails
there is a failure too (the caller retries it); the approval's signature digest follows the chain's
``signature_digest`` param, as certificates do; the trusted block hash is printed as hex.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeVar

from google.protobuf.message import Message

from panacea.client.aio import AsyncWallet
from panacea.client.errors import ChainClientError, NodeUnreachableError
from panacea.client.types import Fee, Gas
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PublicKey
from panacea.oracle.enclave import Enclave, EnclaveKey
from panacea.oracle.errors import Category, OracleError
from panacea.oracle.interfaces import LifecycleReader
from panacea.oracle.validate import signature_mode
from panacea.types.pb.panacea.oracle.v2 import tx_pb2

T = TypeVar("T")

REGISTRATION_BROADCAST_FAILED = "failed to ApproveOracleRegistration transaction for new oracle registration"
UPGRADE_BROADCAST_FAILED = "failed to ApproveOracleUpgrade transaction for oracle upgrade"
DEFAULT_TX_TIMEOUT = 30.0


class ApprovalError(OracleError):
    """A handler did not approve. ``retryable``: the broadcast failed (another attempt may succeed); else a
    check failed (final) or, with category UNAVAILABLE, the chain could not be read (try again later)."""

    def __init__(self, message: str, category: Category = Category.BAD_REQUEST, *, retryable: bool = False) -> None:
        super().__init__(message, category)
        self.retryable = retryable


@dataclass(frozen=True)
class Outcome:
    """What a handler did: ``approved`` (its tx is in block ``height``) or ``already_approved`` (no tx)."""

    result: Literal["approved", "already_approved"]
    tx_hash: str = ""
    height: int = 0


def _check(cond: bool, message: str) -> None:
    if not cond:
        raise OracleError(message)


async def _read(call: Awaitable[T], prefix: str) -> T:
    """A chain read whose error is wrapped with the reference's prefix (category kept)."""
    try:
        return await call
    except OracleError as e:
        raise ApprovalError(f"{prefix}: {e.message}", e.category) from None


class Approver:
    """This oracle approving others: its enclave (identity, report checks), the shared oracle key and the
    account that signs the approval txs (its address is the approver address)."""

    def __init__(self, reader: LifecycleReader, enclave: Enclave, key: EnclaveKey, wallet: AsyncWallet, *,
                 fee: Fee = 0, gas: Gas = "auto", gas_price: Decimal | str | None = None,
                 tx_timeout: float = DEFAULT_TX_TIMEOUT) -> None:
        self.reader = reader
        self.enclave = enclave
        self.key = key
        self.wallet = wallet
        self.address = wallet.address
        self.unique_id = enclave.identity().unique_id_hex
        self._fee, self._gas, self._gas_price, self._tx_timeout = fee, gas, gas_price, tx_timeout

    # --- RegisterOracle -------------------------------------------------------------------------------------
    async def registration_approval(self, unique_id: str, address: str) -> tx_pb2.MsgApproveOracleRegistration | None:
        """The signed approval of (unique_id, address)'s registration after every §5 check; None when the
        registration already holds an encrypted key. ApprovalError with the reference text otherwise."""
        where = f"unique ID({unique_id}), target address({address})"
        registration = await _read(self.reader.registration(unique_id, address),
                                   f"failed to get oracle registration. {where}")
        if registration.encrypted_oracle_priv_key:
            return None
        try:
            _check(unique_id == self.unique_id, "requester's unique ID is different from this binary's unique ID. "
                                                f"expected({self.unique_id}) got({unique_id})")
            await self._verify_node(registration.trusted_block_height, registration.trusted_block_hash,
                                    registration.node_pub_key, registration.node_pub_key_remote_report,
                                    self.enclave.identity().unique_id)
        except OracleError as e:
            raise ApprovalError(f"failed to verify oracle registration. {where}: {e.message}", e.category) from None
        approval = await self._approval(unique_id, address, registration.node_pub_key,
                                        "failed to generate MsgApproveOracleRegistration")
        return tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval[0], signature=approval[1])

    async def approve_registration(self, unique_id: str, address: str) -> Outcome:
        """Check, build, sign and broadcast the approval of a registration (waits for its block)."""
        return await self._approve(await self.registration_approval(unique_id, address), REGISTRATION_BROADCAST_FAILED)

    # --- UpgradeOracle --------------------------------------------------------------------------------------
    async def upgrade_approval(self, unique_id: str, address: str) -> tx_pb2.MsgApproveOracleUpgrade | None:
        """The signed approval of (unique_id, address)'s upgrade after every §5 check (the report is checked
        against the scheduled unique ID, so this older version approves the new one); None when the upgrade
        already holds an encrypted key."""
        where = f"unique ID({unique_id}), target address({address})"
        upgrade = await _read(self.reader.upgrade(unique_id, address), f"failed to get oracle upgrade. {where}")
        if upgrade.encrypted_oracle_priv_key:
            return None
        try:
            info = await _read(self.reader.upgrade_info(), "failed to get oracle upgrade info")
            if info is None:
                raise OracleError("failed to get oracle upgrade info: oracle upgrade information not found")
            _check(unique_id == info.unique_id, "the upgrade unique ID is different from the one stored in panacea")
            await _read(self.reader.oracle(address), "failed to get oracle")
            try:
                expected = bytes.fromhex(info.unique_id)
            except ValueError as e:
                raise OracleError(f"failed to decode unique ID: {e}") from None
            await self._verify_node(upgrade.trusted_block_height, upgrade.trusted_block_hash, upgrade.node_pub_key,
                                    upgrade.node_pub_key_remote_report, expected)
        except OracleError as e:
            raise ApprovalError(f"failed to verify oracle upgrade. {where}: {e.message}", e.category) from None
        approval = await self._approval(unique_id, address, upgrade.node_pub_key,
                                        "failed to generate MsgApproveOracleUpgrade")
        return tx_pb2.MsgApproveOracleUpgrade(approval_sharing_oracle_key=approval[0], signature=approval[1])

    async def approve_upgrade(self, unique_id: str, address: str) -> Outcome:
        """Check, build, sign and broadcast the approval of an upgrade (waits for its block)."""
        return await self._approve(await self.upgrade_approval(unique_id, address), UPGRADE_BROADCAST_FAILED)

    # --- shared steps ---------------------------------------------------------------------------------------
    async def _approve(self, msg: Message | None, failed: str) -> Outcome:
        """Broadcast an approval; ``None`` (the key is already shared) is "already_approved"."""
        if msg is None:
            return Outcome("already_approved")
        return await self._send(msg, failed)

    async def _verify_node(self, height: int, block_hash: bytes, node_pub_key: bytes, report: bytes,
                           expected_unique_id: bytes) -> None:
        """§5 (b) the trusted block, (c) the report over SHA256(node_pub_key) for ``expected_unique_id``."""
        try:
            await self.reader.verify_trusted_block(height, block_hash)
        except OracleError as e:
            raise OracleError(f"failed to verify trusted block information. height({height}), "
                              f"hash({block_hash.hex().upper()}): {e.message}", e.category) from None
        try:
            self.enclave.verify_report(report, hashlib.sha256(node_pub_key).digest(), expected_unique_id)
        except OracleError as e:
            raise OracleError(f"failed to verify remote report: {e.message}") from None

    async def _approval(self, target_unique_id: str, target_address: str, node_pub_key: bytes,
                        failed: str) -> tuple[tx_pb2.ApprovalSharingOracleKey, bytes]:
        """ApprovalSharingOracleKey with the oracle key encrypted to the node key, and its signature."""
        try:
            encrypted = self.key.share_with(PublicKey.from_bytes(node_pub_key))
        except CryptoError as e:
            raise ApprovalError(f"{failed}: failed to encrypt oracle private key: {e}") from None
        approval = tx_pb2.ApprovalSharingOracleKey(
            approver_unique_id=self.unique_id, approver_oracle_address=self.address,
            target_unique_id=target_unique_id, target_oracle_address=target_address,
            encrypted_oracle_priv_key=encrypted)
        params = await _read(self.reader.oracle_params(), f"{failed}: failed to read the signature digest")
        message = approval.SerializeToString(deterministic=True)
        return approval, self.key.sign(message, signature_mode(params.signature_digest))

    async def _send(self, msg: Message, failed: str) -> Outcome:
        """Broadcast through the wallet (its account lock orders the sequences) and wait for the block."""
        msgs: Sequence[Message] = [msg]
        try:
            response = await self.wallet.send(msgs, gas=self._gas, fee=self._fee, gas_price=self._gas_price,
                                              timeout=self._tx_timeout)
        except NodeUnreachableError:  # its text names the node: not for /v0/status
            raise ApprovalError(f"{failed}: cannot reach the chain node", Category.UNAVAILABLE) from None
        except ChainClientError as e:
            raise ApprovalError(f"{failed}: {e}", Category.BAD_GATEWAY, retryable=True) from None
        if not response.ok:
            raise ApprovalError(f"{failed}: tx {response.tx_hash} failed in block {response.height}: "
                                f"{response.raw_log}", Category.BAD_GATEWAY, retryable=True)
        return Outcome("approved", response.tx_hash, response.height)
