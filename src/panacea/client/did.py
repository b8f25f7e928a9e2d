"""The three DID msgs, signed with a DID key (did-reference §3.2, §3.3), for ``panacead tx did`` and ``dep did``.

Each msg carries an ownership proof: a signature over ``proto(DataWithSeq{data, sequence})``. Create signs the new
document at sequence 0 with a key of that document; update signs the *new* document at the *current* stored
sequence with a key of the *current* document; deactivate signs ``DIDDocument{id: did}`` at the current sequence.
The current sequence comes from ``ChainClient.did(did).sequence``.
"""

from __future__ import annotations

import base58

from panacea.crypto.did import deactivation_data, key_document, sign_ownership
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.panacea.did.v2 import did_pb2, tx_pb2

INITIAL_SEQUENCE = 0


def document_bytes(document: did_pb2.DIDDocument) -> bytes:
    """The gogoproto encoding of ``document`` that an ownership proof signs (fields in number order)."""
    return document.SerializeToString(deterministic=True)


def authentication_method(document: did_pb2.DIDDocument, method_id: str) -> did_pb2.VerificationMethod | None:
    """The chain's ``VerificationMethodFrom(authentications, id)``: an embedded method with that id, or the first
    method of ``verification_methods`` a matching reference names; ``None`` if no authentication names it."""
    for rel in document.authentications:
        kind = rel.WhichOneof("content")
        if kind == "verification_method" and rel.verification_method.id == method_id:
            return rel.verification_method
        if kind == "verification_method_id" and rel.verification_method_id == method_id:
            return next((vm for vm in document.verification_methods if vm.id == method_id), None)
    return None


def method_public_key(method: did_pb2.VerificationMethod) -> bytes:
    """The method's key bytes (``public_key_base58`` decoded; empty when it is not base58)."""
    try:
        return base58.b58decode(method.public_key_base58)
    except ValueError:
        return b""


def _first_authentication_id(document: did_pb2.DIDDocument, key: PrivateKey) -> str:
    """The id of the first authentication method of ``document`` holding ``key``'s public key."""
    pub = key.public_key().compressed
    for rel in document.authentications:
        method_id = (rel.verification_method.id if rel.WhichOneof("content") == "verification_method"
                     else rel.verification_method_id)
        method = authentication_method(document, method_id)
        if method is not None and method_public_key(method) == pub:
            return method_id
    raise ValueError(f"no authentication method of {document.id or 'the document'} holds the key's public key")


def create_did_msg(key: PrivateKey, from_address: str, document: did_pb2.DIDDocument | None = None,
                   method_id: str | None = None) -> tx_pb2.MsgCreateDID:
    """MsgCreateDID self-signed at sequence 0. Without ``document``: the reference CLI's one-key document
    (``did_for_key(key)``, ``#key1``). ``method_id`` defaults to the document's authentication method of ``key``."""
    if document is None:
        document = key_document(key.public_key())
    vm_id = method_id if method_id is not None else _first_authentication_id(document, key)
    signature = sign_ownership(key, document_bytes(document), INITIAL_SEQUENCE)
    return tx_pb2.MsgCreateDID(did=document.id, document=document, verification_method_id=vm_id,
                               signature=signature, from_address=from_address)


def update_did_msg(did: str, method_id: str, key: PrivateKey, document: did_pb2.DIDDocument, sequence: int,
                   from_address: str) -> tx_pb2.MsgUpdateDID:
    """MsgUpdateDID: the new ``document`` signed at the stored ``sequence`` by ``key``, which must be the key of
    ``method_id`` in the *current* document's authentication."""
    signature = sign_ownership(key, document_bytes(document), sequence)
    return tx_pb2.MsgUpdateDID(did=did, document=document, verification_method_id=method_id, signature=signature,
                               from_address=from_address)


def deactivate_did_msg(did: str, method_id: str, key: PrivateKey, sequence: int,
                       from_address: str) -> tx_pb2.MsgDeactivateDID:
    """MsgDeactivateDID: ``DIDDocument{id: did}`` signed at the stored ``sequence`` by the key of ``method_id``."""
    signature = sign_ownership(key, deactivation_data(did), sequence)
    return tx_pb2.MsgDeactivateDID(did=did, verification_method_id=method_id, signature=signature,
                                   from_address=from_address)


__all__ = [
    "INITIAL_SEQUENCE", "authentication_method", "create_did_msg", "deactivate_did_msg", "document_bytes",
    "method_public_key", "update_did_msg",
]
