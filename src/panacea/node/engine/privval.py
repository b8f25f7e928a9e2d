"""The validator's ed25519 key and its double-sign guard, in CometBFT's file formats (privval/file.go).

``priv_validator_key.json`` = ``{"address", "pub_key": {type, value}, "priv_key": {type, value: b64(seed‖pub)}}``;
``node_key.json`` = ``{"priv_key": {...}}``; ``priv_validator_state.json`` = ``{"height": "H", "round": R,
"step": S[, "signature": b64, "signbytes": HEX]}``. A vote for an already signed height/round/step is only
signed again when it is the same vote (then the stored signature is returned, as FilePV does).
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from panacea.types.cometbft.encoding import address_of, hexu, read_uvarint
from panacea.types.cometbft.types import PRECOMMIT_TYPE, PUBKEY_ED25519, BlockID, sign_bytes_timestamp, vote_sign_bytes
from panacea.types.pb.tendermint.types import canonical_pb2

PRIVKEY_ED25519 = "tendermint/PrivKeyEd25519"
STEP_PREVOTE = 2
STEP_PRECOMMIT = 3


class DoubleSignError(Exception):
    """Signing would contradict an earlier signature (height/round/step regression or conflicting data)."""


@dataclass(frozen=True)
class Ed25519Key:
    seed: bytes

    @property
    def private(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def pub_key(self) -> bytes:
        return self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def address(self) -> bytes:
        return address_of(self.pub_key)

    def sign(self, message: bytes) -> bytes:
        return self.private.sign(message)

    @staticmethod
    def generate() -> Ed25519Key:
        return Ed25519Key(os.urandom(32))

    def priv_key_json(self) -> dict[str, str]:
        return {"type": PRIVKEY_ED25519, "value": base64.b64encode(self.seed + self.pub_key).decode()}

    @staticmethod
    def from_priv_key_json(obj: Any, where: str) -> Ed25519Key:
        try:
            if obj["type"] != PRIVKEY_ED25519:
                raise ValueError(f"unsupported key type {obj['type']!r}")
            raw = base64.b64decode(obj["value"], validate=True)
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"{where}: invalid priv_key: {e}") from None
        if len(raw) != 64:
            raise ValueError(f"{where}: priv_key must be 64 bytes (seed‖public key), got {len(raw)}")
        key = Ed25519Key(raw[:32])
        if key.pub_key != raw[32:]:
            raise ValueError(f"{where}: priv_key public half does not match its seed")
        return key


def write_json_atomic(path: Path, obj: Any) -> None:
    """Write, fsync, rename: a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except OSError as e:
        raise ValueError(f"cannot read {path}: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{path} is not JSON: {e}") from None


def priv_validator_key_json(key: Ed25519Key) -> dict[str, Any]:
    return {
        "address": hexu(key.address),
        "pub_key": {"type": PUBKEY_ED25519, "value": base64.b64encode(key.pub_key).decode()},
        "priv_key": key.priv_key_json(),
    }


def write_priv_validator_key(path: Path, key: Ed25519Key) -> None:
    write_json_atomic(path, priv_validator_key_json(key))


def load_priv_validator_key(path: Path) -> Ed25519Key:
    doc = _read_json(path)
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: not a JSON object")
    key = Ed25519Key.from_priv_key_json(doc.get("priv_key"), str(path))
    address = doc.get("address")
    if address is not None and address.upper() != hexu(key.address):
        raise ValueError(f"{path}: address {address} does not match the key")
    return key


def write_node_key(path: Path, key: Ed25519Key) -> None:
    write_json_atomic(path, {"priv_key": key.priv_key_json()})


def load_node_key(path: Path) -> Ed25519Key:
    doc = _read_json(path)
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: not a JSON object")
    return Ed25519Key.from_priv_key_json(doc.get("priv_key"), str(path))


def load_or_generate_node_key(path: Path) -> Ed25519Key:
    if path.exists():
        return load_node_key(path)
    key = Ed25519Key.generate()
    write_node_key(path, key)
    return key


def node_id(key: Ed25519Key) -> str:
    """p2p.ID: lower-case hex of the key's address."""
    return key.address.hex()


@dataclass
class LastSignState:
    height: int = 0
    round: int = 0
    step: int = 0
    signature: bytes = b""
    sign_bytes: bytes = b""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"height": str(self.height), "round": self.round, "step": self.step}
        if self.signature:
            out["signature"] = base64.b64encode(self.signature).decode()
        if self.sign_bytes:
            out["signbytes"] = hexu(self.sign_bytes)
        return out

    @staticmethod
    def from_json(doc: Any, where: str) -> LastSignState:
        try:
            return LastSignState(
                int(doc["height"]),
                int(doc["round"]),
                int(doc["step"]),
                base64.b64decode(doc.get("signature") or "", validate=True),
                bytes.fromhex(doc.get("signbytes") or ""),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise ValueError(f"{where}: invalid last sign state: {e}") from None


def _without_timestamp(sign_bytes: bytes) -> bytes:
    size, pos = read_uvarint(sign_bytes)
    vote = canonical_pb2.CanonicalVote.FromString(sign_bytes[pos : pos + size])
    vote.ClearField("timestamp")
    return bytes(vote.SerializeToString())


class PrivValidator:
    """FilePV: the validator key plus the persisted last-sign state."""

    def __init__(self, key: Ed25519Key, state_file: Path) -> None:
        self.key = key
        self.state_file = state_file
        self.state = (
            LastSignState.from_json(_read_json(state_file), str(state_file))
            if state_file.exists()
            else LastSignState()
        )

    @staticmethod
    def load(key_file: Path, state_file: Path) -> PrivValidator:
        return PrivValidator(load_priv_validator_key(key_file), state_file)

    @property
    def pub_key(self) -> bytes:
        return self.key.pub_key

    @property
    def address(self) -> bytes:
        return self.key.address

    def sign_vote(
        self, chain_id: str, height: int, round_: int, block_id: BlockID, time_ns: int, *,
        vote_type: int = PRECOMMIT_TYPE,
    ) -> tuple[bytes, int]:
        """Sign a vote; returns (signature, timestamp). Re-signing the same vote returns the stored one."""
        step = STEP_PRECOMMIT if vote_type == PRECOMMIT_TYPE else STEP_PREVOTE
        sign_bytes = vote_sign_bytes(chain_id, vote_type, height, round_, block_id, time_ns)
        s = self.state
        if (height, round_, step) < (s.height, s.round, s.step):
            raise DoubleSignError(
                f"height/round/step regression: got {height}/{round_}/{step}, last {s.height}/{s.round}/{s.step}"
            )
        if (height, round_, step) == (s.height, s.round, s.step) and s.sign_bytes:
            if s.sign_bytes == sign_bytes:
                return s.signature, time_ns
            if _without_timestamp(s.sign_bytes) == _without_timestamp(sign_bytes):
                return s.signature, sign_bytes_timestamp(s.sign_bytes)
            raise DoubleSignError(f"conflicting data: already signed a different vote at height {height}")
        signature = self.key.sign(sign_bytes)
        self.state = LastSignState(height, round_, step, signature, sign_bytes)
        write_json_atomic(self.state_file, self.state.to_json())
        return signature, time_ns
