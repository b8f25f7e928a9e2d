"""Authenticated, versioned key-value store for chain state (LMDB).

State tree (light clients re-implement exactly this; all hashes are SHA-256, ‖ is concatenation):

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

from panacea.chain.store.proof import EMPTY_HASH, Proof, key_hash, verify_proof
from panacea.chain.store.store import PreparedCommit, Store

__all__ = ["EMPTY_HASH", "PreparedCommit", "Proof", "Store", "key_hash", "verify_proof"]
