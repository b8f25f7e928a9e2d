"""CometBFT's encodings against vectors from cometbft v0.38.25's own tests: RFC 6962 merkle trees and times."""

from __future__ import annotations

import hashlib

import pytest

from panacea.types.cometbft.encoding import merkle_hash, merkle_proofs, parse_time, time_json


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


# crypto/merkle/tree_test.go TestHashFromByteSlices
@pytest.mark.parametrize(("items", "expected"), [
    ([], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ([bytes([1, 2, 3])], "054edec1d0211f624fed0cbca9d4f9400b0e491c43742af2c5b0abebf0c990d8"),
    ([b""], "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
    ([bytes([1, 2, 3]), bytes([4, 5, 6])], "82e6cfce00453804379b53962939eaa7906b39904be0813fcadd31b100773c4b"),
    ([bytes([1, 2]), bytes([3, 4]), bytes([5, 6]), bytes([7, 8]), bytes([9, 10])],
     "f326493eceab4f2d9ffbc78c59432a0a005d6ea98392045c74df5d14a113be18"),
])
def test_merkle_vectors(items: list[bytes], expected: str) -> None:
    assert merkle_hash(items).hex() == expected


def _verify_aunts(root: bytes, index: int, total: int, item: bytes, aunts: list[bytes]) -> bool:
    """merkle.Proof.Verify (computeHashFromAunts), written independently of merkle_proofs."""
    def compute(index: int, total: int, leaf: bytes, aunts: list[bytes]) -> bytes:
        if total == 1:
            assert not aunts
            return leaf
        k = 1 << ((total - 1).bit_length() - 1)
        if index < k:
            left = compute(index, k, leaf, aunts[:-1])
            return sha(b"\x01" + left + aunts[-1])
        right = compute(index - k, total - k, leaf, aunts[:-1])
        return sha(b"\x01" + aunts[-1] + right)

    return compute(index, total, sha(b"\x00" + item), aunts) == root


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13])
def test_merkle_proofs_verify(n: int) -> None:
    items = [bytes([i]) * (i + 1) for i in range(n)]
    root, aunts = merkle_proofs(items)
    assert root == merkle_hash(items)
    for i, item in enumerate(items):
        assert _verify_aunts(root, i, n, item, aunts[i])
        assert not _verify_aunts(root, i, n, item + b"x", aunts[i])


def test_time_json_and_parse() -> None:
    assert time_json(1_700_000_000 * 10**9) == "2023-11-14T22:13:20Z"
    assert time_json(1_700_000_000 * 10**9 + 120_000_000) == "2023-11-14T22:13:20.12Z"
    assert parse_time("2023-11-14T22:13:20.12Z") == 1_700_000_000 * 10**9 + 120_000_000
    assert parse_time("2023-11-15T00:13:20+02:00") == 1_700_000_000 * 10**9
    with pytest.raises(ValueError, match="invalid time"):
        parse_time("yesterday")


def test_go_zero_time_round_trips() -> None:
    # an absent CommitSig carries Go's zero time.Time
    assert time_json(-62135596800 * 10**9) == "0001-01-01T00:00:00Z"
    assert parse_time("0001-01-01T00:00:00Z") == -62135596800 * 10**9
