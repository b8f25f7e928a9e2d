"""JSON forms of ``panacea.did.v2`` documents (did-reference §1.1), shared by chain genesis, the REST API and the CLI.

- **JSON A** (gogo jsonpb with ``OrigName`` and ``EmitDefaults``): what the REST gateway, ``get-did`` and the genesis
  export print. snake_case keys, ``contexts``/``controller`` always an array or ``null``, empty repeated fields
  ``[]``, ``sequence`` a string, a relationship the id string or the embedded method's ``encoding/json`` object
  (snake_case keys, empty fields left out).
- **JSON B** (default gogo jsonpb): what the reference oracle hands to its DID parser. json_name keys
  (``@context``, ``verificationMethod``, …), empty fields left out; embedded methods keep ``public_key_base58``
  (REF-12).
- **JSON input** (gogo jsonpb Unmarshal): the CLI's document file and genesis. Either key spelling, a string or an
  array for ``@context``/``controller``, a relationship as a string or a method object; ``null`` leaves a field
  unset, ``[]`` a present but empty ``contexts``; unknown keys are errors (``ValueError``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from panacea.types.pb.panacea.did.v2 import did_pb2

JSON = dict[str, Any]

RELATIONSHIPS: Final = ("authentications", "assertion_methods", "key_agreements", "capability_invocations",
                        "capability_delegations")
# proto name -> json_name (the second spelling JSON input accepts; JSON B's keys).
DOCUMENT_JSON_NAMES: Final = {
    "contexts": "@context", "id": "id", "controller": "controller", "verification_methods": "verificationMethod",
    "authentications": "authentication", "assertion_methods": "assertionMethod", "key_agreements": "keyAgreement",
    "capability_invocations": "capabilityInvocation", "capability_delegations": "capabilityDelegation",
    "services": "service",
}
METHOD_JSON_NAMES: Final = {"id": "id", "type": "type", "controller": "controller",
                            "public_key_base58": "publicKeyBase58"}
SERVICE_JSON_NAMES: Final = {"id": "id", "type": "type", "service_endpoint": "serviceEndpoint"}
SEQUENCE_MAX: Final = 2**64 - 1


# --- JSON A ------------------------------------------------------------------------------------------------
def _strings(doc: did_pb2.DIDDocument, field: str) -> list[str] | None:
    return list(getattr(doc, field).values) if doc.HasField(field) else None


def method_to_json(vm: did_pb2.VerificationMethod) -> JSON:
    """A top-level verification method (jsonpb: every field, snake_case)."""
    return {"id": vm.id, "type": vm.type, "controller": vm.controller, "public_key_base58": vm.public_key_base58}


def _embedded(vm: did_pb2.VerificationMethod) -> JSON:
    """``encoding/json`` of an embedded method: snake_case tags with omitempty."""
    return {k: v for k, v in method_to_json(vm).items() if v}


def relationship_to_json(rel: did_pb2.VerificationRelationship) -> str | JSON:
    if rel.WhichOneof("content") == "verification_method":
        return _embedded(rel.verification_method)
    return rel.verification_method_id


def service_to_json(service: did_pb2.Service) -> JSON:
    return {"id": service.id, "type": service.type, "service_endpoint": service.service_endpoint}


def document_to_json(doc: did_pb2.DIDDocument) -> JSON:
    """JSON A of a document, keys in field order."""
    out: JSON = {"contexts": _strings(doc, "contexts"), "id": doc.id, "controller": _strings(doc, "controller"),
                 "verification_methods": [method_to_json(vm) for vm in doc.verification_methods]}
    for field in RELATIONSHIPS:
        out[field] = [relationship_to_json(r) for r in getattr(doc, field)]
    out["services"] = [service_to_json(s) for s in doc.services]
    return out


def with_seq_to_json(dws: did_pb2.DIDDocumentWithSeq) -> JSON:
    """JSON A of a stored record: ``{"document": …|null, "sequence": "<n>"}``."""
    return {"document": document_to_json(dws.document) if dws.HasField("document") else None,
            "sequence": str(dws.sequence)}


# --- JSON B ------------------------------------------------------------------------------------------------
def document_to_json_b(doc: did_pb2.DIDDocument) -> JSON:
    """JSON B of a document (the reference oracle's VDR input, before its key conversion)."""
    out: JSON = {}
    for field, name in DOCUMENT_JSON_NAMES.items():
        if field in ("contexts", "controller"):
            if doc.HasField(field):
                out[name] = list(getattr(doc, field).values)
        elif field == "id":
            if doc.id:
                out[name] = doc.id
        elif field == "verification_methods":
            if doc.verification_methods:
                out[name] = [{METHOD_JSON_NAMES[k]: v for k, v in method_to_json(vm).items() if v}
                             for vm in doc.verification_methods]
        elif field == "services":
            if doc.services:
                out[name] = [{SERVICE_JSON_NAMES[k]: v for k, v in service_to_json(s).items() if v}
                             for s in doc.services]
        elif getattr(doc, field):
            out[name] = [relationship_to_json(r) for r in getattr(doc, field)]
    return out


# --- JSON input --------------------------------------------------------------------------------------------
def _fields(obj: Any, names: Mapping[str, str], what: str) -> dict[str, Any]:
    """The object's values by proto name; either spelling accepted, unknown keys and both spellings refused."""
    if not isinstance(obj, dict):
        raise ValueError(f"{what}: expected a JSON object, got {_kind(obj)}")
    by_name = {**{v: k for k, v in names.items()}, **{k: k for k in names}}
    out: dict[str, Any] = {}
    for key, value in obj.items():
        field = by_name.get(key)
        if field is None:
            raise ValueError(f'{what}: unknown field "{key}"')
        if field in out:
            raise ValueError(f'{what}: field "{field}" given twice')
        out[field] = value
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _string(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{what}: expected a string, got {_kind(value)}")
    return value


def _array(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what}: expected an array, got {_kind(value)}")
    return value


def _set_strings(target: did_pb2.Strings, value: Any, what: str) -> None:
    """``JSONStringOrStrings``: a bare string is one value; ``[]`` gives a present, empty list."""
    target.SetInParent()
    items = [value] if isinstance(value, str) else _array(value, what)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise ValueError(f"{what}[{i}]: expected a string, got {_kind(item)}")
        target.values.append(item)


def method_from_json(obj: Any, what: str = "verification method") -> did_pb2.VerificationMethod:
    fields = _fields(obj, METHOD_JSON_NAMES, what)
    return did_pb2.VerificationMethod(**{k: _string(v, f"{what}.{k}") for k, v in fields.items()})


def service_from_json(obj: Any, what: str = "service") -> did_pb2.Service:
    fields = _fields(obj, SERVICE_JSON_NAMES, what)
    return did_pb2.Service(**{k: _string(v, f"{what}.{k}") for k, v in fields.items()})


def relationship_from_json(value: Any, what: str = "relationship") -> did_pb2.VerificationRelationship:
    if isinstance(value, str):
        return did_pb2.VerificationRelationship(verification_method_id=value)
    if isinstance(value, dict):
        return did_pb2.VerificationRelationship(verification_method=method_from_json(value, what))
    raise ValueError(f"{what}: expected a string or an object, got {_kind(value)}")


def _items(value: Any, what: str, parse: Callable[[Any, str], Any]) -> list[Any]:
    return [parse(item, f"{what}[{i}]") for i, item in enumerate(_array(value, what))]


def document_from_json(obj: Any, what: str = "document") -> did_pb2.DIDDocument:
    """A document from JSON input (§1.1); ``ValueError`` names the offending field (``what`` is its path)."""
    fields = _fields(obj, DOCUMENT_JSON_NAMES, what)
    doc = did_pb2.DIDDocument(id=_string(fields.get("id"), f"{what}.id"))
    for field in ("contexts", "controller"):
        value = fields.get(field)
        if value is not None:
            _set_strings(getattr(doc, field), value, f"{what}.{field}")
    doc.verification_methods.extend(_items(fields.get("verification_methods"), f"{what}.verification_methods",
                                           method_from_json))
    for field in RELATIONSHIPS:
        getattr(doc, field).extend(_items(fields.get(field), f"{what}.{field}", relationship_from_json))
    doc.services.extend(_items(fields.get("services"), f"{what}.services", service_from_json))
    return doc


def _sequence(value: Any, what: str) -> int:
    """jsonpb uint64: a number or a decimal string."""
    if value is None:
        return 0
    if isinstance(value, str) and value.isdigit():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        shown = repr(value) if isinstance(value, str) else _kind(value)
        raise ValueError(f"{what}: expected an unsigned integer, got {shown}")
    if not 0 <= number <= SEQUENCE_MAX:
        raise ValueError(f"{what}: {value} is out of the uint64 range")
    return number


def with_seq_from_json(obj: Any, what: str = "DIDDocumentWithSeq") -> did_pb2.DIDDocumentWithSeq:
    """A stored record from JSON input; ``"document": null`` (or none) leaves the document absent."""
    fields = _fields(obj, {"document": "document", "sequence": "sequence"}, what)
    dws = did_pb2.DIDDocumentWithSeq(sequence=_sequence(fields.get("sequence"), f"{what}.sequence"))
    if fields.get("document") is not None:
        dws.document.CopyFrom(document_from_json(fields["document"], f"{what}.document"))
    return dws
