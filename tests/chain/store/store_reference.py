"""Independent from-scratch implementation of the documented state-tree hashing, for cross-checks."""

from __future__ import annotations

from hashlib import sha256

EMPTY = sha256(b"").digest()


def _h(data: bytes) -> bytes:
    return sha256(data).digest()


def _nibble(digest: bytes, i: int) -> int:
    byte = digest[i // 2]
    return byte >> 4 if i % 2 == 0 else byte & 0x0F


def _subtree(depth: int, leaves: list[tuple[bytes, bytes]]) -> tuple[bytes, int]:
    """(hash, number of inner nodes) of the subtree over `leaves` (key hash, value hash).

    Inner nodes are the store's only node records (leaves live inline in their parent).
    """
    if not leaves:
        return EMPTY, 0
    if len(leaves) == 1:
        return _h(b"\x00" + leaves[0][0] + leaves[0][1]), 0
    bitmap = 0
    hashes = b""
    nodes = 1
    for slot in range(16):
        group = [leaf for leaf in leaves if _nibble(leaf[0], depth) == slot]
        if group:
            bitmap |= 1 << (15 - slot)
            child, child_nodes = _subtree(depth + 1, group)
            hashes += child
            nodes += child_nodes
    return _h(b"\x01" + bitmap.to_bytes(2, "big") + hashes), nodes


def reference_tree(items: dict[bytes, bytes]) -> tuple[bytes, int]:
    return _subtree(0, sorted((_h(key), _h(value)) for key, value in items.items()))


def reference_root(items: dict[bytes, bytes]) -> bytes:
    return reference_tree(items)[0]
