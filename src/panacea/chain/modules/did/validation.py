"""DID syntax and document validity (did-reference §2), with Go's regexp semantics (REF-7).

Every pattern is matched whole (``fullmatch``: Go's ``$`` does not match before a trailing newline), Go's ``\\S``
is ``[^\\t\\n\\f\\r ]`` (it lets ``\\v`` and Unicode spaces through), and the 128 limit counts UTF-8 bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from panacea.types.pb.panacea.did.v2 import did_pb2

METHOD_PREFIX: Final = "did:panacea:"
DID_CONTEXT: Final = "https://www.w3.org/ns/did/v1"
BASE58_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
MAX_VERIFICATION_METHOD_ID_SUFFIX: Final = 128  # bytes

ES256K_2019: Final = "EcdsaSecp256k1VerificationKey2019"
SECP256K1_2018: Final = "Secp256k1VerificationKey2018"
KNOWN_KEY_TYPES: Final = (
    "JsonWebKey2020", ES256K_2019, SECP256K1_2018, "Ed25519VerificationKey2018", "Bls12381G1Key2020",
    "Bls12381G2Key2020", "GpgVerificationKey2020", "RsaVerificationKey2018", "X25519KeyAgreementKey2019",
    "SchnorrSecp256k1VerificationKey2019", "EcdsaSecp256k1RecoveryMethod2020",
)
# The key types that can prove ownership on chain (§3.2 step 2).
OWNERSHIP_KEY_TYPES: Final = (ES256K_2019, SECP256K1_2018)
RELATIONSHIPS: Final = ("authentications", "assertion_methods", "key_agreements", "capability_invocations",
                        "capability_delegations")

_DID_RE: Final = re.compile(f"did:panacea:[{BASE58_ALPHABET}]{{32,44}}")
_NON_SPACE_RE: Final = re.compile("[^\t\n\f\r ]+")
_BASE58_RE: Final = re.compile(f"[{BASE58_ALPHABET}]+")
_BASE58_INDEX: Final = {c: i for i, c in enumerate(BASE58_ALPHABET)}


def validate_did(did: str) -> bool:
    """``ValidateDID``: ``did:panacea:`` and 32..44 base58 characters (the derivation is never checked, REF-2)."""
    return _DID_RE.fullmatch(did) is not None


def validate_verification_method_id(vm_id: str, did: str) -> bool:
    """``<did>#<suffix>``: a suffix of 1..128 UTF-8 bytes without Go ``\\s`` characters (``#`` is allowed)."""
    prefix = did + "#"
    if not vm_id.startswith(prefix):
        return False
    suffix = vm_id[len(prefix):]
    return len(suffix.encode()) <= MAX_VERIFICATION_METHOD_ID_SUFFIX and _NON_SPACE_RE.fullmatch(suffix) is not None


def validate_key_type(key_type: str) -> bool:
    """Any non-empty type is accepted (the reference only logs a warning for unknown ones, REF-8)."""
    return key_type != ""


def validate_contexts(contexts: did_pb2.Strings) -> bool:
    """Present contexts: at least one, the DID v1 context first, no duplicates, no empty string."""
    values = list(contexts.values)
    return (len(values) > 0 and values[0] == DID_CONTEXT and len(set(values)) == len(values)
            and "" not in values)


def validate_method(vm: did_pb2.VerificationMethod, did: str) -> bool:
    """``VerificationMethod.Valid``: id, type and a base58 key; neither the controller nor the key length."""
    return (validate_verification_method_id(vm.id, did) and validate_key_type(vm.type)
            and _BASE58_RE.fullmatch(vm.public_key_base58) is not None)


def validate_service(service: did_pb2.Service) -> bool:
    return service.id != "" and service.type != "" and service.service_endpoint != ""


def is_embedded(rel: did_pb2.VerificationRelationship) -> bool:
    return bool(rel.WhichOneof("content") == "verification_method")


def validate_relationship(rel: did_pb2.VerificationRelationship, did: str) -> bool:
    if is_embedded(rel):
        return validate_method(rel.verification_method, did)
    return validate_verification_method_id(rel.verification_method_id, did)


def method_by_id(doc: did_pb2.DIDDocument, vm_id: str) -> did_pb2.VerificationMethod | None:
    """``VerificationMethodByID``: the first top-level method with that id."""
    for vm in doc.verification_methods:
        if vm.id == vm_id:
            return vm
    return None


def method_from(doc: did_pb2.DIDDocument, relationships: Iterable[did_pb2.VerificationRelationship],
                vm_id: str) -> did_pb2.VerificationMethod | None:
    """``VerificationMethodFrom``: the first relationship naming ``vm_id``; an embedded method as it is, a
    reference resolved through :func:`method_by_id`."""
    for rel in relationships:
        if is_embedded(rel):
            if rel.verification_method.id == vm_id:
                return rel.verification_method
        elif rel.verification_method_id == vm_id:
            return method_by_id(doc, vm_id)
    return None


def document_valid(doc: did_pb2.DIDDocument) -> bool:
    """``DIDDocument.Valid`` (§2), steps in the reference's order. An empty id is valid: it is the tombstone form
    (REF-3; the msgs refuse it unless the keeper runs in reference mode)."""
    did = doc.id
    if did == "":
        return True
    if not validate_did(did) or not doc.verification_methods or not doc.authentications:
        return False
    controllers = list(doc.controller.values) if doc.HasField("controller") else []
    if any(c != "" for c in controllers) and not all(validate_did(c) for c in controllers):
        return False
    if doc.HasField("contexts") and not validate_contexts(doc.contexts):
        return False
    if not all(validate_method(vm, did) for vm in doc.verification_methods):
        return False
    for field in RELATIONSHIPS:
        for rel in getattr(doc, field):
            if not validate_relationship(rel, did):
                return False
            if not is_embedded(rel) and method_by_id(doc, rel.verification_method_id) is None:
                return False
    return all(validate_service(s) for s in doc.services)


def duplicate_method_id(doc: did_pb2.DIDDocument) -> str | None:
    """The first verification-method id used twice, counting the top-level methods and the embedded ones (the
    reference allows duplicates and the first one wins, §2 notes; we refuse them outside reference mode)."""
    seen: set[str] = set()
    ids = [vm.id for vm in doc.verification_methods]
    ids += [rel.verification_method.id for field in RELATIONSHIPS for rel in getattr(doc, field) if is_embedded(rel)]
    for vm_id in ids:
        if vm_id in seen:
            return vm_id
        seen.add(vm_id)
    return None


def base58_decode(text: str) -> bytes:
    """btcutil ``base58.Decode``: leading ``1``s are zero bytes; any character outside the alphabet gives ``b""``."""
    number = 0
    for c in text:
        digit = _BASE58_INDEX.get(c)
        if digit is None:
            return b""
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\x00" * zeros + body


# --- Go's %v of a document (gogoproto CompactTextString), for the wrapped error texts ------------------------
def _quote(value: str | bytes) -> str:
    """golang/protobuf text ``writeString``: C escapes, other non-printable bytes as three-digit octal."""
    out = []
    for b in value.encode() if isinstance(value, str) else value:
        if b == 0x0A:
            out.append("\\n")
        elif b == 0x0D:
            out.append("\\r")
        elif b == 0x09:
            out.append("\\t")
        elif b == 0x22:
            out.append('\\"')
        elif b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return '"' + "".join(out) + '"'


def _text_fields(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f"{name}:{value} " for name, value in pairs if value != '""')


def _method_text(vm: did_pb2.VerificationMethod) -> str:
    return _text_fields((("id", _quote(vm.id)), ("type", _quote(vm.type)), ("controller", _quote(vm.controller)),
                         ("public_key_base58", _quote(vm.public_key_base58))))


def _service_text(s: did_pb2.Service) -> str:
    return _text_fields((("id", _quote(s.id)), ("type", _quote(s.type)),
                         ("service_endpoint", _quote(s.service_endpoint))))


def document_text(doc: did_pb2.DIDDocument | None) -> str:
    """``fmt.Sprintf("%v", doc)``: gogoproto's compact text, the custom types (contexts, controller and the
    relationships) written as the quoted bytes of their Marshal; ``<nil>`` for an absent document."""
    if doc is None:
        return "<nil>"
    parts: list[str] = []
    if doc.HasField("contexts"):
        parts.append(f"contexts:{_quote(doc.contexts.SerializeToString())} ")
    if doc.id:
        parts.append(f"id:{_quote(doc.id)} ")
    if doc.HasField("controller"):
        parts.append(f"controller:{_quote(doc.controller.SerializeToString())} ")
    parts += [f"verification_methods:<{_method_text(vm)}> " for vm in doc.verification_methods]
    for field in RELATIONSHIPS:
        parts += [f"{field}:{_quote(rel.SerializeToString())} " for rel in getattr(doc, field)]
    parts += [f"services:<{_service_text(s)}> " for s in doc.services]
    return "".join(parts)
