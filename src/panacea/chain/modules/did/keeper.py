"""x/did keeper: the only writer of the ``did/`` key space (did-reference §3.2, §3.3, §4).

A record is ``DIDDocumentWithSeq``. It is *empty* when absent or when its document has an empty id at sequence 0,
and *deactivated* (a tombstone, kept forever) when its document has an empty id at a non-zero sequence. A create
stores sequence 0; every update and the deactivation add one. An ownership proof is a signature by a secp256k1
key of the authenticating document over ``DataWithSeq{data, sequence}``.

``reference_compat=True`` keeps the reference's behaviour where a departure differs (docs/decisions.md "DIDs"):
an update may repeat the stored document, which lets anyone replay a create signature as the first update (REF-5).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from google.protobuf.message import DecodeError

from panacea.chain.context import Context
from panacea.chain.kv import prefix_end
from panacea.chain.modules.did.errors import (
    ErrDIDDeactivated,
    ErrDIDExists,
    ErrDIDNotFound,
    ErrInvalidDIDDocument,
    ErrInvalidSecp256k1PublicKey,
    ErrSigVerificationFailed,
    ErrVerificationMethodIDNotFound,
    ErrVerificationMethodKeyTypeNotImplemented,
    plain,
)
from panacea.chain.modules.did.keys import DID_PREFIX, STORE, did_key
from panacea.chain.modules.did.msgs import check_document_id
from panacea.chain.modules.did.validation import OWNERSHIP_KEY_TYPES, base58_decode, method_from
from panacea.crypto import did as did_crypto
from panacea.types.lp import marshal_length_prefixed, unmarshal_length_prefixed
from panacea.types.pb.panacea.did.v2 import did_pb2, tx_pb2

COMPRESSED_KEY_SIZE: Final = 33


def is_empty(record: did_pb2.DIDDocumentWithSeq) -> bool:
    """``DIDDocumentWithSeq.Empty``: no document, or an empty id at sequence 0."""
    return not record.HasField("document") or (record.document.id == "" and record.sequence == 0)


def is_deactivated(record: did_pb2.DIDDocumentWithSeq) -> bool:
    """``Deactivated``: an empty id at a non-zero sequence (a record without a document is empty, not this)."""
    return record.HasField("document") and record.document.id == "" and record.sequence != 0


def tombstone(sequence: int) -> did_pb2.DIDDocumentWithSeq:
    """What deactivation stores: a present, empty document (``04 0a 00 10 01`` at sequence 1)."""
    return did_pb2.DIDDocumentWithSeq(document=did_pb2.DIDDocument(), sequence=sequence)


def canonical(doc: did_pb2.DIDDocument) -> did_pb2.DIDDocument:
    """The document as gogoproto decodes it: unknown fields dropped (sign bytes and the stored value are the
    re-encoding of the decoded document, REF-6)."""
    out = did_pb2.DIDDocument()
    out.CopyFrom(doc)
    out.DiscardUnknownFields()
    return out


def decode_record(raw: bytes) -> did_pb2.DIDDocumentWithSeq:
    try:
        return unmarshal_length_prefixed(raw, did_pb2.DIDDocumentWithSeq)
    except (DecodeError, ValueError) as e:
        raise plain(str(e)) from None


def verify_ownership(data: bytes, sequence: int, auth_doc: did_pb2.DIDDocument, vm_id: str,
                     signature: bytes) -> int:
    """``VerifyDIDOwnership`` (§3.2): the signature of ``data`` at ``sequence`` by the authentication key
    ``vm_id`` of ``auth_doc``; returns the next sequence."""
    vm = method_from(auth_doc, auth_doc.authentications, vm_id)
    if vm is None:
        raise ErrVerificationMethodIDNotFound.wrap(f"VerificationMethodId: {vm_id}")
    if vm.type not in OWNERSHIP_KEY_TYPES:
        raise ErrVerificationMethodKeyTypeNotImplemented.wrap(f"VerificationMethod: {vm.type}")
    public_key = base58_decode(vm.public_key_base58)
    if len(public_key) != COMPRESSED_KEY_SIZE:
        raise ErrInvalidSecp256k1PublicKey.wrap(f"PublicKey: {vm.public_key_base58}")
    if not did_crypto.verify_ownership(public_key, data, sequence, signature):
        raise ErrSigVerificationFailed.error()
    return sequence + 1


class DIDKeeper:
    """DID documents with their sequences, and the create/update/deactivate handlers."""

    def __init__(self, *, reference_compat: bool = False) -> None:
        self.reference_compat: Final = reference_compat

    # --- store ----------------------------------------------------------------------------------------------
    def get(self, ctx: Context, did: str) -> did_pb2.DIDDocumentWithSeq:
        """The record of ``did``; an empty record when there is none (like the reference)."""
        return self.get_by_key(ctx, did_key(did))

    def get_by_key(self, ctx: Context, key: bytes) -> did_pb2.DIDDocumentWithSeq:
        raw = ctx.kv(STORE).get(key)
        return decode_record(raw) if raw is not None else did_pb2.DIDDocumentWithSeq()

    def set(self, ctx: Context, did: str, record: did_pb2.DIDDocumentWithSeq) -> None:
        """Stores ``record`` as given (genesis and the keeper tests store what they like, §4)."""
        ctx.kv(STORE).set(did_key(did), marshal_length_prefixed(record))

    def iterate(self, ctx: Context) -> Iterator[tuple[bytes, did_pb2.DIDDocumentWithSeq]]:
        """Every stored (key, record) in ascending key order, tombstones and empty records included."""
        for key, raw in ctx.kv(STORE).iterate(DID_PREFIX, prefix_end(DID_PREFIX)):
            yield key, decode_record(raw)

    def list_dids(self, ctx: Context) -> list[str]:
        return [key[len(DID_PREFIX):].decode() for key, _ in self.iterate(ctx)]

    # --- msgs (§3.3) ----------------------------------------------------------------------------------------
    def create_did(self, ctx: Context, msg: tx_pb2.MsgCreateDID) -> None:
        current = self.get(ctx, msg.did)
        if not is_empty(current):
            if is_deactivated(current):
                raise ErrDIDDeactivated.wrap(f"DID: {msg.did}")
            raise ErrDIDExists.wrap(f"DID: {msg.did}")
        doc = self._document(msg)
        verify_ownership(doc.SerializeToString(), 0, doc, msg.verification_method_id, msg.signature)
        self.set(ctx, msg.did, did_pb2.DIDDocumentWithSeq(document=doc, sequence=0))

    def _document(self, msg: tx_pb2.MsgCreateDID | tx_pb2.MsgUpdateDID) -> did_pb2.DIDDocument:
        """The msg's document, decoded as gogoproto would; outside reference mode its id is checked here too (an
        empty id can never deactivate a DID silently, whoever calls the keeper)."""
        doc = canonical(msg.document)
        if not self.reference_compat:
            check_document_id(msg.did, doc)
        return doc

    def _active(self, ctx: Context, did: str) -> did_pb2.DIDDocumentWithSeq:
        current = self.get(ctx, did)
        if is_empty(current):
            raise ErrDIDNotFound.wrap(f"DID: {did}")
        if is_deactivated(current):
            raise ErrDIDDeactivated.wrap(f"DID: {did}")
        return current

    def update_did(self, ctx: Context, msg: tx_pb2.MsgUpdateDID) -> None:
        current = self._active(ctx, msg.did)
        doc = self._document(msg)
        data = doc.SerializeToString()
        verify_ownership(data, current.sequence, current.document, msg.verification_method_id, msg.signature)
        if not self.reference_compat and data == current.document.SerializeToString():
            # Departure (REF-5): the only record at sequence 0 is the created document, so refusing an unchanged
            # document makes a create signature useless as an update; clients keep signing at the queried seq.
            raise ErrInvalidDIDDocument.wrap("the document is unchanged")
        self.set(ctx, msg.did, did_pb2.DIDDocumentWithSeq(document=doc, sequence=current.sequence + 1))

    def deactivate_did(self, ctx: Context, msg: tx_pb2.MsgDeactivateDID) -> None:
        current = self._active(ctx, msg.did)
        verify_ownership(did_crypto.deactivation_data(msg.did), current.sequence, current.document,
                         msg.verification_method_id, msg.signature)
        self.set(ctx, msg.did, tombstone(current.sequence + 1))
