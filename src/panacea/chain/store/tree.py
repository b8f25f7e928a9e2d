"""Copy-on-write batch update of the 16-ary sparse Merkle tree and proof extraction.

Only inner nodes are LMDB records; they are immutable and named `BE64(version) ‖ BE32(seq)` (the version
that created them). A leaf lives inline in its parent (or in the root pointer) as its payload
`key_hash(32) ‖ value_hash(32)`, so reaching or replacing a leaf costs no LMDB read, write or stale row.
An inner node with n present children (slots in nibble order) is stored as

    leaf_mask(BE16) ‖ 0x01 ‖ bitmap(BE16) ‖ child hashes (32 × n) ‖ child payloads

where bit `0x8000 >> slot` of `bitmap` / `leaf_mask` = slot present / holds a leaf, and a payload is the
leaf's 64 bytes or the child node's 12-byte name. Bytes 2 .. 5 + 32n are exactly the node's hash
preimage, so hashing a node is one slice.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from hashlib import sha256
from typing import Final

from panacea.crypto.merkle import EMPTY_HASH, LEAF_PREFIX, MAX_NIBBLES, Proof

NO_NAME: Final = bytes(12)

Ref = tuple[bytes, bytes, int]
"""A child pointer: (subtree hash, inner node name or leaf payload, 1 if a leaf else 0). Plain tuple: hot path."""

EMPTY_REF: Ref = (EMPTY_HASH, NO_NAME, 0)

NodeGetter = Callable[[bytes], bytes | None]
# A batch entry is a new value hash (insert/update), None (delete) or an existing leaf to re-place.
Entry = bytes | Ref | None
Child = tuple[int, Ref]
"""(slot, child) of an inner node."""

_BITS: Final = tuple(0x8000 >> slot for slot in range(16))


def encode_ref(ref: Ref) -> bytes:
    return ref[0] + (b"\x01" if ref[2] else b"\x00") + ref[1]


def decode_ref(data: bytes) -> Ref:
    return (data[:32], data[33:], data[32])


def _load(get: NodeGetter, name: bytes) -> bytes:
    record = get(name)
    if record is None:
        raise RuntimeError(f"missing tree node {name.hex()} (pruned version?)")
    return record


class BatchUpdate:
    """Applies one block's sorted changes to the tree of the previous version, hashing shared nodes once.

    New node `n` (0-based, in creation order) is named `BE96((version << 32) + n)`, i.e.
    `BE64(version) ‖ BE32(n)`, so the next name is always derived from `len(new_nodes)`.
    """

    def __init__(self, get: NodeGetter, version: int) -> None:
        self._get = get
        self._base = version << 32
        self.new_nodes: list[tuple[bytes, bytes]] = []
        self.stale_nodes: list[bytes] = []
        self._ints: list[int] = []
        self._digests: list[bytes] = []
        self._entries: list[Entry] = []

    def apply(self, root: Ref, changes: list[tuple[bytes, bytes | None]]) -> Ref:
        """`changes`: (key_hash, value_hash or None for delete) sorted by key hash, each a real change."""
        if not changes:
            return root
        self._digests = digests = [c[0] for c in changes]
        self._ints = [int.from_bytes(d, "big") for d in digests]
        self._entries = [c[1] for c in changes]
        return self._update(root, 0, 0, len(changes))

    def _node(self, children: list[Child]) -> Ref:
        """The subtree over `children` (slot order): empty, a lone leaf moved up, or a new inner node."""
        if len(children) < 2:
            if not children:
                return EMPTY_REF
            only = children[0][1]
            if only[2]:
                return only
        bitmap = leaves = 0
        hashes: list[bytes] = []
        payloads: list[bytes] = []
        for slot, (hash_, payload, leaf) in children:
            bit = _BITS[slot]
            bitmap |= bit
            if leaf:
                leaves |= bit
            hashes.append(hash_)
            payloads.append(payload)
        body = b"\x01" + bitmap.to_bytes(2, "big") + b"".join(hashes)
        new_nodes = self.new_nodes
        name = (self._base + len(new_nodes)).to_bytes(12, "big")
        new_nodes.append((name, leaves.to_bytes(2, "big") + body + b"".join(payloads)))
        return sha256(body).digest(), name, 0

    def _update(self, ref: Ref, depth: int, lo: int, hi: int) -> Ref:
        """New subtree for `ref` at nibble `depth` after changes [lo, hi).

        An inner node is patched by splicing: only the touched slots are decoded, the rest of the record's
        hash and payload regions are copied as slices.
        """
        name = ref[1]
        if ref[2] or name == NO_NAME:
            return self._update_edge(ref, depth, lo, hi)
        record = self._get(name)
        if record is None:
            raise RuntimeError(f"missing tree node {name.hex()} (pruned version?)")
        self.stale_nodes.append(name)
        leaves = (record[0] << 8) | record[1]
        bitmap = (record[3] << 8) | record[4]
        payload_base = 5 + 32 * bitmap.bit_count()
        new_bitmap, new_leaves = bitmap, leaves
        hashes: list[bytes] = []
        payloads: list[bytes] = []
        h_done, p_done = 5, payload_base
        ints = self._ints
        shift = 252 - 4 * depth
        depth += 1
        i = lo
        while i < hi:
            prefix = ints[i] >> shift
            slot = prefix & 15
            j = bisect_left(ints, (prefix + 1) << shift, i + 1, hi) if hi - i > 1 else hi
            bit = _BITS[slot]
            before = 16 - slot
            k = (bitmap >> before).bit_count()
            h_at = 5 + 32 * k
            p_at = payload_base + 12 * k + 52 * (leaves >> before).bit_count()
            hashes.append(record[h_done:h_at])
            payloads.append(record[p_done:p_at])
            if bitmap & bit:
                h_done = h_at + 32
                if leaves & bit:
                    p_done = p_at + 64
                    child = self._update_edge((record[h_at:h_done], record[p_at:p_done], 1), depth, i, j)
                else:
                    p_done = p_at + 12
                    child = self._update((record[h_at:h_done], record[p_at:p_done], 0), depth, i, j)
            else:
                h_done, p_done = h_at, p_at
                child = self._update_edge(EMPTY_REF, depth, i, j)
            if child[1] == NO_NAME:
                new_bitmap &= ~bit
                new_leaves &= ~bit
            else:
                hashes.append(child[0])
                payloads.append(child[1])
                new_bitmap |= bit
                if child[2]:
                    new_leaves |= bit
                else:
                    new_leaves &= ~bit
            i = j
        hashes.append(record[h_done:payload_base])
        payloads.append(record[p_done:])
        if new_bitmap & (new_bitmap - 1) == 0:  # at most one child left
            if not new_bitmap:
                return EMPTY_REF
            if new_leaves:  # a lone leaf moves up
                return b"".join(hashes), b"".join(payloads), 1
        body = b"\x01" + new_bitmap.to_bytes(2, "big") + b"".join(hashes)
        new_nodes = self.new_nodes
        name = (self._base + len(new_nodes)).to_bytes(12, "big")
        new_nodes.append((name, new_leaves.to_bytes(2, "big") + body + b"".join(payloads)))
        return sha256(body).digest(), name, 0

    def _update_edge(self, ref: Ref, depth: int, lo: int, hi: int) -> Ref:
        """Changes [lo, hi) below an empty slot or a leaf: build the subtree afresh."""
        ints, digests, entries = self._ints, self._digests, self._entries
        if not ref[2]:
            if hi - lo == 1:
                entry = entries[lo]
                if entry is None:
                    return EMPTY_REF
                assert isinstance(entry, bytes)
                payload = digests[lo] + entry
                return sha256(LEAF_PREFIX + payload).digest(), payload, 1
            return self._build(depth, ints, digests, entries, lo, hi)
        existing = ref[1][:32]
        if hi - lo == 1 and digests[lo] == existing:  # the hot case: overwrite or delete this very leaf
            entry = entries[lo]
            if entry is None:
                return EMPTY_REF
            assert isinstance(entry, bytes)
            payload = existing + entry
            return sha256(LEAF_PREFIX + payload).digest(), payload, 1
        if hi - lo == 1 and entries[lo] is not None:  # a new key meets another key's leaf: split them
            entry = entries[lo]
            assert isinstance(entry, bytes)
            payload = digests[lo] + entry
            mine: Ref = (sha256(LEAF_PREFIX + payload).digest(), payload, 1)
            key, other = ints[lo], int.from_bytes(existing, "big")
            split = (256 - (key ^ other).bit_length()) >> 2  # first nibble where the two differ
            shift = 252 - 4 * split
            slot, other_slot = (key >> shift) & 15, (other >> shift) & 15
            node = self._node(
                [(slot, mine), (other_slot, ref)] if slot < other_slot else [(other_slot, ref), (slot, mine)]
            )
            for d in range(split - 1, depth - 1, -1):  # keys sharing further nibbles: single-child nodes
                node = self._node([((key >> (252 - 4 * d)) & 15, node)])
            return node
        i = bisect_left(digests, existing, lo, hi)
        if i < hi and digests[i] == existing:
            return self._build(depth, ints, digests, entries, lo, hi)
        # The untouched leaf is pushed down next to the new keys; its record is position-free.
        return self._build(
            depth,
            [*ints[lo:i], int.from_bytes(existing, "big"), *ints[i:hi]],
            [*digests[lo:i], existing, *digests[i:hi]],
            [*entries[lo:i], ref, *entries[i:hi]],
            0,
            hi - lo + 1,
        )

    def _build(self, depth: int, ints: list[int], digests: list[bytes], entries: list[Entry], lo: int, hi: int) -> Ref:
        if any(entries[i] is None for i in range(lo, hi)):
            keep = [i for i in range(lo, hi) if entries[i] is not None]
            ints = [ints[i] for i in keep]
            digests = [digests[i] for i in keep]
            entries = [entries[i] for i in keep]
            lo, hi = 0, len(keep)
        return self._build_inserts(depth, ints, digests, entries, lo, hi)

    def _build_inserts(
        self, depth: int, ints: list[int], digests: list[bytes], entries: list[Entry], lo: int, hi: int
    ) -> Ref:
        if hi == lo:
            return EMPTY_REF
        if hi - lo == 1:
            entry = entries[lo]
            if isinstance(entry, tuple):
                return entry
            assert entry is not None
            payload = digests[lo] + entry
            return sha256(LEAF_PREFIX + payload).digest(), payload, 1
        if depth >= MAX_NIBBLES:
            raise RuntimeError("sha256 collision between two keys")
        shift = 252 - 4 * depth
        children: list[Child] = []
        i = lo
        while i < hi:
            prefix = ints[i] >> shift
            j = bisect_left(ints, (prefix + 1) << shift, i + 1, hi)
            children.append((prefix & 15, self._build_inserts(depth + 1, ints, digests, entries, i, j)))
            i = j
        return self._node(children)


def prove(get: NodeGetter, root: Ref, digest: bytes) -> Proof:
    levels: list[tuple[int, tuple[bytes, ...]]] = []
    ref = root
    depth = 0
    while ref[1] != NO_NAME:
        if ref[2]:
            return Proof(tuple(levels), (ref[1][:32], ref[1][32:]))
        record = _load(get, ref[1])
        slot = (digest[depth >> 1] >> (0 if depth & 1 else 4)) & 15
        leaves = (record[0] << 8) | record[1]
        bitmap = (record[3] << 8) | record[4]
        end = 5 + 32 * bitmap.bit_count()
        before = 16 - slot
        at = 5 + 32 * (bitmap >> before).bit_count()
        if bitmap & _BITS[slot]:
            levels.append((bitmap, tuple(record[h : h + 32] for h in range(5, end, 32) if h != at)))
            p = end + 12 * ((at - 5) >> 5) + 52 * (leaves >> before).bit_count()
            if leaves & _BITS[slot]:
                ref = (record[at : at + 32], record[p : p + 64], 1)
            else:
                ref = (record[at : at + 32], record[p : p + 12], 0)
        else:
            levels.append((bitmap, tuple(record[h : h + 32] for h in range(5, end, 32))))
            ref = EMPTY_REF
        depth += 1
    return Proof(tuple(levels), None)
