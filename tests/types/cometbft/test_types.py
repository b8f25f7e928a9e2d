"""CometBFT block structures and hashes against vectors from cometbft v0.38.25's own tests, plus round trips."""

from __future__ import annotations

import base64
import calendar
import hashlib
import json

import pytest

from panacea.node.engine.privval import Ed25519Key
from panacea.types.cometbft.encoding import EMPTY_HASH, merkle_hash, txs_hash
from panacea.types.cometbft.types import (
    Block,
    BlockID,
    Commit,
    CommitSig,
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


def _signed_header() -> tuple[Header, Commit, Validator]:
    key = Ed25519Key(sha(b"validator"))
    validator = Validator(key.pub_key, 10, proposer_priority=-5)
    header = Header("c", 7, 1_700_000_000_123_000_000, BlockID(sha(b"prev"), PartSetHeader(1, sha(b"p"))),
                    sha(b"lc"), EMPTY_HASH, sha(b"v"), sha(b"v"), sha(b"c"), sha(b"app"), EMPTY_HASH, EMPTY_HASH,
                    key.address, version_app=3)
    block_id = BlockID(header.hash(), PartSetHeader(1, sha(b"parts")))
    commit = Commit(7, 1, block_id, (CommitSig(2, key.address, 1_700_000_000_200_000_000, b"s" * 64),
                                     CommitSig(1, b"", GO_ZERO_TIME_NS, b"")))
    return header, commit, validator


def test_from_json_inverts_to_json() -> None:
    header, commit, validator = _signed_header()
    assert Header.from_json(header.to_json()) == header
    assert Commit.from_json(commit.to_json()) == commit
    assert Validator.from_json(validator.to_json(), "v") == validator
    assert commit.to_json()["signatures"][1] == {"block_id_flag": 1, "validator_address": "",
                                                  "timestamp": "0001-01-01T00:00:00Z", "signature": None}


def test_header_from_json_reads_cometbft_omitting_a_zero_app_version() -> None:
    header, _, _ = _signed_header()
    doc = header.to_json()
    doc["version"] = {"block": "11"}  # version.Consensus is omitempty in CometBFT's JSON
    parsed = Header.from_json(doc)
    assert (parsed.version_block, parsed.version_app) == (11, 0)
    assert parsed.hash() == Header(**{**header.__dict__, "version_app": 0}).hash()


def _edit(doc: dict[str, object], path: str, value: object) -> dict[str, object]:
    """A deep copy of ``doc`` with ``path`` (dotted; list indexes as numbers) set, or removed when ``value`` is
    ``...``."""
    out: dict[str, object] = json.loads(json.dumps(doc))
    *parents, last = path.split(".")
    node: object = out
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    if value is ...:
        del node[last]  # type: ignore[attr-defined]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value  # type: ignore[index]
    return out


@pytest.mark.parametrize(("path", "value", "message"), [
    ("height", 7, "header.height: expected an integer string, got int 7"),
    ("height", "7.0", "header.height: expected an integer string, got str"),
    ("height", "99999999999999999999", "header.height: 99999999999999999999 is out of range"),
    ("chain_id", None, "header.chain_id: expected a string, got null"),
    ("time", "yesterday", "header.time: not an RFC 3339 time"),
    ("app_hash", "XYZ", "header.app_hash: not hex"),
    ("app_hash", "abc", "header.app_hash: not hex"),
    ("app_hash", "ab cd", "header.app_hash: not hex"),
    ("last_block_id.parts.total", "1", "header.last_block_id.parts.total: expected a 32-bit integer, got str"),
    ("last_block_id.parts", [], "header.last_block_id.parts: expected an object, got list"),
    ("proposer_address", ..., "header.proposer_address: missing"),
    ("version.app", 3, "header.version.app: expected an integer string, got int 3"),
])
def test_header_from_json_names_the_bad_field(path: str, value: object, message: str) -> None:
    header, _, _ = _signed_header()
    with pytest.raises(ValueError) as e:
        Header.from_json(_edit(header.to_json(), path, value))
    assert str(e.value) == message


@pytest.mark.parametrize(("path", "value", "message"), [
    ("round", "1", "commit.round: expected a 32-bit integer, got str"),
    ("round", True, "commit.round: expected a 32-bit integer, got bool True"),
    ("signatures", None, "commit.signatures: expected a list, got null"),
    ("signatures.0", "sig", "commit.signatures[0]: expected an object, got str"),
    ("signatures.0.signature", "!!", "commit.signatures[0].signature: not base64"),
    ("signatures.0.signature", 5, "commit.signatures[0].signature: expected a string, got int 5"),
    ("signatures.1.timestamp", ..., "commit.signatures[1].timestamp: missing"),
    ("block_id.hash", 1, "commit.block_id.hash: expected a string, got int 1"),
])
def test_commit_from_json_names_the_bad_field(path: str, value: object, message: str) -> None:
    _, commit, _ = _signed_header()
    with pytest.raises(ValueError) as e:
        Commit.from_json(_edit(commit.to_json(), path, value))
    assert str(e.value) == message


def test_validator_from_json_checks_the_key_and_its_address() -> None:
    _, _, validator = _signed_header()
    doc = validator.to_json()
    cases = [
        (_edit(doc, "pub_key.type", "tendermint/PubKeySecp256k1"),
         "v.pub_key.type: expected tendermint/PubKeyEd25519, got 'tendermint/PubKeySecp256k1'"),
        (_edit(doc, "pub_key.value", base64.b64encode(bytes(33)).decode()),
         "v.pub_key.value: an ed25519 key is 32 bytes, got 33"),
        (_edit(doc, "address", "00" * 20),
         f"v.address: {'00' * 20} is not the address of its pub_key ({validator.address.hex().upper()})"),
        (_edit(doc, "voting_power", 10), "v.voting_power: expected an integer string, got int 10"),
        (_edit(doc, "pub_key", ...), "v.pub_key: missing"),
    ]
    for bad, message in cases:
        with pytest.raises(ValueError) as e:
            Validator.from_json(bad, "v")
        assert str(e.value) == message
