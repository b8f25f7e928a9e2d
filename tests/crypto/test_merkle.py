import random
from collections.abc import Iterator
from hashlib import sha256
from pathlib import Path

import pytest

from panacea.chain.store import Store
from panacea.crypto.merkle import EMPTY_HASH, Proof, verify_proof


def _keys_sharing_prefix(bits: int, count: int) -> list[bytes]:
    """Keys whose sha256 agree on the first `bits` bits, so their paths run deep together."""
    buckets: dict[int, list[bytes]] = {}
    i = 0
    while True:
        key = b"deep/" + i.to_bytes(4, "big")
        bucket = buckets.setdefault(int.from_bytes(sha256(key).digest()[:4], "big") >> (32 - bits), [])
        bucket.append(key)
        if len(bucket) == count:
            return bucket
        i += 1


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(str(tmp_path)) as opened:
        yield opened


def test_membership_and_non_membership(store: Store) -> None:
    rng = random.Random(2)
    deep = _keys_sharing_prefix(16, 3)
    present = {rng.randbytes(6): rng.randbytes(rng.randrange(4)) for _ in range(300)}
    present.update({deep[0]: b"d0", deep[1]: b""})
    store.commit(present, 1)
    root = store.root_hash()
    absent = [rng.randbytes(6) for _ in range(100)] + [deep[2]]
    for key, value in present.items():
        proof = store.prove(key)
        assert verify_proof(root, key, value, proof)
        assert not verify_proof(root, key, value + b"x", proof)
        assert not verify_proof(root, key, None, proof)
        assert not verify_proof(root, key + b"x", value, proof)
        assert not verify_proof(sha256(root).digest(), key, value, proof)
    for key in absent:
        proof = store.prove(key)
        assert verify_proof(root, key, None, proof)
        assert not verify_proof(root, key, b"", proof)
        assert not verify_proof(sha256(root).digest(), key, None, proof)
    deep_absent = store.prove(deep[2])
    assert len(deep_absent.levels) >= 5  # deep[0] and deep[1] share 4 nibbles: nodes at depths 0..4
    assert deep_absent.leaf is None or deep_absent.leaf[0] in {sha256(k).digest() for k in deep[:2]}
    assert not verify_proof(root, deep[0], None, store.prove(deep[0]))


def test_proofs_at_older_versions_do_not_verify_at_others(store: Store) -> None:
    store.commit({b"a": b"1", b"b": b"2"}, 1)
    store.commit({b"a": b"11", b"c": b"3"}, 2)
    store.commit({b"b": None}, 3)
    old = store.prove(b"a", 1)
    assert verify_proof(store.root_hash(1), b"a", b"1", old)
    assert not verify_proof(store.root_hash(2), b"a", b"1", old)
    assert not verify_proof(store.root_hash(2), b"a", b"11", old)
    assert verify_proof(store.root_hash(2), b"a", b"11", store.prove(b"a", 2))
    assert verify_proof(store.root_hash(2), b"b", b"2", store.prove(b"b", 2))
    assert verify_proof(store.root_hash(3), b"b", None, store.prove(b"b"))
    assert not verify_proof(store.root_hash(3), b"b", b"2", store.prove(b"b", 2))
    assert verify_proof(store.root_hash(1), b"c", None, store.prove(b"c", 1))


def test_empty_and_single_key_stores(store: Store) -> None:
    proof = store.prove(b"x")
    assert proof == Proof((), None)
    assert verify_proof(EMPTY_HASH, b"x", None, proof)
    store.commit({b"only": b"v"}, 1)
    assert verify_proof(store.root_hash(), b"only", b"v", store.prove(b"only"))
    absent = store.prove(b"x")
    assert absent.levels == ()
    assert absent.leaf == (sha256(b"only").digest(), sha256(b"v").digest())
    assert verify_proof(store.root_hash(), b"x", None, absent)


def test_proof_encoding_round_trips(store: Store) -> None:
    store.commit({bytes([i]): bytes([i]) * i for i in range(1, 200)}, 1)
    for key in (b"\x05", b"\x07", b"missing", b"\xfe"):
        proof = store.prove(key)
        encoded = proof.to_bytes()
        assert Proof.from_bytes(encoded) == proof
        assert Proof.from_bytes(encoded).to_bytes() == encoded
    sparse = Proof(((0xC000, (b"\x11" * 32,)), (0x0003, (b"\x22" * 32, b"\x33" * 32))), None)
    encoded = sparse.to_bytes()
    assert encoded.hex() == "0002" + "c000" + "11" * 32 + "0003" + "22" * 32 + "33" * 32
    assert Proof.from_bytes(encoded) == sparse


def test_tampered_proofs_do_not_verify(store: Store) -> None:
    store.commit({bytes([i]): bytes([i]) * i for i in range(1, 200)}, 1)
    root = store.root_hash()
    proof = store.prove(b"\x05")
    assert verify_proof(root, b"\x05", b"\x05" * 5, proof)
    (bitmap, siblings), *rest = proof.levels
    moved = Proof(((bitmap ^ 0x0001 if bitmap & 0x0001 else bitmap | 0x0001, siblings), *rest), proof.leaf)
    assert not verify_proof(root, b"\x05", b"\x05" * 5, moved)
    shuffled = Proof(((bitmap, siblings[::-1]), *rest), proof.leaf)
    assert not verify_proof(root, b"\x05", b"\x05" * 5, shuffled)
    truncated = Proof(tuple(rest), proof.leaf)
    assert not verify_proof(root, b"\x05", b"\x05" * 5, truncated)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "proof too short"),
        (b"\x00", "proof too short"),
        (b"\x02\x00", "unknown proof flags 0x02"),
        (b"\x00\x41", "proof depth 65 exceeds 64"),
        (b"\x00\x01", "proof too short"),
        (b"\x00\x01\x80", "proof too short"),
        (b"\x00\x02\x00\x00", "proof level without children"),
        (b"\x01\x01\x00\x00", "proof level without children"),
        (b"\x00\x01\x80\x00" + b"\x11" * 31, "proof too short"),
        (b"\x00\x01\x80\x00" + b"\x11" * 32 + b"\x00", "1 trailing bytes after proof"),
        (b"\x00\x00\x00", "1 trailing bytes after proof"),
        (b"\x01\x00" + b"\x11" * 63, "proof too short"),
    ],
)
def test_garbage_proofs_are_rejected(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        Proof.from_bytes(data)
