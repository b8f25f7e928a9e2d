"""ValidateBasic and signers of the DID msgs (did-reference §3.1), with the reference's order and wraps.

Departures (outside reference mode, ``reference_compat=False``; docs/decisions.md "DIDs"): an absent document is
``ErrInvalidDIDDocument`` in both modes (the reference panics, REF-4); outside reference mode a document with an
empty id (REF-3), a ``did`` other than ``document.id`` (REF-1) and a verification-method id used twice are
``ErrInvalidDIDDocument`` too.
"""

from __future__ import annotations

from panacea.chain import addr
from panacea.chain.modules.did.errors import ErrInvalidDID, ErrInvalidDIDDocument, ErrInvalidSignature, plain
from panacea.chain.modules.did.validation import document_text, document_valid, duplicate_method_id, validate_did
from panacea.crypto.errors import CryptoError
from panacea.types.pb.panacea.did.v2 import did_pb2, tx_pb2


def validate_document(did: str, doc: did_pb2.DIDDocument | None, *, reference_compat: bool) -> None:
    """Step 2 of Create/Update ValidateBasic: ``document.Valid()`` and, outside reference mode, the departures."""
    if doc is None:
        raise ErrInvalidDIDDocument.wrap(f"DIDDocument: {document_text(None)}")
    if not reference_compat:
        check_document_id(did, doc, valid_first=True)
    if not document_valid(doc):
        raise ErrInvalidDIDDocument.wrap(f"DIDDocument: {document_text(doc)}")
    if reference_compat:
        return
    check_document_id(did, doc)
    duplicate = duplicate_method_id(doc)
    if duplicate is not None:
        raise ErrInvalidDIDDocument.wrap(f"the verification method id {duplicate} is used twice")


def check_document_id(did: str, doc: did_pb2.DIDDocument, *, valid_first: bool = False) -> None:
    """The departures from REF-3 and REF-1: the document has an id, and it is the msg's DID. ``valid_first``: only
    the empty id (a malformed document's other faults are reported by ``Valid`` before a mismatch)."""
    if doc.id == "":
        raise ErrInvalidDIDDocument.wrap("the document has an empty id")
    if not valid_first and doc.id != did:
        raise ErrInvalidDIDDocument.wrap(f"the DID {did} is not the document id {doc.id}")


def _validate_signature_and_sender(signature: bytes, from_address: str) -> None:
    if not signature:
        raise ErrInvalidSignature.wrap("Signature: []")
    try:
        addr.parse(from_address)
    except CryptoError as e:
        raise plain(str(e)) from None  # the SDK's bare bech32 error (code 1)


def _document(msg: tx_pb2.MsgCreateDID | tx_pb2.MsgUpdateDID) -> did_pb2.DIDDocument | None:
    return msg.document if msg.HasField("document") else None


def validate_create_did(msg: tx_pb2.MsgCreateDID, *, reference_compat: bool = False) -> None:
    if not validate_did(msg.did):
        raise ErrInvalidDID.wrap(f"did: {msg.did}")
    validate_document(msg.did, _document(msg), reference_compat=reference_compat)
    _validate_signature_and_sender(msg.signature, msg.from_address)


def validate_update_did(msg: tx_pb2.MsgUpdateDID, *, reference_compat: bool = False) -> None:
    if not validate_did(msg.did):
        raise ErrInvalidDID.wrap(f"DID: {msg.did}")
    validate_document(msg.did, _document(msg), reference_compat=reference_compat)
    _validate_signature_and_sender(msg.signature, msg.from_address)


def validate_deactivate_did(msg: tx_pb2.MsgDeactivateDID) -> None:
    if not validate_did(msg.did):
        raise ErrInvalidDID.wrap(f"DID: {msg.did}")
    _validate_signature_and_sender(msg.signature, msg.from_address)


def signers(msg: tx_pb2.MsgCreateDID | tx_pb2.MsgUpdateDID | tx_pb2.MsgDeactivateDID) -> list[str]:
    """GetSigners: ``from_address``, the account paying for the tx (not necessarily the DID's key holder)."""
    return [msg.from_address]
