"""Hashing rules of the state tree and self-contained proof verification (see the package docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256

EMPTY_HASH = sha256(b"").digest()
"""Hash of an empty subtree, and so the root of an empty store."""

LEAF_PREFIX = b"\x00"
INNER_PREFIX = b"\x01"
MAX_DEPTH = 256
_HAS_LEAF = 0x01


def key_hash(key: bytes) -> bytes:
    """Position of `key` in the tree: the bits of sha256(key), most significant bit first."""
    return sha256(key).digest()


def leaf_hash(key_digest: bytes, value_digest: bytes) -> bytes:
    return sha256(LEAF_PREFIX + key_digest + value_digest).digest()


def inner_hash(left: bytes, right: bytes) -> bytes:
    return sha256(INNER_PREFIX + left + right).digest()


def bit_at(digest: bytes, depth: int) -> int:
    return (digest[depth >> 3] >> (7 - (depth & 7))) & 1


@dataclass(frozen=True)
class Proof:
    """Path from the root to the subtree where `key` lives.

    `siblings[i]` is the hash of the sibling at depth i+1 (root's child level first). The path ends in
    either an empty subtree (`leaf` is None) or a leaf `(key_hash, value_hash)`; that leaf is the key
    itself for membership, or the only other key sharing the path prefix for non-membership.
    """

    siblings: tuple[bytes, ...]
    leaf: tuple[bytes, bytes] | None

    def to_bytes(self) -> bytes:
        """flags(1) ‖ BE16(depth) ‖ empty-sibling bitmap ‖ non-empty siblings ‖ [leaf key/value hash]."""
        depth = len(self.siblings)
        bitmap = bytearray((depth + 7) // 8)
        present: list[bytes] = []
        for i, sibling in enumerate(self.siblings):
            if sibling == EMPTY_HASH:
                bitmap[i >> 3] |= 0x80 >> (i & 7)
            else:
                present.append(sibling)
        flags = _HAS_LEAF if self.leaf is not None else 0
        tail = self.leaf[0] + self.leaf[1] if self.leaf is not None else b""
        return bytes([flags]) + depth.to_bytes(2, "big") + bytes(bitmap) + b"".join(present) + tail

    @classmethod
    def from_bytes(cls, data: bytes) -> Proof:
        """Strict inverse of `to_bytes`: any other byte string raises ValueError."""
        if len(data) < 3:
            raise ValueError("proof too short")
        flags = data[0]
        if flags & ~_HAS_LEAF:
            raise ValueError(f"unknown proof flags 0x{flags:02x}")
        depth = int.from_bytes(data[1:3], "big")
        if depth > MAX_DEPTH:
            raise ValueError(f"proof depth {depth} exceeds {MAX_DEPTH}")
        pos = 3 + (depth + 7) // 8
        bitmap = data[3:pos]
        if len(bitmap) != (depth + 7) // 8:
            raise ValueError("proof too short")
        if depth % 8 and bitmap[-1] & (0xFF >> (depth % 8)):
            raise ValueError("non-zero padding bits in proof bitmap")
        siblings: list[bytes] = []
        for i in range(depth):
            if bitmap[i >> 3] & (0x80 >> (i & 7)):
                siblings.append(EMPTY_HASH)
                continue
            sibling = data[pos : pos + 32]
            if len(sibling) != 32:
                raise ValueError("proof too short")
            if sibling == EMPTY_HASH:
                raise ValueError("empty sibling must be encoded in the bitmap")
            siblings.append(sibling)
            pos += 32
        leaf: tuple[bytes, bytes] | None = None
        if flags & _HAS_LEAF:
            if len(data) - pos < 64:
                raise ValueError("proof too short")
            leaf = (data[pos : pos + 32], data[pos + 32 : pos + 64])
            pos += 64
        if pos != len(data):
            raise ValueError(f"{len(data) - pos} trailing bytes after proof")
        return cls(tuple(siblings), leaf)


def verify_proof(root: bytes, key: bytes, value: bytes | None, proof: Proof) -> bool:
    """True iff `proof` shows that `key` maps to `value` under `root` (`value` None: `key` is absent)."""
    digest = key_hash(key)
    depth = len(proof.siblings)
    if depth > MAX_DEPTH or len(root) != 32 or any(len(s) != 32 for s in proof.siblings):
        return False
    if proof.leaf is None:
        if value is not None:
            return False
        node = EMPTY_HASH
    else:
        leaf_key, leaf_value = proof.leaf
        if len(leaf_key) != 32 or len(leaf_value) != 32:
            return False
        if value is None:
            if leaf_key == digest or any(bit_at(leaf_key, i) != bit_at(digest, i) for i in range(depth)):
                return False
        elif leaf_key != digest or leaf_value != sha256(value).digest():
            return False
        node = leaf_hash(leaf_key, leaf_value)
    for i in range(depth - 1, -1, -1):
        sibling = proof.siblings[i]
        node = inner_hash(sibling, node) if bit_at(digest, i) else inner_hash(node, sibling)
    return node == root
