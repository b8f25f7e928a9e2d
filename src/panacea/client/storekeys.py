"""The chain's store layout as a client needs it to ask for (and prove) raw values: ``/store/<name>/key`` queries.

The client may not import the chain (it talks to nodes over the wire), so the keys are spelled once more here;
``tests/client/test_storekeys.py`` checks each equals the chain's (``panacea.chain.app.STORE_PREFIXES``,
``panacea.chain.modules.*.keys``). A proof is about the full tree key: the store's prefix ‖ the module key.
"""

from __future__ import annotations

from typing import Final

PROOF_OP_TYPE: Final = "panacea:smt"
"""``ProofOp.type`` of the state tree's proofs (``panacea.crypto.merkle.Proof`` bytes)."""

AUTH: Final = "acc"
DATADEAL: Final = "datadeal"
ORACLE: Final = "oracle"
DID: Final = "did"
STORE_PREFIXES: Final = {AUTH: b"acc/", DATADEAL: b"datadeal/", ORACLE: b"oracle/", DID: b"did/"}

# x/auth
ACCOUNT_PREFIX: Final = b"\x01"
# x/datadeal
DEAL_PREFIX: Final = b"\x02"
CONSENT_PREFIX: Final = b"\x03"
KEY_INDEX_SEPARATOR: Final = b"\xff"
# x/oracle
ORACLE_PREFIX: Final = b"\x01"
REGISTRATION_PREFIX: Final = b"\x02"
UPGRADE_INFO_KEY: Final = b"\x03"
UPGRADE_PREFIX: Final = b"\x04"
ORACLE_SEPARATOR: Final = b"\xff"
ORACLE_PARAMS_KEY: Final = b"\x10params"
# x/did (did-reference §4: no length prefix, the DID's UTF-8 bytes)
DID_PREFIX: Final = b"\x00"


def store_path(store: str) -> str:
    """The ABCI query path of a raw read from ``store``."""
    return f"/store/{store}/key"


def tree_key(store: str, key: bytes) -> bytes:
    """The state tree key a proof of ``key`` in ``store`` is about."""
    return STORE_PREFIXES[store] + key


def account_key(address: bytes) -> bytes:
    return ACCOUNT_PREFIX + address


def deal_key(deal_id: int) -> bytes:
    return DEAL_PREFIX + deal_id.to_bytes(8, "big")


def consent_key(deal_id: int, data_hash: str) -> bytes:
    return CONSENT_PREFIX + deal_id.to_bytes(8, "big") + KEY_INDEX_SEPARATOR + data_hash.encode()


def oracle_key(address: bytes) -> bytes:
    return ORACLE_PREFIX + address


def registration_key(unique_id: str, address: bytes) -> bytes:
    return REGISTRATION_PREFIX + unique_id.encode() + ORACLE_SEPARATOR + address


def upgrade_key(unique_id: str, address: bytes) -> bytes:
    return UPGRADE_PREFIX + unique_id.encode() + ORACLE_SEPARATOR + address


def did_key(did: str) -> bytes:
    """The key of a DID's record (``DIDDocumentWithSeq``, length-prefixed) in the ``did`` store."""
    return DID_PREFIX + did.encode()
