"""Copy-on-write batch update of the sparse Merkle tree and proof extraction.

Only inner nodes are LMDB records; they are immutable and named `BE64(version) ‖ BE32(seq)` (the version
that created them). A leaf lives inline in its parent (or in the root pointer) as its payload
`key_hash(32) ‖ value_hash(32)`, so reaching or replacing a leaf costs no LMDB read, write or stale row:
- inner: flags(1) ‖ left_hash(32) ‖ left_payload ‖ right_hash(32) ‖ right_payload   (89..193 bytes)
  flags bit0/bit1 = left/right child is a leaf (payload: key_hash ‖ value_hash, 64 bytes); otherwise
  the payload is the child's 12-byte name, all zero for an empty child (whose hash is EMPTY_HASH).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from hashlib import sha256

from panacea.chain.store.proof import EMPTY_HASH, INNER_PREFIX, LEAF_PREFIX, MAX_DEPTH, Proof

NO_NAME = bytes(12)
_FLAGS = (b"\x00", b"\x01", b"\x02", b"\x03")


Ref = tuple[bytes, bytes, bool]
"""A child pointer: (subtree hash, inner node name or leaf payload, is a leaf). Plain tuple: hot path."""

EMPTY_REF: Ref = (EMPTY_HASH, NO_NAME, False)

NodeGetter = Callable[[bytes], bytes | None]
# A batch entry is a new value hash (insert/update), None (delete) or an existing leaf to re-place.
Entry = bytes | Ref | None


def encode_ref(ref: Ref) -> bytes:
    return ref[0] + (b"\x01" if ref[2] else b"\x00") + ref[1]


def decode_ref(data: bytes) -> Ref:
    return (data[:32], data[33:], data[32] == 1)


def _load(get: NodeGetter, name: bytes) -> bytes:
    record = get(name)
    if record is None:
        raise RuntimeError(f"missing tree node {name.hex()} (pruned version?)")
    return record


def _children(record: bytes) -> tuple[Ref, Ref]:
    flags = record[0]
    mid = 97 if flags & 1 else 45
    left = (record[1:33], record[33:mid], bool(flags & 1))
    return left, (record[mid : mid + 32], record[mid + 32 :], bool(flags & 2))


class BatchUpdate:
    """Applies one block's sorted changes to the tree of the previous version, hashing shared nodes once."""

    def __init__(self, get: NodeGetter, version: int) -> None:
        self._get = get
        self._prefix = version.to_bytes(8, "big")
        self._seq = 0
        self.new_nodes: list[tuple[bytes, bytes]] = []
        self.stale_nodes: list[bytes] = []

    def apply(self, root: Ref, changes: list[tuple[bytes, bytes | None]]) -> Ref:
        """`changes`: (key_hash, value_hash or None for delete) sorted by key hash, each a real change."""
        if not changes:
            return root
        digests = [c[0] for c in changes]
        ints = [int.from_bytes(d, "big") for d in digests]
        entries: list[Entry] = [c[1] for c in changes]
        return self._update(root, 0, ints, digests, entries, 0, len(changes))

    def _join(self, left: Ref, right: Ref) -> Ref:
        lh, lname, lleaf = left
        rh, rname, rleaf = right
        if lname == NO_NAME and (rleaf or rname == NO_NAME):
            return right
        if rname == NO_NAME and lleaf:
            return left
        record = _FLAGS[lleaf | (rleaf << 1)] + lh + lname + rh + rname
        name = self._prefix + self._seq.to_bytes(4, "big")
        self._seq += 1
        self.new_nodes.append((name, record))
        return sha256(INNER_PREFIX + lh + rh).digest(), name, False

    def _update(
        self,
        ref: Ref,
        depth: int,
        ints: list[int],
        digests: list[bytes],
        entries: list[Entry],
        lo: int,
        hi: int,
    ) -> Ref:
        name = ref[1]
        if name == NO_NAME:
            return self._build(depth, ints, digests, entries, lo, hi)
        if hi - lo == 1 and not ref[2]:
            return self._update_one(ref, depth, ints, digests, entries, lo)
        if ref[2]:
            existing = name[:32]
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
        record = _load(self._get, name)
        self.stale_nodes.append(name)
        left, right = _children(record)
        mid = _split(ints, depth, lo, hi)
        if mid > lo:
            left = self._update(left, depth + 1, ints, digests, entries, lo, mid)
        if hi > mid:
            right = self._update(right, depth + 1, ints, digests, entries, mid, hi)
        return self._join(left, right)

    def _update_one(
        self, ref: Ref, depth: int, ints: list[int], digests: list[bytes], entries: list[Entry], i: int
    ) -> Ref:
        """`_update` for a single change: walk down iteratively, then rehash upward (the hot loop)."""
        digest = digests[i]
        get, stale = self._get, self.stale_nodes
        path: list[tuple[int, bytes]] = []
        while not ref[2] and ref[1] != NO_NAME:
            record = get(ref[1])
            if record is None:
                raise RuntimeError(f"missing tree node {ref[1].hex()}")
            stale.append(ref[1])
            went_right = (digest[depth >> 3] >> (7 - (depth & 7))) & 1
            path.append((went_right, record))
            flags = record[0]
            mid = 97 if flags & 1 else 45
            if went_right:
                ref = (record[mid : mid + 32], record[mid + 32 :], bool(flags & 2))
            else:
                ref = (record[1:33], record[33:mid], bool(flags & 1))
            depth += 1
        entry = entries[i]
        if isinstance(entry, bytes) and (ref[1] == NO_NAME or (ref[2] and ref[1][:32] == digest)):
            payload = digest + entry  # insert into an empty slot or overwrite the same key: a new leaf
            node: Ref = (sha256(LEAF_PREFIX + payload).digest(), payload, True)
        else:
            node = self._update(ref, depth, ints, digests, entries, i, i + 1)
        prefix, new_nodes, seq = self._prefix, self.new_nodes, self._seq
        for went_right, record in reversed(path):
            hash_, name, leaf = node
            flags = record[0]
            mid = 97 if flags & 1 else 45
            if name == NO_NAME or (record[33:mid] if went_right else record[mid + 32 :]) == NO_NAME:
                self._seq = seq
                sibling = _children(record)[1 - went_right]
                node = self._join(sibling, node) if went_right else self._join(node, sibling)
                seq = self._seq
                continue
            # Both children present: keep the sibling's bytes, splice in the new child.
            if went_right:
                new_record = _FLAGS[(flags & 1) | (2 if leaf else 0)] + record[1:mid] + hash_ + name
                hash_ = sha256(INNER_PREFIX + record[1:33] + hash_).digest()
            else:
                new_record = _FLAGS[(flags & 2) | (1 if leaf else 0)] + hash_ + name + record[mid:]
                hash_ = sha256(INNER_PREFIX + hash_ + record[mid : mid + 32]).digest()
            name = prefix + seq.to_bytes(4, "big")
            seq += 1
            new_nodes.append((name, new_record))
            node = (hash_, name, False)
        self._seq = seq
        return node

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
            return sha256(LEAF_PREFIX + payload).digest(), payload, True
        if depth >= MAX_DEPTH:
            raise RuntimeError("sha256 collision between two keys")
        mid = _split(ints, depth, lo, hi)
        left = self._build_inserts(depth + 1, ints, digests, entries, lo, mid)
        right = self._build_inserts(depth + 1, ints, digests, entries, mid, hi)
        return self._join(left, right)


def _split(ints: list[int], depth: int, lo: int, hi: int) -> int:
    """First index in [lo, hi) whose key hash has bit `depth` set (all share the bits above it)."""
    shift = 255 - depth
    boundary = ((ints[lo] >> shift) | 1) << shift
    return bisect_left(ints, boundary, lo, hi)


def prove(get: NodeGetter, root: Ref, digest: bytes) -> Proof:
    siblings: list[bytes] = []
    ref = root
    depth = 0
    while ref[1] != NO_NAME:
        if ref[2]:
            return Proof(tuple(siblings), (ref[1][:32], ref[1][32:]))
        record = _load(get, ref[1])
        left, right = _children(record)
        if (digest[depth >> 3] >> (7 - (depth & 7))) & 1:
            siblings.append(left[0])
            ref = right
        else:
            siblings.append(right[0])
            ref = left
        depth += 1
    return Proof(tuple(siblings), None)
