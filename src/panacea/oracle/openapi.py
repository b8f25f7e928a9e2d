"""The oracle API's OpenAPI 3.1 document (hand-written; served at ``/openapi.json``)."""

from __future__ import annotations

from typing import Any, Final

_ERROR: Final = {"$ref": "#/components/schemas/Error"}
_TEXT: Final = {400: "bad request (shape, hash, schema, presentation)", 401: "missing or invalid JWT",
                403: "the token is not the party allowed to ask", 404: "deal, consent or account not found",
                409: "deal not active", 413: "body too large", 429: "rate limited",
                502: "the consumer service failed", 503: "chain unreachable"}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(s): {"description": _TEXT[s], "content": {"application/json": {"schema": _ERROR}}} for s in statuses}


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _strings(*names: str) -> dict[str, Any]:
    return {"type": "object", "required": list(names), "properties": {n: {"type": "string"} for n in names}}


_U64: Final = {"type": "string", "pattern": "^[0-9]{1,20}$"}
_BEARER: Final[list[dict[str, list[str]]]] = [{"bearer": []}]
_SCHEMAS: Final[dict[str, Any]] = {
    "Error": {"type": "object", "required": ["code", "message"],
              "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}},
    "ValidateDataRequest": {"type": "object", "properties": {
        "provider_address": {"type": "string"}, "data_hash": {"type": "string", "description": "hex SHA-256 of JCS"},
        "encrypted_data": {"type": "string", "description": "base64 (std or url)"},
        "encrypted_data_base64": {"type": "string", "description": "older name of encrypted_data"}}},
    "UnsignedCertificate": _strings("uniqueId", "oracleAddress", "dealId", "providerAddress", "dataHash"),
    "Certificate": {"type": "object", "required": ["unsignedCertificate", "signature"], "properties": {
        "unsignedCertificate": {"$ref": "#/components/schemas/UnsignedCertificate"},
        "signature": {"type": "string", "description": "base64"}}},
    "ValidateDataResponse": {"type": "object", "required": ["certificate"],
                             "properties": {"certificate": {"$ref": "#/components/schemas/Certificate"}}},
    "SecretKey": _strings("encrypted_secret_key"),
    "Status": {"type": "object", "properties": {
        "oracle_account_address": {"type": "string"},
        "api": {"type": "object", "properties": {"enabled": {"type": "boolean"}, "listen_addr": {"type": "string"}}},
        "grpc": _strings("listen_addr"), "enclave_info": _strings("product_id", "unique_id")}},
}


def _query(name: str, required: bool) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": {"type": "string"}}


OPENAPI: Final[dict[str, Any]] = {
    "openapi": "3.1.0",
    "info": {"title": "Panacea DEP oracle", "version": "0"},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT (ES256K)"}},
                   "schemas": _SCHEMAS},
    "paths": {
        "/v0/data-deal/deals/{deal_id}/data": {"post": {
            "summary": "Validate a provider's data, deliver it to the consumer service and certify it",
            "security": _BEARER,
            "parameters": [{"name": "deal_id", "in": "path", "required": True, "schema": _U64}],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/ValidateDataRequest"}}}},
            "responses": {"200": _json("ValidateDataResponse", "the certificate"),
                          **_errors(400, 401, 403, 404, 409, 413, 429, 502, 503)}}},
        "/v0/data-deal/secret-key": {"get": {
            "summary": "The deal's consumer gets the key of one certified data item",
            "security": _BEARER,
            "parameters": [_query("deal_id", False), _query("data_hash", False), _query("deal-id", False),
                           _query("data-hash", False)],
            "responses": {"200": _json("SecretKey", "the secret, encrypted for the consumer"),
                          **_errors(400, 401, 403, 404, 429, 503)}}},
        "/v0/status": {"get": {"summary": "This oracle's account and enclave identity",
                               "responses": {"200": _json("Status", "status"), **_errors(429)}}},
    },
}
