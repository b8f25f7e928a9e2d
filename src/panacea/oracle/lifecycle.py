"""The oracle's life cycle as its operator runs it (oracle-reference §4.3, chain-reference §3.5–§3.9): join the
network (MsgRegisterOracle), move to a new version (MsgUpgradeOracle), change the endpoint or commission
(MsgUpdateOracleInfo), wait for the approval and receive the shared oracle key (get-oracle-key).

Chain reads go through a :class:`panacea.oracle.interfaces.LifecycleReader` (unverified or light-client verified,
the caller picks), txs through panacea.client's AsyncWallet (simulated gas, sequence management).

Departure (order, not outcome): a registration or upgrade is simulated before the node key is sealed, so a tx the
chain would refuse ("already registered oracle…", "invalid unique id", a commission out of range) leaves no file
behind and never replaces the node key of a pending request; the reference seals first. The approval is awaited
by polling the own record (every ``interval`` seconds, until ``timeout``) instead of a websocket subscription, so
an approval that lands while the command is not running is found by ``get-oracle-key`` the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from google.protobuf.message import Message

from panacea.client import AsyncWallet, ChainClientError, NodeUnreachableError
from panacea.client.types import Gas, TxResponse
from panacea.crypto.keys import PublicKey
from panacea.oracle.config import Duration
from panacea.oracle.enclave import Enclave, EnclaveKey, report_data_for
from panacea.oracle.errors import Category, OracleError
from panacea.oracle.home import OracleHome
from panacea.oracle.interfaces import LifecycleReader
from panacea.oracle.keyshare import (
    check_oracle_key_absent,
    decrypt_and_store_oracle_priv_key,
    new_node_key,
    seal_node_key,
)
from panacea.types.dec import dec_to_wire, parse_dec
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2, tx_pb2

BAD_SOURCE = 'invalid --from flag input. please put "registration" or "upgrade"'
NOT_SET_YET = "the encrypted oracle private key has not set yet. please try again later"
POLL_INTERVAL = 1.0
RECENT_APPROVAL_POLLS = 3  # get-oracle-key: how many more blocks an approval may take to be readable

Progress = Callable[[float, int | None], None]
"""Called while waiting: seconds elapsed and the node's latest height (None when the node did not answer)."""


class KeySource(StrEnum):
    """Where the encrypted oracle key is read from: the own registration or the own upgrade record."""

    REGISTRATION = "registration"
    UPGRADE = "upgrade"


def key_source(text: str) -> KeySource:
    """``--from registration|upgrade`` with the reference's error for anything else."""
    try:
        return KeySource(text)
    except ValueError:
        raise OracleError(BAD_SOURCE) from None


def later_hint(source: KeySource) -> str:
    """What to do when the approval has not come yet (timeout, Ctrl-C)."""
    return f"run `oracled get-oracle-key --from {source}` later to receive the oracle key once it is approved"


class ApprovalTimeout(OracleError):
    """No approval within the timeout; the request stays on chain and may still be approved."""

    def __init__(self, source: KeySource, timeout: float) -> None:
        super().__init__(f"the oracle {source} was not approved within {Duration(round(timeout * 1e9))}: "
                         f"{later_hint(source)}", Category.UNAVAILABLE)
        self.source = source


@dataclass(frozen=True)
class TrustedBlock:
    """The light client's root of trust (oracle-reference §6): a height and its block ID hash."""

    height: int
    hash: bytes

    @classmethod
    def parse(cls, height: int, hash_hex: str) -> TrustedBlock:
        """From the flags as ``panacead query block`` prints them (``.block.header.height``, ``.block_id.hash``)."""
        if height <= 0:
            raise OracleError("trusted block height must be greater than zero")
        try:
            raw = bytes.fromhex(hash_hex)
        except ValueError:
            raw = b""
        if len(raw) != 32:
            raise OracleError(f"invalid trusted block hash {hash_hex!r}: expected the 64 hex characters of the "
                              "block ID hash")
        return cls(height, raw)


def dec_wire(value: str, what: str) -> str:
    """A user's sdk.Dec string ("0.1") in the protobuf wire form, or a one-line error naming ``what``."""
    try:
        return dec_to_wire(parse_dec(value))
    except ValueError as e:
        raise OracleError(f"invalid {what} {value!r}: {e}") from None


@dataclass(frozen=True)
class Commission:
    """The three commission rates of a registration, in the wire form (the chain checks their ranges)."""

    rate: str
    max_rate: str
    max_change_rate: str

    @classmethod
    def parse(cls, rate: str, max_rate: str, max_change_rate: str) -> Commission:
        return cls(dec_wire(rate, "--oracle-commission-rate"), dec_wire(max_rate, "--oracle-commission-max-rate"),
                   dec_wire(max_change_rate, "--oracle-commission-max-change-rate"))


@dataclass(frozen=True)
class Lifecycle:
    """One oracle version's home and enclave, how it reads the chain, and the oracle account that signs."""

    home: OracleHome
    enclave: Enclave
    chain: LifecycleReader
    wallet: AsyncWallet
    fee: str  # per tx, from panacea.default-fee-amount; the gas limit is simulated

    @property
    def address(self) -> str:
        return self.wallet.address

    @property
    def unique_id(self) -> str:
        return self.enclave.identity().unique_id_hex


def _tx_error(e: ChainClientError) -> OracleError:
    if isinstance(e, NodeUnreachableError):
        return OracleError(str(e), Category.UNAVAILABLE)
    return OracleError(f"transaction failed: {e}")


async def _estimate(s: Lifecycle, msg: Message) -> int:
    try:
        return await s.wallet.estimate_gas([msg], fee=s.fee)
    except ChainClientError as e:
        raise _tx_error(e) from None


async def send(s: Lifecycle, msg: Message, gas: Gas = "auto") -> TxResponse:
    """Sign, broadcast and wait for the block; the chain's log as "transaction failed: <log>" otherwise."""
    try:
        result = await s.wallet.send([msg], gas=gas, fee=s.fee)
    except ChainClientError as e:
        raise _tx_error(e) from None
    if not result.ok:
        raise OracleError(f"transaction failed: {result.raw_log or f'code {result.code}'}")
    return result


async def _submit_node_key(s: Lifecycle, trusted: TrustedBlock, overwrite_node_key: bool,
                           build: Callable[[PublicKey, bytes], Message]) -> TxResponse:
    """register-oracle / upgrade-oracle steps 1-4 (§4.3): trusted block, node key and its report, the tx."""
    check_oracle_key_absent(s.home)
    await s.chain.verify_trusted_block(trusted.height, trusted.hash)
    key = new_node_key(s.home, overwrite=overwrite_node_key)
    data = report_data_for(key.public_key)
    report = s.enclave.remote_report(data)
    s.enclave.verify_report(report, data, s.enclave.identity().unique_id)  # step 3: the report says who we are
    msg = build(key.public_key, report)
    gas = await _estimate(s, msg)
    seal_node_key(s.home, s.enclave, key)
    s.home.write_trust_root(trusted.height, trusted.hash)
    return await send(s, msg, gas)


async def register(s: Lifecycle, *, trusted: TrustedBlock, endpoint: str, commission: Commission,
                   overwrite_node_key: bool = False) -> TxResponse:
    """MsgRegisterOracle for this version's unique ID with a fresh sealed node key (chain-reference §3.5)."""

    def build(node_pub: PublicKey, report: bytes) -> Message:
        return tx_pb2.MsgRegisterOracle(
            unique_id=s.unique_id, oracle_address=s.address, node_pub_key=node_pub.compressed,
            node_pub_key_remote_report=report, trusted_block_height=trusted.height,
            trusted_block_hash=trusted.hash, endpoint=endpoint, oracle_commission_rate=commission.rate,
            oracle_commission_max_rate=commission.max_rate,
            oracle_commission_max_change_rate=commission.max_change_rate)

    return await _submit_node_key(s, trusted, overwrite_node_key, build)


async def request_upgrade(s: Lifecycle, *, trusted: TrustedBlock, overwrite_node_key: bool = False) -> TxResponse:
    """MsgUpgradeOracle of this (new) version for the registered oracle account (chain-reference §3.8)."""

    def build(node_pub: PublicKey, report: bytes) -> Message:
        return tx_pb2.MsgUpgradeOracle(
            unique_id=s.unique_id, oracle_address=s.address, node_pub_key=node_pub.compressed,
            node_pub_key_remote_report=report, trusted_block_height=trusted.height,
            trusted_block_hash=trusted.hash)

    return await _submit_node_key(s, trusted, overwrite_node_key, build)


async def update_info(s: Lifecycle, *, endpoint: str = "", commission_rate: str = "") -> oracle_pb2.Oracle:
    """MsgUpdateOracleInfo (chain-reference §3.7): an empty field stays unchanged; the oracle record after it."""
    if not endpoint and not commission_rate:
        raise OracleError("nothing to update: give a new endpoint and/or commission rate")
    rate = dec_wire(commission_rate, "--oracle-commission-rate") if commission_rate else ""
    tx = await send(s, tx_pb2.MsgUpdateOracleInfo(oracle_address=s.address, endpoint=endpoint,
                                                  oracle_commission_rate=rate))
    await _after(s, tx.height)
    return await s.chain.oracle(s.address)


async def _after(s: Lifecycle, height: int, timeout: float = 10.0) -> None:
    """Wait until the node has a block above ``height``: verified reads are of the state before the newest
    block, so only then do they show what the tx at ``height`` did."""
    deadline = asyncio.get_running_loop().time() + timeout
    while ((await _height(s)) or 0) <= height and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)


async def encrypted_oracle_key(s: Lifecycle, source: KeySource) -> bytes:
    """The encrypted oracle key in the own registration or upgrade record (empty until approved)."""
    if source is KeySource.REGISTRATION:
        return (await s.chain.registration(s.unique_id, s.address)).encrypted_oracle_priv_key
    return (await s.chain.upgrade(s.unique_id, s.address)).encrypted_oracle_priv_key


async def _height(s: Lifecycle) -> int | None:
    try:
        return (await s.wallet.client.status()).latest_height
    except ChainClientError:
        return None


async def wait_for_approval(s: Lifecycle, source: KeySource, *, timeout: float, progress: Progress | None = None,
                            interval: float = POLL_INTERVAL) -> bytes:
    """Poll the own record until an approver has put the encrypted oracle key in it; ApprovalTimeout after
    ``timeout`` seconds. A record not readable yet (a lagging verified read) or an unreachable node is "not yet"."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    while True:
        try:
            encrypted = await encrypted_oracle_key(s, source)
        except OracleError as e:
            if e.category not in (Category.NOT_FOUND, Category.UNAVAILABLE):
                raise
            encrypted = b""
        if encrypted:
            return encrypted
        elapsed = loop.time() - start
        if elapsed >= timeout:
            raise ApprovalTimeout(source, timeout)
        if progress is not None:
            progress(elapsed, await _height(s))
        await asyncio.sleep(min(interval, timeout - elapsed))


async def receive_oracle_key(s: Lifecycle, source: KeySource, encrypted: bytes | None = None) -> EnclaveKey:
    """get-oracle-key (§4.3): the encrypted key from the own record (or the one just awaited), decrypted with the
    node key and sealed to ``oracle_priv_key.sealed``."""
    if encrypted is None:
        encrypted = await encrypted_oracle_key(s, source)
        for _ in range(RECENT_APPROVAL_POLLS):  # verified reads are of the state before the newest block: an
            if encrypted:                      # approval in that block shows once the next one is made
                break
            await asyncio.sleep(POLL_INTERVAL)
            encrypted = await encrypted_oracle_key(s, source)
    if not encrypted:
        raise OracleError(NOT_SET_YET, Category.CONFLICT)
    return await decrypt_and_store_oracle_priv_key(s.home, s.enclave, s.chain, encrypted)
