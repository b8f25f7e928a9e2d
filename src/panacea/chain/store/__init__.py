"""Authenticated, versioned key-value store for chain state (LMDB).

The state tree's hashing rules, proofs and their verification are in :mod:`panacea.crypto.merkle` (a leaf, so
the oracle's light client verifies proofs with the very code the chain hashes with); this package stores the
tree (``tree``: copy-on-write batch updates and proof extraction) and the versioned values (``store``).
"""

from panacea.chain.store.store import PreparedCommit, Store

__all__ = ["PreparedCommit", "Store"]
