"""The oracle API's JSON in and out (oracle-reference §1.4, §1.5), without I/O, so the HTTP layer stays thin.

Input as the gateway accepts it: u64 as a number or a decimal string, bytes as std or url base64 (padded or
not), unknown fields ignored; plus the older spellings the docs list (``encrypted_data_base64`` in the body,
``deal-id`` / ``data-hash`` in the query). Output in the gateway form: u64 as strings, bytes as padded std
base64, every field present, the chain's certificate in lowerCamelCase.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any, Final

from panacea.oracle.enclave import EnclaveIdentity
from panacea.oracle.validate import ValidateDataRequest
from panacea.service.errors import ServiceError
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2

MAX_U64: Final = (1 << 64) - 1
_B64: Final = re.compile(r"[A-Za-z0-9+/\-_]*={0,2}")
BAD_BODY: Final = "invalid request body"


def u64(raw: object, name: str) -> int:
    """A uint64 given as a JSON number or a decimal string (the gateway accepts both)."""
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw <= MAX_U64:
        return raw
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 20 and int(raw) <= MAX_U64:
        return int(raw)
    raise ServiceError(400, f"invalid {name}: must be an unsigned 64-bit integer")


def b64(raw: object, name: str) -> bytes:
    """Bytes given as std or url base64, padded or not."""
    if not isinstance(raw, str) or not _B64.fullmatch(raw):
        raise ServiceError(400, f"{BAD_BODY}: {name} must be a base64 string")
    text = raw.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ServiceError(400, f"{BAD_BODY}: {name} must be a base64 string") from None


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str):
        raise ServiceError(400, f"{BAD_BODY}: {name} must be a string")
    return value


def validate_request(deal_id: int, body: object) -> ValidateDataRequest:
    """The ValidateData body; the path's ``deal_id`` overrides one in the body (§1.5)."""
    if not isinstance(body, dict):
        raise ServiceError(400, f"{BAD_BODY}: expected a JSON object")
    encoded = body.get("encrypted_data", body.get("encrypted_data_base64", ""))
    data = b64(encoded, "encrypted_data") if encoded != "" else b""
    return ValidateDataRequest(deal_id, _text(body, "provider_address"), data, _text(body, "data_hash"))


def secret_key_query(params: Mapping[str, str]) -> tuple[int, str]:
    """``deal_id`` and ``data_hash`` of GetSecretKey (also ``deal-id`` / ``data-hash``)."""
    raw_id = params.get("deal_id", params.get("deal-id"))
    if raw_id is None:
        raise ServiceError(400, "deal_id is required")
    data_hash = params.get("data_hash", params.get("data-hash", ""))
    if not data_hash:
        raise ServiceError(400, "data hash is empty in request")
    return u64(raw_id, "deal_id"), data_hash


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def certificate_json(cert: consent_pb2.Certificate) -> dict[str, Any]:
    """``{"certificate": {"unsignedCertificate": {...}, "signature": b64}}`` as the gateway writes it."""
    u = cert.unsigned_certificate
    return {"certificate": {
        "unsignedCertificate": {"uniqueId": u.unique_id, "oracleAddress": u.oracle_address, "dealId": str(u.deal_id),
                                "providerAddress": u.provider_address, "dataHash": u.data_hash},
        "signature": _b64(cert.signature)}}


def secret_key_json(encrypted: bytes) -> dict[str, str]:
    """``{"encrypted_secret_key": b64}`` (§3 step 8)."""
    return {"encrypted_secret_key": _b64(encrypted)}


def status_json(address: str, listen_addr: str, identity: EnclaveIdentity) -> dict[str, Any]:
    """GetStatus; there is no gRPC server here, so its listen address is empty (EmitUnpopulated keeps it)."""
    return {"oracle_account_address": address, "api": {"enabled": True, "listen_addr": listen_addr},
            "grpc": {"listen_addr": ""},
            "enclave_info": {"product_id": _b64(identity.product_id), "unique_id": identity.unique_id_hex}}
