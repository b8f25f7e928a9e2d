"""Independent from-scratch implementation of the documented state-tree hashing, for cross-checks."""

from __future__ import annotations

from hashlib import sha256

EMPTY = sha256(b"").digest()


def _h(data: bytes) -> bytes:
    return sha256(data).digest()


def _bit(digest: bytes, i: int) -> int:
    return (digest[i // 8] >> (7 - i % 8)) & 1


def _subtree(depth: int, leaves: list[tuple[bytes, bytes]]) -> tuple[bytes, int]:
    """(hash, number of inner nodes) of the subtree over `leaves` (key hash, value hash).

    Inner nodes are the store's only node records (leaves live inline in their parent).
    """
    if not leaves:
        return EMPTY, 0
    if len(leaves) == 1:
        return _h(b"\x00" + leaves[0][0] + leaves[0][1]), 0
    left, left_nodes = _subtree(depth + 1, [leaf for leaf in leaves if _bit(leaf[0], depth) == 0])
    right, right_nodes = _subtree(depth + 1, [leaf for leaf in leaves if _bit(leaf[0], depth) == 1])
    return _h(b"\x01" + left + right), left_nodes + right_nodes + 1


def reference_tree(items: dict[bytes, bytes]) -> tuple[bytes, int]:
    return _subtree(0, sorted((_h(key), _h(value)) for key, value in items.items()))


def reference_root(items: dict[bytes, bytes]) -> bytes:
    return reference_tree(items)[0]
