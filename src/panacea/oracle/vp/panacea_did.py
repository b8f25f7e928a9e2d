"""``did:panacea`` resolution (did-reference §9): the DID's record from the chain's ``did`` store, read through the
oracle's chain reads (proven against a light-client-verified app hash in the default mode), turned into the
verification methods a VP or VC proof may name.

Departures from the reference's VDR (§9.4, §10), each for a reason:
- a missing DID and a deactivated one (``document.id == ""`` with a sequence) are "not found" (REF-11: the
  reference notices deactivation only when a JSON schema fails), and so is an empty-id record (REF-3);
- a record whose ``document.id`` is not the DID it is stored under is refused (REF-1: the chain did not bind them);
- only ``EcdsaSecp256k1VerificationKey2019`` methods can sign (§9.5's exact-type check, made at resolution:
  other types are skipped, so a ``Secp256k1VerificationKey2018`` key is never usable, REF-8);
- a method's proof purposes are the relationships naming it: authentication, assertionMethod,
  capabilityInvocation, capabilityDelegation. Never keyAgreement, and a method in the bare
  ``verificationMethod`` list alone serves nothing (§9.3 scans that list too);
- a relationship naming a method by id is resolved by exact id (the first top-level method with it, as the
  chain's lookup); one embedding its method is supported (REF-12: the reference cannot resolve it);
- keys (base58): a 33-byte ``02``/``03`` or a 65-byte ``04`` secp256k1 point, parsed and used compressed (§9.4.2
  converts the other way and in place, REF-14); anything else is an error naming the method.
Chain failures keep the oracle's category (a node outage stays a 503, never an invalid VP).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

import base58
import coincurve

from panacea.oracle.errors import Category, OracleError
from panacea.oracle.interfaces import DIDReader
from panacea.oracle.vp.dids import (
    ASSERTION_METHOD,
    AUTHENTICATION,
    CAPABILITY_DELEGATION,
    CAPABILITY_INVOCATION,
    VerificationMethod,
)
from panacea.oracle.vp.errors import VPValidationError
from panacea.types.pb.panacea.did.v2 import did_pb2

ES256K_2019: Final = "EcdsaSecp256k1VerificationKey2019"
_BASE58: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_PANACEA_DID: Final = re.compile(f"did:panacea:[{_BASE58}]{{32,44}}")  # ValidateDID (§2), fullmatch


def _relationships(document: did_pb2.DIDDocument) -> tuple[tuple[str, Sequence[did_pb2.VerificationRelationship]], ...]:
    """The relationships that give a proof purpose, in the chain's order (keyAgreement is not one)."""
    return ((AUTHENTICATION, document.authentications), (ASSERTION_METHOD, document.assertion_methods),
            (CAPABILITY_INVOCATION, document.capability_invocations),
            (CAPABILITY_DELEGATION, document.capability_delegations))


def check_panacea_did(did: str) -> None:
    """did-reference §2 ``ValidateDID``: ``did:panacea:`` and 32 to 44 base58 characters, nothing more."""
    if not _PANACEA_DID.fullmatch(did):
        raise VPValidationError(f"{did!r} is not a valid did:panacea DID")


def _compressed_key(method: did_pb2.VerificationMethod) -> bytes:
    """The method's base58 key as a 33-byte compressed secp256k1 point (given compressed or uncompressed)."""
    try:
        raw = base58.b58decode(method.public_key_base58) if method.public_key_base58 else b""
    except ValueError:
        raise VPValidationError(f"verification method {method.id} has an invalid base58 public key") from None
    if not ((len(raw) == 33 and raw[0] in (2, 3)) or (len(raw) == 65 and raw[0] == 4)):
        raise VPValidationError(f"verification method {method.id} holds no secp256k1 public key (33 bytes 02/03 or "
                                f"65 bytes 04), got {len(raw)} bytes")
    try:
        return coincurve.PublicKey(raw).format(compressed=True)
    except ValueError:
        raise VPValidationError(f"verification method {method.id} holds an invalid secp256k1 public key") from None


def _purposes(document: did_pb2.DIDDocument) -> dict[str, tuple[did_pb2.VerificationMethod, set[str]]]:
    """Each method id named by a purpose-giving relationship: its method (the first definition of the id) and
    purposes."""
    top_level: dict[str, did_pb2.VerificationMethod] = {}
    for defined in document.verification_methods:
        top_level.setdefault(defined.id, defined)  # first match, as the chain's lookup (did.go:305-312)
    found: dict[str, tuple[did_pb2.VerificationMethod, set[str]]] = {}
    for purpose, relationships in _relationships(document):
        for relationship in relationships:
            if relationship.WhichOneof("content") == "verification_method":
                method: did_pb2.VerificationMethod | None = relationship.verification_method
            else:
                method = top_level.get(relationship.verification_method_id)
            if method is None:  # a dangling reference: the chain refuses such documents
                continue
            entry = found.setdefault(method.id, (method, set()))
            if entry[0] == method:  # another method under a taken id gets no purpose (one key per id)
                entry[1].add(purpose)
    return found


def verification_methods(did: str, record: did_pb2.DIDDocumentWithSeq) -> tuple[VerificationMethod, ...]:
    """The usable methods of the record stored under ``did``, or the reason there are none to use."""
    document = record.document
    if not document.id:
        if record.sequence:
            raise VPValidationError(f"{did} is deactivated")
        raise VPValidationError(f"{did} is not found")  # an empty-id record reads as no record (REF-3)
    if document.id != did:
        raise VPValidationError(f"the DID document stored under {did} is the document of {document.id}")
    methods = []
    for method_id, (method, purposes) in _purposes(document).items():
        if method.type != ES256K_2019:
            continue  # no proof suite of ours verifies with it (§9.5's exact-type check)
        methods.append(VerificationMethod(method_id, method.controller, _compressed_key(method), frozenset(purposes)))
    return tuple(methods)


class PanaceaDIDResolver:
    """``did:panacea`` through a :class:`DIDReader` (the oracle's cached, verified chain reads)."""

    def __init__(self, reader: DIDReader) -> None:
        self.reader = reader

    async def resolve(self, did: str) -> Sequence[VerificationMethod]:
        """The DID's usable verification methods on chain now; VPValidationError when there are none to use,
        the reader's own OracleError (its category) when the chain cannot be read."""
        check_panacea_did(did)
        try:
            record = await self.reader.did_document(did)
        except OracleError as e:
            if e.category is Category.NOT_FOUND:
                raise VPValidationError(f"{did} is not found") from None
            raise
        return verification_methods(did, record)
