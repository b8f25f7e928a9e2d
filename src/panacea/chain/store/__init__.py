"""Authenticated, versioned key-value store for chain state (LMDB).

State tree (light clients re-implement exactly this; all hashes are SHA-256, ‖ is concatenation):

- A key's position is the 256-bit path ``kh = sha256(key)``, read most significant bit first
  (bit 0 = top bit of byte 0; 0 = left, 1 = right).
- The tree is the binary sparse Merkle tree over those paths in which every subtree holding exactly one
  key is replaced by that key's leaf (as in Diem's Jellyfish Merkle tree). Hence the root depends only on
  the set of (key, value) pairs, never on the order or history of writes.
- ``H_empty = sha256(b"")`` (e3b0c442…b855): hash of an empty subtree; the root of the empty store.
- ``H_leaf  = sha256(0x00 ‖ kh ‖ sha256(value))`` for a subtree containing just one key.
- ``H_inner = sha256(0x01 ‖ H_left ‖ H_right)`` for a subtree containing two or more keys; either
  child may be ``H_empty``.
- Empty keys are rejected; an empty value is a value (``sha256(b"")`` as value hash), distinct from absent.

Proofs (`Proof`) list the sibling hashes from the root down to where ``kh`` leads: an empty subtree
(absence) or a leaf ``(kh', vh')``. Membership: ``kh' == kh`` and ``vh' == sha256(value)``.
Non-membership: the path ends empty, or at a leaf with ``kh' != kh`` sharing the path's first
``depth`` bits. The verifier folds upward: for depth i = d-1..0, ``node = H_inner(node, sib[i])`` if bit i
of kh is 0, else ``H_inner(sib[i], node)``, and compares with the root. The wire form is
``flags(1: bit0 = ends at leaf) ‖ BE16(d) ‖ bitmap(ceil(d/8) bytes, bit i (MSB first) = sib[i] is
H_empty and omitted) ‖ other siblings (32 bytes each) ‖ [kh' ‖ vh']``; every other string is rejected.
"""

from panacea.chain.store.proof import EMPTY_HASH, Proof, key_hash, verify_proof
from panacea.chain.store.store import PreparedCommit, Store

__all__ = ["EMPTY_HASH", "PreparedCommit", "Proof", "Store", "key_hash", "verify_proof"]
