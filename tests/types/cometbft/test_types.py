"""CometBFT block structures and hashes against vectors from cometbft v0.38.25's own tests, plus round trips."""

from __future__ import annotations

import base64
import calendar
import hashlib
from pathlib import Path

import pytest

from panacea.node.engine.privval import Ed25519Key
from panacea.types.cometbft.encoding import EMPTY_HASH, merkle_hash, txs_hash
from panacea.types.cometbft.types import (
    Block,
    BlockID,
    Commit,
    CommitSig,
    GenesisDoc,
    Header,
    PartSetHeader,
    Validator,
    consensus_params_hash,
    vote_sign_bytes,
)

GO_ZERO_TIME_NS = -62135596800 * 10**9


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_header_hash_vector() -> None:
    # types/block_test.go TestHeaderHash "Generates expected hash"
    header = Header(
        chain_id="chainId", height=3, time_ns=calendar.timegm((2019, 10, 13, 16, 14, 44)) * 10**9,
        last_block_id=BlockID(bytes(32), PartSetHeader(6, bytes(32))),
        last_commit_hash=sha(b"last_commit_hash"), data_hash=sha(b"data_hash"),
        validators_hash=sha(b"validators_hash"), next_validators_hash=sha(b"next_validators_hash"),
        consensus_hash=sha(b"consensus_hash"), app_hash=sha(b"app_hash"),
        last_results_hash=sha(b"last_results_hash"), evidence_hash=sha(b"evidence_hash"),
        proposer_address=sha(b"proposer_address")[:20], version_block=1, version_app=2,
    )
    assert header.hash().hex().upper() == "F740121F553B5418C3EFBD343C2DBFE9E007BB67B0D020A0741374BAB65242A4"
    assert Header(**{**header.__dict__, "validators_hash": b""}).hash() == b""  # "nil ValidatorsHash yields nil"


# types/vote_test.go TestVoteSignBytesTestVectors (zero Go time as the timestamp)
@pytest.mark.parametrize(("chain_id", "vote_type", "height", "round_", "expected"), [
    ("", 0, 0, 0, "0d2a0b088092b8c398feffffff01"),
    ("", 2, 1, 1, "2108021101000000000000001901000000000000002a0b088092b8c398feffffff01"),
    ("", 1, 1, 1, "2108011101000000000000001901000000000000002a0b088092b8c398feffffff01"),
    ("", 0, 1, 1, "1f1101000000000000001901000000000000002a0b088092b8c398feffffff01"),
    ("test_chain_id", 0, 1, 1,
     "2e1101000000000000001901000000000000002a0b088092b8c398feffffff01320d746573745f636861696e5f6964"),
])
def test_vote_sign_bytes_vectors(chain_id: str, vote_type: int, height: int, round_: int, expected: str) -> None:
    assert vote_sign_bytes(chain_id, vote_type, height, round_, BlockID(), GO_ZERO_TIME_NS).hex() == expected


def test_validator_set_and_params_hash() -> None:
    pub = bytes(range(32))
    v = Validator(pub, 10)
    # SimpleValidator{pub_key: PublicKey{ed25519: pub}, voting_power: 10}
    assert v.to_bytes() == bytes.fromhex("0a220a20") + pub + bytes.fromhex("100a")
    assert v.address == sha(pub)[:20]
    # HashedParams{block_max_bytes: 22020096, block_max_gas: -1}
    hp = bytes.fromhex("088080c00a" + "10ffffffffffffffffff01")
    assert consensus_params_hash(22020096, -1) == sha(hp)


def test_block_round_trip_and_parts() -> None:
    key = Ed25519Key(sha(b"k"))
    header = Header("c", 2, 1_700_000_000_123_000_000, BlockID(sha(b"prev"), PartSetHeader(1, sha(b"p"))),
                    sha(b"lc"), txs_hash([b"a" * 70000, b"b"]), sha(b"v"), sha(b"v"), sha(b"c"), sha(b"app"),
                    EMPTY_HASH, EMPTY_HASH, key.address, version_app=1)
    commit = Commit(1, 0, BlockID(sha(b"prev"), PartSetHeader(1, sha(b"p"))),
                    (CommitSig(2, key.address, 1_700_000_000_000_000_001, b"s" * 64),))
    block = Block(header, (b"a" * 70000, b"b"), commit)
    encoded = block.to_bytes()
    assert Block.from_bytes(encoded) == block
    parts = block.part_set_header()
    assert parts.total == 2
    assert parts.hash == merkle_hash([encoded[:65536], encoded[65536:]])
    assert block.block_id() == BlockID(header.hash(), parts)
    # the empty commit of the first block: BlockID{} still encodes its (non-nullable) PartSetHeader
    assert Commit().to_proto().SerializeToString() == bytes.fromhex("1a021200")
    assert Commit().hash() == EMPTY_HASH
    assert block.to_json()["last_commit"]["signatures"][0]["timestamp"] == "2023-11-14T22:13:20.000000001Z"


def test_genesis_doc_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="non-empty chain_id"):
        GenesisDoc.from_json({"chain_id": ""})
    with pytest.raises(ValueError, match="does not match its pub_key"):
        GenesisDoc.from_json({"chain_id": "c", "validators": [
            {"address": "00" * 20, "pub_key": {"type": "tendermint/PubKeyEd25519",
                                               "value": base64.b64encode(bytes(32)).decode()}, "power": "1"}]})
    (tmp_path / "g.json").write_text("{")
    with pytest.raises(ValueError, match="is not JSON"):
        GenesisDoc.load(str(tmp_path / "g.json"))
    g = GenesisDoc.from_json({"chain_id": "c", "initial_height": "0", "genesis_time": "2023-11-14T22:13:20Z"})
    assert (g.initial_height, g.genesis_time_ns, g.max_bytes, g.max_gas) == (1, 1_700_000_000 * 10**9, 22020096, -1)
