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


Ref = tuple[bytes, bytes, int]
"""A child pointer: (subtree hash, inner node name or leaf payload, 1 if a leaf else 0). Plain tuple: hot path."""

EMPTY_REF: Ref = (EMPTY_HASH, NO_NAME, 0)

NodeGetter = Callable[[bytes], bytes | None]
# A batch entry is a new value hash (insert/update), None (delete) or an existing leaf to re-place.
Entry = bytes | Ref | None


def encode_ref(ref: Ref) -> bytes:
    return ref[0] + (b"\x01" if ref[2] else b"\x00") + ref[1]


def decode_ref(data: bytes) -> Ref:
    return (data[:32], data[33:], data[32])


def _load(get: NodeGetter, name: bytes) -> bytes:
    record = get(name)
    if record is None:
        raise RuntimeError(f"missing tree node {name.hex()} (pruned version?)")
    return record


def _children(record: bytes) -> tuple[Ref, Ref]:
    flags = record[0]
    mid = 97 if flags & 1 else 45
    left = (record[1:33], record[33:mid], flags & 1)
    return left, (record[mid : mid + 32], record[mid + 32 :], flags >> 1)


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

    def _join(self, left: Ref, right: Ref) -> Ref:
        lh, lname, lleaf = left
        rh, rname, rleaf = right
        if lname == NO_NAME and (rleaf or rname == NO_NAME):
            return right
        if rname == NO_NAME and lleaf:
            return left
        new_nodes = self.new_nodes
        name = (self._base + len(new_nodes)).to_bytes(12, "big")
        new_nodes.append((name, _FLAGS[lleaf | (rleaf << 1)] + lh + lname + rh + rname))
        return sha256(INNER_PREFIX + lh + rh).digest(), name, 0

    def _update(self, ref: Ref, depth: int, lo: int, hi: int) -> Ref:
        """New subtree for `ref` at `depth` after changes [lo, hi); the top levels, where changes share nodes."""
        name = ref[1]
        if ref[2] or name == NO_NAME or hi - lo == 1:
            return self._update_edge(ref, depth, lo, hi)
        record = self._get(name)
        if record is None:
            raise RuntimeError(f"missing tree node {name.hex()} (pruned version?)")
        self.stale_nodes.append(name)
        flags = record[0]
        m = 97 if flags & 1 else 45
        ints = self._ints
        shift = 255 - depth
        mid = bisect_left(ints, ((ints[lo] >> shift) | 1) << shift, lo, hi)
        depth += 1
        if mid == lo:
            lh, lname, lleaf = record[1:33], record[33:m], flags & 1
        else:
            lh, lname, lleaf = self._update((record[1:33], record[33:m], flags & 1), depth, lo, mid)
        if mid == hi:
            rh, rname, rleaf = record[m : m + 32], record[m + 32 :], flags >> 1
        else:
            rh, rname, rleaf = self._update((record[m : m + 32], record[m + 32 :], flags >> 1), depth, mid, hi)
        if lname == NO_NAME:
            if rleaf or rname == NO_NAME:
                return rh, rname, rleaf
        elif rname == NO_NAME and lleaf:
            return lh, lname, lleaf
        new_nodes = self.new_nodes
        name = (self._base + len(new_nodes)).to_bytes(12, "big")
        new_nodes.append((name, _FLAGS[lleaf | (rleaf << 1)] + lh + lname + rh + rname))
        return sha256(INNER_PREFIX + lh + rh).digest(), name, 0

    def _update_edge(self, ref: Ref, depth: int, lo: int, hi: int) -> Ref:
        ints, digests, entries = self._ints, self._digests, self._entries
        name = ref[1]
        if name == NO_NAME:
            return self._build(depth, ints, digests, entries, lo, hi)
        if not ref[2]:
            return self._update_one(name, depth, lo)
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

    def _update_one(self, name: bytes, depth: int, i: int) -> Ref:
        """A single change below inner node `name`: walk down iteratively, then rehash upward (the hot loop)."""
        key = self._ints[i]
        get, stale = self._get, self.stale_nodes
        path: list[bytes] = []
        top = depth
        while True:  # descend to the empty slot or leaf where the key belongs
            record = get(name)
            if record is None:
                raise RuntimeError(f"missing tree node {name.hex()} (pruned version?)")
            stale.append(name)
            path.append(record)
            flags = record[0]
            if (key >> (255 - depth)) & 1:
                name = record[129:] if flags & 1 else record[77:]
                depth += 1
                if flags & 2 or name == NO_NAME:
                    leaf = flags & 2
                    break
            else:
                name = record[33:97] if flags & 1 else record[33:45]
                depth += 1
                if flags & 1 or name == NO_NAME:
                    leaf = flags & 1
                    break
        digest, entry = self._digests[i], self._entries[i]
        node: Ref
        if entry is None:  # delete: the generic path collapses one-key subtrees upward
            node = self._update((_child_hash(record, key, depth - 1), name, 1 if leaf else 0), depth, i, i + 1)
        elif not leaf or name[:32] == digest:  # fill an empty slot or overwrite the same key: a new leaf
            assert isinstance(entry, bytes)
            payload = digest + entry
            node = (sha256(LEAF_PREFIX + payload).digest(), payload, 1)
        else:  # another key's leaf: both go below the first bit where the two key hashes differ
            assert isinstance(entry, bytes)
            payload = digest + entry
            mine: Ref = (sha256(LEAF_PREFIX + payload).digest(), payload, 1)
            other = (_child_hash(record, key, depth - 1), name, 1)
            split = 256 - (key ^ int.from_bytes(name[:32], "big")).bit_length()
            node = self._join(other, mine) if (key >> (255 - split)) & 1 else self._join(mine, other)
            for d in range(split - 1, depth - 1, -1):
                node = self._join(EMPTY_REF, node) if (key >> (255 - d)) & 1 else self._join(node, EMPTY_REF)
        base, new_nodes = self._base, self.new_nodes
        append = new_nodes.append
        for record in reversed(path):  # rehash upward, splicing the new child next to the sibling's bytes
            depth -= 1
            hash_, name, leaf = node
            flags = record[0]
            m = 97 if flags & 1 else 45
            if (key >> (255 - depth)) & 1:
                if name == NO_NAME or record[33:m] == NO_NAME:
                    node = self._join((record[1:33], record[33:m], flags & 1), node)
                    continue
                lh = record[1:33]
                new_name = (base + len(new_nodes)).to_bytes(12, "big")
                append((new_name, _FLAGS[(flags & 1) | (2 if leaf else 0)] + record[1:m] + hash_ + name))
                node = (sha256(INNER_PREFIX + lh + hash_).digest(), new_name, 0)
            else:
                if name == NO_NAME or record[m + 32 :] == NO_NAME:
                    node = self._join(node, (record[m : m + 32], record[m + 32 :], flags >> 1))
                    continue
                new_name = (base + len(new_nodes)).to_bytes(12, "big")
                append((new_name, _FLAGS[(flags & 2) | (1 if leaf else 0)] + hash_ + name + record[m:]))
                node = (sha256(INNER_PREFIX + hash_ + record[m : m + 32]).digest(), new_name, 0)
        assert depth == top
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
            return sha256(LEAF_PREFIX + payload).digest(), payload, 1
        if depth >= MAX_DEPTH:
            raise RuntimeError("sha256 collision between two keys")
        mid = _split(ints, depth, lo, hi)
        left = self._build_inserts(depth + 1, ints, digests, entries, lo, mid)
        right = self._build_inserts(depth + 1, ints, digests, entries, mid, hi)
        return self._join(left, right)


def _child_hash(record: bytes, key: int, depth: int) -> bytes:
    """Hash of the child of `record` (an inner node at `depth`) on `key`'s side."""
    if (key >> (255 - depth)) & 1:
        m = 97 if record[0] & 1 else 45
        return record[m : m + 32]
    return record[1:33]


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
