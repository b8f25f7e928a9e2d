"""The validator key files and the double-sign guard, as CometBFT's FilePV keeps them."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from panacea.node.engine.privval import (
    DoubleSignError,
    Ed25519Key,
    PrivValidator,
    load_node_key,
    load_priv_validator_key,
    write_node_key,
    write_priv_validator_key,
)
from panacea.types.cometbft.types import (
    BlockID,
    PartSetHeader,
    vote_sign_bytes,
)


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_privval_files_round_trip(tmp_path: Path) -> None:
    key = Ed25519Key(sha(b"validator"))
    write_priv_validator_key(tmp_path / "pv.json", key)
    doc = json.loads((tmp_path / "pv.json").read_text())
    assert doc["address"] == key.address.hex().upper()
    assert doc["pub_key"] == {"type": "tendermint/PubKeyEd25519", "value": base64.b64encode(key.pub_key).decode()}
    assert base64.b64decode(doc["priv_key"]["value"]) == key.seed + key.pub_key
    assert doc["priv_key"]["type"] == "tendermint/PrivKeyEd25519"
    assert load_priv_validator_key(tmp_path / "pv.json") == key
    write_node_key(tmp_path / "nk.json", key)
    assert set(json.loads((tmp_path / "nk.json").read_text())) == {"priv_key"}
    assert load_node_key(tmp_path / "nk.json") == key
    doc["priv_key"]["value"] = base64.b64encode(key.seed + bytes(32)).decode()
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="public half does not match its seed"):
        load_priv_validator_key(tmp_path / "bad.json")


def test_privval_never_signs_two_blocks_at_one_height(tmp_path: Path) -> None:
    key = Ed25519Key(sha(b"validator"))
    pv = PrivValidator(key, tmp_path / "state.json")
    bid = BlockID(sha(b"block"), PartSetHeader(1, sha(b"parts")))
    sig, _ = pv.sign_vote("c", 5, 0, bid, 1000)
    Ed25519PublicKey.from_public_bytes(key.pub_key).verify(sig, vote_sign_bytes("c", 2, 5, 0, bid, 1000))
    state = json.loads((tmp_path / "state.json").read_text())
    assert state["height"] == "5" and state["round"] == 0 and state["step"] == 3
    # after a restart: the same vote gets the stored signature and timestamp, even with a later clock
    again = PrivValidator(key, tmp_path / "state.json")
    assert again.sign_vote("c", 5, 0, bid, 9999) == (sig, 1000)
    with pytest.raises(DoubleSignError, match="conflicting data"):
        again.sign_vote("c", 5, 0, BlockID(sha(b"other"), PartSetHeader(1, sha(b"parts"))), 1000)
    with pytest.raises(DoubleSignError, match="height/round/step regression"):
        again.sign_vote("c", 4, 0, bid, 1000)
    assert again.sign_vote("c", 6, 0, bid, 2000)[1] == 2000
