"""CometBFT 0.38 block structures, their hashes and their JSON, byte for byte as CometBFT computes them.

References (cometbft v0.38.25): ``crypto/merkle/{hash,tree}.go`` (RFC 6962 tree: leaf ``sha256(0x00‖x)``,
inner ``sha256(0x01‖l‖r)``, split at the largest power of two below n, empty = ``sha256("")``),
``types/block.go`` (Header.Hash over the cdc-encoded fields, Commit.Hash, Data.Hash = merkle of sha256(tx)),
``types/part_set.go`` (65536-byte parts of the Block proto), ``types/canonical.go`` + ``types/vote.go``
(length-delimited CanonicalVote sign bytes), ``types/validator_set.go`` (merkle of SimpleValidator bytes),
``types/results.go`` (merkle of the deterministic ExecTxResult fields), ``types/params.go`` (sha256 of
HashedParams). JSON follows ``libs/json``: int64 as strings, HexBytes as upper hex, []byte as base64; the
``from_json`` parsers (what a light client reads from ``/commit`` and ``/validators``) are strict and raise a
ValueError naming the bad field's path (``header.height: expected an integer string, got int 5``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from google.protobuf import wrappers_pb2

from panacea.types.cometbft.encoding import (
    address_of,
    b64,
    hexu,
    json_b64,
    json_field,
    json_hex,
    json_int32,
    json_int64,
    json_list,
    json_object,
    json_str,
    json_time,
    merkle_hash,
    read_uvarint,
    time_json,
    timestamp,
    ts_ns,
    uvarint,
)
from panacea.types.pb.tendermint.abci import types_pb2 as abci_pb2
from panacea.types.pb.tendermint.crypto import keys_pb2
from panacea.types.pb.tendermint.types import block_pb2, canonical_pb2, params_pb2, types_pb2, validator_pb2
from panacea.types.pb.tendermint.version import types_pb2 as version_pb2

BLOCK_PROTOCOL = 11
P2P_PROTOCOL = 8
COMETBFT_VERSION = "0.38.25"
ABCI_VERSION = "2.0.0"
BLOCK_PART_SIZE = 65536
PRECOMMIT_TYPE = 2  # tendermint.types.SignedMsgType
BLOCK_ID_FLAG_ABSENT = 1  # tendermint.types.BlockIDFlag
BLOCK_ID_FLAG_COMMIT = 2
BLOCK_ID_FLAG_NIL = 3
GO_ZERO_TIME_NS = -62135596800 * 10**9  # Go's zero time.Time (0001-01-01), the time of an absent vote
PUBKEY_ED25519 = "tendermint/PubKeyEd25519"
DEFAULT_MAX_BYTES = 22020096
DEFAULT_MAX_GAS = -1


# --- block id / header ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartSetHeader:
    total: int = 0
    hash: bytes = b""

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "hash": hexu(self.hash)}

    @staticmethod
    def from_json(doc: object, where: str) -> PartSetHeader:
        d = json_object(doc, where)
        return PartSetHeader(json_int32(json_field(d, "total", where), f"{where}.total"),
                             json_hex(json_field(d, "hash", where), f"{where}.hash"))


@dataclass(frozen=True)
class BlockID:
    hash: bytes = b""
    parts: PartSetHeader = PartSetHeader()

    @property
    def is_zero(self) -> bool:
        return not self.hash and not self.parts.total and not self.parts.hash

    def to_proto(self) -> types_pb2.BlockID:
        pb = types_pb2.BlockID(hash=self.hash)
        pb.part_set_header.SetInParent()  # gogoproto non-nullable: always encoded
        pb.part_set_header.total = self.parts.total
        pb.part_set_header.hash = self.parts.hash
        return pb

    @staticmethod
    def from_proto(pb: types_pb2.BlockID) -> BlockID:
        return BlockID(pb.hash, PartSetHeader(pb.part_set_header.total, pb.part_set_header.hash))

    def to_json(self) -> dict[str, Any]:
        return {"hash": hexu(self.hash), "parts": self.parts.to_json()}

    @staticmethod
    def from_json(doc: object, where: str) -> BlockID:
        d = json_object(doc, where)
        return BlockID(json_hex(json_field(d, "hash", where), f"{where}.hash"),
                       PartSetHeader.from_json(json_field(d, "parts", where), f"{where}.parts"))


def _cdc(value: str | int | bytes) -> bytes:
    """cdcEncode: the gogo wrapper type's bytes; empty for the zero value."""
    if not value:
        return b""
    if isinstance(value, str):
        return wrappers_pb2.StringValue(value=value).SerializeToString()
    if isinstance(value, int):
        return wrappers_pb2.Int64Value(value=value).SerializeToString()
    return wrappers_pb2.BytesValue(value=value).SerializeToString()


@dataclass(frozen=True)
class Header:
    chain_id: str
    height: int
    time_ns: int
    last_block_id: BlockID
    last_commit_hash: bytes
    data_hash: bytes
    validators_hash: bytes
    next_validators_hash: bytes
    consensus_hash: bytes
    app_hash: bytes
    last_results_hash: bytes
    evidence_hash: bytes
    proposer_address: bytes
    version_block: int = BLOCK_PROTOCOL
    version_app: int = 0

    def hash(self) -> bytes:
        if not self.validators_hash:
            return b""
        version = version_pb2.Consensus(block=self.version_block, app=self.version_app).SerializeToString()
        return merkle_hash([
            version,
            _cdc(self.chain_id),
            _cdc(self.height),
            timestamp(self.time_ns).SerializeToString(),
            self.last_block_id.to_proto().SerializeToString(),
            _cdc(self.last_commit_hash),
            _cdc(self.data_hash),
            _cdc(self.validators_hash),
            _cdc(self.next_validators_hash),
            _cdc(self.consensus_hash),
            _cdc(self.app_hash),
            _cdc(self.last_results_hash),
            _cdc(self.evidence_hash),
            _cdc(self.proposer_address),
        ])

    def to_proto(self) -> types_pb2.Header:
        pb = types_pb2.Header(
            chain_id=self.chain_id,
            height=self.height,
            last_commit_hash=self.last_commit_hash,
            data_hash=self.data_hash,
            validators_hash=self.validators_hash,
            next_validators_hash=self.next_validators_hash,
            consensus_hash=self.consensus_hash,
            app_hash=self.app_hash,
            last_results_hash=self.last_results_hash,
            evidence_hash=self.evidence_hash,
            proposer_address=self.proposer_address,
        )
        pb.version.SetInParent()
        pb.version.block = self.version_block
        pb.version.app = self.version_app
        pb.time.SetInParent()
        pb.time.CopyFrom(timestamp(self.time_ns))
        pb.last_block_id.CopyFrom(self.last_block_id.to_proto())
        return pb

    @staticmethod
    def from_proto(pb: types_pb2.Header) -> Header:
        return Header(
            chain_id=pb.chain_id,
            height=pb.height,
            time_ns=ts_ns(pb.time),
            last_block_id=BlockID.from_proto(pb.last_block_id),
            last_commit_hash=pb.last_commit_hash,
            data_hash=pb.data_hash,
            validators_hash=pb.validators_hash,
            next_validators_hash=pb.next_validators_hash,
            consensus_hash=pb.consensus_hash,
            app_hash=pb.app_hash,
            last_results_hash=pb.last_results_hash,
            evidence_hash=pb.evidence_hash,
            proposer_address=pb.proposer_address,
            version_block=pb.version.block,
            version_app=pb.version.app,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "version": {"block": str(self.version_block), "app": str(self.version_app)},
            "chain_id": self.chain_id,
            "height": str(self.height),
            "time": time_json(self.time_ns),
            "last_block_id": self.last_block_id.to_json(),
            "last_commit_hash": hexu(self.last_commit_hash),
            "data_hash": hexu(self.data_hash),
            "validators_hash": hexu(self.validators_hash),
            "next_validators_hash": hexu(self.next_validators_hash),
            "consensus_hash": hexu(self.consensus_hash),
            "app_hash": hexu(self.app_hash),
            "last_results_hash": hexu(self.last_results_hash),
            "evidence_hash": hexu(self.evidence_hash),
            "proposer_address": hexu(self.proposer_address),
        }

    @staticmethod
    def from_json(doc: object, where: str = "header") -> Header:
        d = json_object(doc, where)
        version = json_object(json_field(d, "version", where), f"{where}.version")

        def hash_(key: str) -> bytes:
            return json_hex(json_field(d, key, where), f"{where}.{key}")

        return Header(
            chain_id=json_str(json_field(d, "chain_id", where), f"{where}.chain_id"),
            height=json_int64(json_field(d, "height", where), f"{where}.height"),
            time_ns=json_time(json_field(d, "time", where), f"{where}.time"),
            last_block_id=BlockID.from_json(json_field(d, "last_block_id", where), f"{where}.last_block_id"),
            last_commit_hash=hash_("last_commit_hash"),
            data_hash=hash_("data_hash"),
            validators_hash=hash_("validators_hash"),
            next_validators_hash=hash_("next_validators_hash"),
            consensus_hash=hash_("consensus_hash"),
            app_hash=hash_("app_hash"),
            last_results_hash=hash_("last_results_hash"),
            evidence_hash=hash_("evidence_hash"),
            proposer_address=hash_("proposer_address"),
            # version.Consensus fields are omitempty: a zero app version is left out by CometBFT
            version_block=json_int64(version.get("block", "0"), f"{where}.version.block"),
            version_app=json_int64(version.get("app", "0"), f"{where}.version.app"),
        )


# --- votes and commits ------------------------------------------------------------------------------------------
def vote_sign_bytes(chain_id: str, vote_type: int, height: int, round_: int, block_id: BlockID, time_ns: int) -> bytes:
    """VoteSignBytes: protoio.MarshalDelimited(CanonicalVote); a zero BlockID is left out (nil vote)."""
    pb = canonical_pb2.CanonicalVote(type=vote_type, height=height, round=round_, chain_id=chain_id)  # type: ignore[arg-type]
    if not block_id.is_zero:
        pb.block_id.hash = block_id.hash
        pb.block_id.part_set_header.SetInParent()
        pb.block_id.part_set_header.total = block_id.parts.total
        pb.block_id.part_set_header.hash = block_id.parts.hash
    pb.timestamp.SetInParent()
    pb.timestamp.seconds, pb.timestamp.nanos = time_ns // 10**9, time_ns % 10**9
    body = pb.SerializeToString()
    return uvarint(len(body)) + body


def sign_bytes_timestamp(sign_bytes: bytes) -> int:
    size, pos = read_uvarint(sign_bytes)
    return ts_ns(canonical_pb2.CanonicalVote.FromString(sign_bytes[pos : pos + size]).timestamp)


@dataclass(frozen=True)
class CommitSig:
    block_id_flag: int
    validator_address: bytes
    time_ns: int
    signature: bytes

    @staticmethod
    def absent() -> CommitSig:
        """The entry of a validator whose precommit is not in the commit (a commit lists every validator)."""
        return CommitSig(BLOCK_ID_FLAG_ABSENT, b"", GO_ZERO_TIME_NS, b"")

    def to_proto(self) -> types_pb2.CommitSig:
        pb = types_pb2.CommitSig(
            block_id_flag=self.block_id_flag,  # type: ignore[arg-type]
            validator_address=self.validator_address,
            signature=self.signature,
        )
        pb.timestamp.SetInParent()
        pb.timestamp.CopyFrom(timestamp(self.time_ns))
        return pb

    def to_json(self) -> dict[str, Any]:
        return {
            "block_id_flag": self.block_id_flag,
            "validator_address": hexu(self.validator_address),
            "timestamp": time_json(self.time_ns),
            "signature": b64(self.signature) if self.signature else None,
        }

    @staticmethod
    def from_json(doc: object, where: str) -> CommitSig:
        d = json_object(doc, where)
        return CommitSig(
            json_int32(json_field(d, "block_id_flag", where), f"{where}.block_id_flag"),
            json_hex(json_field(d, "validator_address", where), f"{where}.validator_address"),
            json_time(json_field(d, "timestamp", where), f"{where}.timestamp"),
            json_b64(json_field(d, "signature", where), f"{where}.signature", nullable=True),
        )


@dataclass(frozen=True)
class Commit:
    height: int = 0
    round: int = 0
    block_id: BlockID = BlockID()
    signatures: tuple[CommitSig, ...] = ()

    def hash(self) -> bytes:
        return merkle_hash([s.to_proto().SerializeToString() for s in self.signatures])

    def to_proto(self) -> types_pb2.Commit:
        pb = types_pb2.Commit(height=self.height, round=self.round)
        pb.block_id.CopyFrom(self.block_id.to_proto())
        pb.signatures.extend(s.to_proto() for s in self.signatures)
        return pb

    @staticmethod
    def from_proto(pb: types_pb2.Commit) -> Commit:
        return Commit(
            pb.height,
            pb.round,
            BlockID.from_proto(pb.block_id),
            tuple(
                CommitSig(s.block_id_flag, s.validator_address, ts_ns(s.timestamp), s.signature)
                for s in pb.signatures
            ),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "height": str(self.height),
            "round": self.round,
            "block_id": self.block_id.to_json(),
            "signatures": [s.to_json() for s in self.signatures],
        }

    @staticmethod
    def from_json(doc: object, where: str = "commit") -> Commit:
        d = json_object(doc, where)
        sigs = json_list(json_field(d, "signatures", where), f"{where}.signatures")
        return Commit(
            json_int64(json_field(d, "height", where), f"{where}.height"),
            json_int32(json_field(d, "round", where), f"{where}.round"),
            BlockID.from_json(json_field(d, "block_id", where), f"{where}.block_id"),
            tuple(CommitSig.from_json(s, f"{where}.signatures[{i}]") for i, s in enumerate(sigs)),
        )


@dataclass(frozen=True)
class Block:
    header: Header
    txs: tuple[bytes, ...]
    last_commit: Commit

    def to_proto(self) -> block_pb2.Block:
        pb = block_pb2.Block()
        pb.header.CopyFrom(self.header.to_proto())
        pb.data.SetInParent()
        pb.data.txs.extend(self.txs)
        pb.evidence.SetInParent()
        pb.last_commit.CopyFrom(self.last_commit.to_proto())
        return pb

    def to_bytes(self) -> bytes:
        return self.to_proto().SerializeToString()

    @staticmethod
    def from_bytes(data: bytes) -> Block:
        pb = block_pb2.Block.FromString(data)
        return Block(Header.from_proto(pb.header), tuple(pb.data.txs), Commit.from_proto(pb.last_commit))

    def part_set_header(self, encoded: bytes | None = None) -> PartSetHeader:
        data = self.to_bytes() if encoded is None else encoded
        parts = [data[i : i + BLOCK_PART_SIZE] for i in range(0, len(data), BLOCK_PART_SIZE)]
        return PartSetHeader(len(parts), merkle_hash(parts))

    def block_id(self, encoded: bytes | None = None) -> BlockID:
        return BlockID(self.header.hash(), self.part_set_header(encoded))

    def to_json(self) -> dict[str, Any]:
        return {
            "header": self.header.to_json(),
            "data": {"txs": [b64(tx) for tx in self.txs]},
            "evidence": {"evidence": []},
            "last_commit": self.last_commit.to_json(),
        }


# --- validators / params / results -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Validator:
    pub_key: bytes  # ed25519, 32 bytes
    power: int
    name: str = ""
    proposer_priority: int = 0

    @property
    def address(self) -> bytes:
        return address_of(self.pub_key)

    def to_bytes(self) -> bytes:
        pb = validator_pb2.SimpleValidator(voting_power=self.power)
        pb.pub_key.CopyFrom(keys_pb2.PublicKey(ed25519=self.pub_key))
        return pb.SerializeToString()

    def pub_key_json(self) -> dict[str, str]:
        return {"type": PUBKEY_ED25519, "value": b64(self.pub_key)}

    def to_json(self) -> dict[str, Any]:
        return {
            "address": hexu(self.address),
            "pub_key": self.pub_key_json(),
            "voting_power": str(self.power),
            "proposer_priority": str(self.proposer_priority),
        }

    @staticmethod
    def from_json(doc: object, where: str) -> Validator:
        """A ``/validators`` entry: an ed25519 key whose address is the one given."""
        d = json_object(doc, where)
        key = json_object(json_field(d, "pub_key", where), f"{where}.pub_key")
        if json_field(key, "type", f"{where}.pub_key") != PUBKEY_ED25519:
            raise ValueError(f"{where}.pub_key.type: expected {PUBKEY_ED25519}, got {key['type']!r:.60}")
        pub_key = json_b64(json_field(key, "value", f"{where}.pub_key"), f"{where}.pub_key.value")
        if len(pub_key) != 32:
            raise ValueError(f"{where}.pub_key.value: an ed25519 key is 32 bytes, got {len(pub_key)}")
        validator = Validator(pub_key, json_int64(json_field(d, "voting_power", where), f"{where}.voting_power"),
                              proposer_priority=json_int64(json_field(d, "proposer_priority", where),
                                                           f"{where}.proposer_priority"))
        address = json_hex(json_field(d, "address", where), f"{where}.address")
        if address != validator.address:
            raise ValueError(f"{where}.address: {hexu(address)} is not the address of its pub_key "
                             f"({hexu(validator.address)})")
        return validator


def validators_hash(validators: Sequence[Validator]) -> bytes:
    return merkle_hash([v.to_bytes() for v in validators])


def consensus_params_hash(max_bytes: int, max_gas: int) -> bytes:
    return hashlib.sha256(
        params_pb2.HashedParams(block_max_bytes=max_bytes, block_max_gas=max_gas).SerializeToString()
    ).digest()


def results_hash(results: Sequence[tuple[int, bytes, int, int]]) -> bytes:
    """LastResultsHash from (code, data, gas_wanted, gas_used) per tx."""
    return merkle_hash([
        abci_pb2.ExecTxResult(code=c, data=d, gas_wanted=w, gas_used=u).SerializeToString() for c, d, w, u in results
    ])
