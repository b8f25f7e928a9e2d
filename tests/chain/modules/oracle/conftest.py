"""x/oracle test fixtures: the kit's keepers with oracle params set, real keys and signatures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from panacea.chain import addr
from panacea.chain.context import NANOS_PER_HOUR, BlockInfo, Context
from panacea.chain.kv import CacheKV
from panacea.chain.modules.oracle.keeper import OracleKeeper, timestamp
from panacea.crypto.keys import PrivateKey
from panacea.crypto.secret import encrypt_for
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2, tx_pb2
from tests.chain.kit import T0, dec, error_of, keepers

UID = "uniqueID"
CURRENT_UID = "currentUniqueID"
UPGRADE_UID = "upgradeUniqueID"
ENDPOINT = "https://my-validator.org"
NEW_ENDPOINT = "https://my-validator2.org"
REPORT = b"nodePubKeyRemoteReport"
BLOCK_HASH = b"trustedBlockHash"
HOUR = NANOS_PER_HOUR

RATE, MAX_RATE, MAX_CHANGE = dec("0.1"), dec("0.2"), dec("0.01")


@dataclass
class Env:
    keeper: OracleKeeper
    cache: CacheKV
    ctx: Context
    oracle_priv: PrivateKey = field(default_factory=PrivateKey.generate)  # the shared oracle key
    node_priv: PrivateKey = field(default_factory=PrivateKey.generate)

    def at(self, height: int | None = None, time_ns: int | None = None) -> Context:
        """A new context over the same state (fresh event list) at another height or time."""
        b = self.ctx.block
        self.ctx = Context(self.cache, BlockInfo(b.height if height is None else height,
                                                 b.time_ns if time_ns is None else time_ns, b.chain_id))
        return self.ctx

    @property
    def mode(self) -> SignatureMode:
        return self.keeper.signature_mode(self.ctx)

    def encrypted_key(self) -> bytes:
        return encrypt_for(self.oracle_priv, self.node_priv.public_key(), self.oracle_priv.secret)

    def sign(self, approval: tx_pb2.ApprovalSharingOracleKey, key: PrivateKey | None = None) -> bytes:
        return sign_message(key or self.oracle_priv, approval.SerializeToString(deterministic=True), self.mode)

    def register_msg(self, address: str, unique_id: str = UID, **kw: object) -> tx_pb2.MsgRegisterOracle:
        fields: dict[str, object] = dict(
            unique_id=unique_id, oracle_address=address, node_pub_key=self.node_priv.public_key().compressed,
            node_pub_key_remote_report=REPORT, trusted_block_height=1, trusted_block_hash=BLOCK_HASH,
            endpoint=ENDPOINT, oracle_commission_rate=RATE, oracle_commission_max_rate=MAX_RATE,
            oracle_commission_max_change_rate=MAX_CHANGE)
        fields.update(kw)
        return tx_pb2.MsgRegisterOracle(**fields)  # type: ignore[arg-type]

    def upgrade_msg(self, address: str, unique_id: str = UPGRADE_UID, **kw: object) -> tx_pb2.MsgUpgradeOracle:
        fields: dict[str, object] = dict(
            unique_id=unique_id, oracle_address=address, node_pub_key=self.node_priv.public_key().compressed,
            node_pub_key_remote_report=REPORT, trusted_block_height=1, trusted_block_hash=BLOCK_HASH)
        fields.update(kw)
        return tx_pb2.MsgUpgradeOracle(**fields)  # type: ignore[arg-type]

    def approval(self, approver: str, target: str, approver_uid: str = UID, target_uid: str = UID,
                 encrypted: bytes | None = None) -> tx_pb2.ApprovalSharingOracleKey:
        return tx_pb2.ApprovalSharingOracleKey(
            approver_unique_id=approver_uid, approver_oracle_address=approver, target_unique_id=target_uid,
            target_oracle_address=target,
            encrypted_oracle_priv_key=self.encrypted_key() if encrypted is None else encrypted)

    def add_oracle(self, address: str, unique_id: str = UID, max_change: str = MAX_CHANGE,
                   endpoint: str = ENDPOINT) -> oracle_pb2.Oracle:
        oracle = new_oracle(address, unique_id, self.ctx.time_ns, max_change=max_change, endpoint=endpoint)
        self.keeper.set_oracle(self.ctx, oracle)
        return oracle


def new_oracle(address: str, unique_id: str, time_ns: int, *, max_change: str = MAX_CHANGE,
               endpoint: str = ENDPOINT) -> oracle_pb2.Oracle:
    return oracle_pb2.Oracle(oracle_address=address, unique_id=unique_id, endpoint=endpoint,
                             update_time=timestamp(time_ns), oracle_commission_rate=RATE,
                             oracle_commission_max_rate=MAX_RATE, oracle_commission_max_change_rate=max_change)


def make_env(unique_id: str = UID, digest: str = "sha256", height: int = 1) -> Env:
    k = keepers(height)
    env = Env(k.oracle, k.cache, k.ctx)
    env.keeper.set_params(env.ctx, genesis_pb2.Params(
        oracle_public_key=env.oracle_priv.public_key().to_base64(), unique_id=unique_id, signature_digest=digest))
    return env


def address() -> str:
    return PrivateKey.generate().bech32()



NODE_KEY = PrivateKey(bytes(31) + b"\x07").public_key().compressed


def registration(unique_id: str, addr: str, block_hash: bytes = b"") -> oracle_pb2.OracleRegistration:
    """A stored registration as the reference fixtures build it."""
    return oracle_pb2.OracleRegistration(
        unique_id=unique_id, oracle_address=addr, node_pub_key=NODE_KEY, node_pub_key_remote_report=b"report",
        trusted_block_height=10, trusted_block_hash=block_hash, endpoint="https://my-validator.org",
        oracle_commission_rate=RATE, oracle_commission_max_rate=MAX_RATE, oracle_commission_max_change_rate=MAX_CHANGE)


def upgrade_record(unique_id: str, addr: str, block_hash: bytes = b"") -> oracle_pb2.OracleUpgrade:
    """A stored upgrade as the reference fixtures build it."""
    return oracle_pb2.OracleUpgrade(unique_id=unique_id, oracle_address=addr, node_pub_key=NODE_KEY,
                                    node_pub_key_remote_report=b"report", trusted_block_height=10,
                                    trusted_block_hash=block_hash)


def raw_address(o: Any) -> bytes:
    """The raw oracle address of a stored record (the key order of the store)."""
    return addr.parse(o.oracle_address)


__all__ = ["T0", "dec", "error_of"]
