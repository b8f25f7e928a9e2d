"""did:panacea key material (did-reference §2, §3.2): DID derivation and the ownership proof's sign bytes.

A DID is ``did:panacea:`` + base58btc(SHA-256(33-byte compressed secp256k1 key)), with no network id. The chain
never checks the derivation (REF-2); it is how clients name a DID after a key. An ownership proof is a tendermint
secp256k1 signature (64 bytes R‖S, low-S, RFC 6979) over SHA-256 of ``DataWithSeq{data, sequence}``, where
``data`` is the gogoproto encoding of the signed message (a document, or ``DIDDocument{id}`` to deactivate).
"""

from __future__ import annotations

import hashlib
from typing import Final

import base58

from panacea.crypto.keys import PrivateKey, PublicKey, as_public
from panacea.crypto.signature import sign_tx_bytes, verify_tx_bytes
from panacea.types.pb.panacea.did.v2 import did_pb2

METHOD_PREFIX: Final = "did:panacea:"
DID_CONTEXT: Final = "https://www.w3.org/ns/did/v1"
ES256K_2019: Final = "EcdsaSecp256k1VerificationKey2019"
SECP256K1_2018: Final = "Secp256k1VerificationKey2018"


def did_for_key(public_key: PublicKey | bytes) -> str:
    """The DID a client derives for ``public_key`` (its compressed form)."""
    return METHOD_PREFIX + base58.b58encode(hashlib.sha256(as_public(public_key).compressed).digest()).decode()


def sign_bytes(data: bytes, sequence: int) -> bytes:
    """``proto(DataWithSeq{data, sequence})``: what an ownership proof signs (SHA-256 of it)."""
    return did_pb2.DataWithSeq(data=data, sequence=sequence).SerializeToString(deterministic=True)


def deactivation_data(did: str) -> bytes:
    """The signed data of a deactivation: ``proto(DIDDocument{id: did})``."""
    return did_pb2.DIDDocument(id=did).SerializeToString(deterministic=True)


def sign_ownership(key: PrivateKey | bytes, data: bytes, sequence: int) -> bytes:
    """The 64-byte ownership signature over ``data`` at ``sequence``."""
    return sign_tx_bytes(key, sign_bytes(data, sequence))


def verify_ownership(public_key: bytes, data: bytes, sequence: int, signature: bytes) -> bool:
    """Tendermint ``VerifySignature``: 64 bytes, low-S, a valid 33-byte key; False on any failure."""
    return verify_tx_bytes(public_key, sign_bytes(data, sequence), signature)


def key_document(public_key: PublicKey | bytes, fragment: str = "key1") -> did_pb2.DIDDocument:
    """The document ``create-did`` makes for a key: the DID context, one ES256K-2019 method ``#key1`` controlled by
    the DID, and that method as the one authentication key."""
    compressed = as_public(public_key).compressed
    did = did_for_key(compressed)
    method_id = f"{did}#{fragment}"
    document = did_pb2.DIDDocument(id=did)
    document.contexts.values.append(DID_CONTEXT)
    document.verification_methods.append(did_pb2.VerificationMethod(
        id=method_id, type=ES256K_2019, controller=did, public_key_base58=base58.b58encode(compressed).decode()))
    document.authentications.append(did_pb2.VerificationRelationship(verification_method_id=method_id))
    return document
