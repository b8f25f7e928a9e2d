"""The chain's state tree: its hashing rules, its proofs and their self-contained verification.

A leaf module (pure hashing): the chain's store (``panacea.chain.store``) hashes with it, and light clients
(``panacea.client.light``) verify ``abci_query`` proofs with it against a header's app hash.

State tree (all hashes are SHA-256, ‖ is concatenation; a client in another language re-implements exactly this):

- A key's position is the 256-bit path ``kh = sha256(key)``, read as 64 nibbles, most significant first
  (nibble 0 = high 4 bits of byte 0, nibble 1 = its low 4 bits, ...).
- The tree is the 16-ary sparse Merkle tree over those paths (the node at depth d has 16 slots, slot s
  holding the keys whose nibble d is s) in which every subtree holding exactly one key is replaced by
  that key's leaf (as in Diem's Jellyfish Merkle tree). Subtrees with two or more keys are inner nodes,
  even if only one of their slots is non-empty. Hence the root depends only on the set of
  (key, value) pairs, never on the order or history of writes.
- ``H_empty = sha256(b"")`` (e3b0c442…b855): the root of the empty store; never hashed into a node.
- ``H_leaf  = sha256(0x00 ‖ kh ‖ sha256(value))`` for a subtree containing just one key.
- ``H_inner = sha256(0x01 ‖ BE16(bitmap) ‖ H_child…)`` for a subtree containing two or more keys:
  bit ``0x8000 >> s`` of ``bitmap`` is set iff slot s is non-empty, and the hashes of the non-empty
  slots follow in increasing slot order (empty slots contribute nothing).
- Empty keys are rejected; an empty value is a value (``sha256(b"")`` as value hash), distinct from absent.

Proofs (`Proof`) list, for each inner node from the root down to where ``kh`` leads, its ``bitmap`` and
the hashes of its non-empty slots other than slot ``nibble(kh, depth)``, in slot order; the path ends at
an empty slot (absence; that slot's bit is clear in the deepest bitmap) or a leaf ``(kh', vh')``.
Membership: ``kh' == kh`` and ``vh' == sha256(value)``. Non-membership: the path ends empty (with no
levels: the root is ``H_empty``), or at a leaf with ``kh' != kh`` sharing the path's first ``d`` nibbles
(d = number of levels). The verifier folds upward: ``node`` = the leaf hash (or nothing for an empty end);
for i = d-1..0, insert ``node`` into level i's siblings at the position of slot ``nibble(kh, i)`` (whose
bit must be set, or clear for an empty end at i = d-1), check the count equals popcount(bitmap), and set
``node = H_inner``; finally compare with the root. The wire form is ``flags(1: bit0 = ends at leaf) ‖
d(1, <= 64) ‖ per level: BE16(bitmap) ‖ siblings (32 bytes each: popcount(bitmap) - 1, or
popcount(bitmap) at the deepest level of a proof ending empty) ‖ [kh' ‖ vh']``; every other string is
rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256
from typing import Final

EMPTY_HASH: Final = sha256(b"").digest()
"""Hash of an empty subtree, and so the root of an empty store."""

LEAF_PREFIX: Final = b"\x00"
INNER_PREFIX: Final = b"\x01"
MAX_NIBBLES: Final = 64
_HAS_LEAF: Final = 0x01

Level = tuple[int, tuple[bytes, ...]]
"""One inner node on a proof path: (child bitmap, hashes of its present children other than the path's)."""


def key_hash(key: bytes) -> bytes:
    """Position of `key` in the tree: the nibbles of sha256(key), most significant first."""
    return sha256(key).digest()


def leaf_hash(key_digest: bytes, value_digest: bytes) -> bytes:
    return sha256(LEAF_PREFIX + key_digest + value_digest).digest()


def inner_hash(bitmap: int, children: list[bytes] | tuple[bytes, ...]) -> bytes:
    return sha256(INNER_PREFIX + bitmap.to_bytes(2, "big") + b"".join(children)).digest()


def nibble_at(digest: bytes, depth: int) -> int:
    return (digest[depth >> 1] >> (0 if depth & 1 else 4)) & 15


@dataclass(frozen=True)
class Proof:
    """Path from the root to the slot where `key` lives.

    `levels[i]` describes the inner node at nibble depth i (the root first): its child bitmap and the
    hashes of its present children except the one on the key's path, in slot order. The path ends in
    either an empty slot (`leaf` is None) or a leaf `(key_hash, value_hash)`; that leaf is the key
    itself for membership, or the only key below that slot for non-membership.
    """

    levels: tuple[Level, ...]
    leaf: tuple[bytes, bytes] | None

    def to_bytes(self) -> bytes:
        """flags(1) ‖ depth(1) ‖ per level: BE16(bitmap) ‖ sibling hashes ‖ [leaf key/value hash]."""
        parts = [bytes([_HAS_LEAF if self.leaf is not None else 0, len(self.levels)])]
        for bitmap, siblings in self.levels:
            parts.append(bitmap.to_bytes(2, "big"))
            parts.extend(siblings)
        if self.leaf is not None:
            parts.extend(self.leaf)
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Proof:
        """Strict inverse of `to_bytes`: any other byte string raises ValueError."""
        if len(data) < 2:
            raise ValueError("proof too short")
        flags, depth = data[0], data[1]
        if flags & ~_HAS_LEAF:
            raise ValueError(f"unknown proof flags 0x{flags:02x}")
        if depth > MAX_NIBBLES:
            raise ValueError(f"proof depth {depth} exceeds {MAX_NIBBLES}")
        pos = 2
        levels: list[Level] = []
        for i in range(depth):
            if len(data) - pos < 2:
                raise ValueError("proof too short")
            bitmap = int.from_bytes(data[pos : pos + 2], "big")
            pos += 2
            count = bitmap.bit_count()
            if i + 1 < depth or flags & _HAS_LEAF:
                count -= 1  # the path's own child is not listed
            if count < 0:
                raise ValueError("proof level without children")
            if len(data) - pos < 32 * count:
                raise ValueError("proof too short")
            levels.append((bitmap, tuple(data[at : at + 32] for at in range(pos, pos + 32 * count, 32))))
            pos += 32 * count
        leaf: tuple[bytes, bytes] | None = None
        if flags & _HAS_LEAF:
            if len(data) - pos < 64:
                raise ValueError("proof too short")
            leaf = (data[pos : pos + 32], data[pos + 32 : pos + 64])
            pos += 64
        if pos != len(data):
            raise ValueError(f"{len(data) - pos} trailing bytes after proof")
        return cls(tuple(levels), leaf)


def verify_proof(root: bytes, key: bytes, value: bytes | None, proof: Proof) -> bool:
    """True iff `proof` shows that `key` maps to `value` under `root` (`value` None: `key` is absent)."""
    digest = key_hash(key)
    depth = len(proof.levels)
    if depth > MAX_NIBBLES or len(root) != 32:
        return False
    node: bytes | None
    if proof.leaf is None:
        if value is not None:
            return False
        node = None
    else:
        leaf_key, leaf_value = proof.leaf
        if len(leaf_key) != 32 or len(leaf_value) != 32:
            return False
        if value is None:
            if leaf_key == digest or any(nibble_at(leaf_key, i) != nibble_at(digest, i) for i in range(depth)):
                return False
        elif leaf_key != digest or leaf_value != sha256(value).digest():
            return False
        node = leaf_hash(leaf_key, leaf_value)
    for i in range(depth - 1, -1, -1):
        bitmap, siblings = proof.levels[i]
        if not 0 <= bitmap <= 0xFFFF or any(len(s) != 32 for s in siblings):
            return False
        slot = nibble_at(digest, i)
        children = list(siblings)
        if node is None:  # the path ends at an empty slot of the deepest node
            if bitmap & (0x8000 >> slot):
                return False
        else:
            if not bitmap & (0x8000 >> slot):
                return False
            children.insert((bitmap >> (16 - slot)).bit_count(), node)
        if len(children) != bitmap.bit_count():
            return False
        node = inner_hash(bitmap, children)
    return (EMPTY_HASH if node is None else node) == root
