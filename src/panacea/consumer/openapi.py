"""The consumer service's OpenAPI 3.1 document (hand-written; served at ``/openapi.json``)."""

from __future__ import annotations

from typing import Any, Final

_ERROR: Final = {"$ref": "#/components/schemas/Error"}


def _errors(*statuses: int) -> dict[str, Any]:
    text = {400: "bad path or query value", 401: "missing or invalid JWT", 404: "deal or data not found",
            409: "deal not active, or other content already stored", 413: "body too large",
            503: "chain or storage unavailable"}
    return {str(s): {"description": text[s], "content": {"application/json": {"schema": _ERROR}}} for s in statuses}


_DEAL_ID: Final = {"name": "deal_id", "in": "path", "required": True,
                   "schema": {"type": "string", "pattern": "^[0-9]{1,20}$"}}
_DATA_HASH: Final = {"name": "data_hash", "in": "path", "required": True,
                     "schema": {"type": "string", "pattern": "^([0-9a-fA-F]{2}){1,64}$"}}
_BEARER: Final[list[dict[str, list[str]]]] = [{"bearer": []}]

OPENAPI: Final[dict[str, Any]] = {
    "openapi": "3.1.0",
    "info": {"title": "Panacea consumer service", "version": "0"},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT (ES256K)"}},
        "schemas": {
            "Error": {"type": "object", "required": ["code", "message"],
                      "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}},
            "Stored": {"type": "object", "required": ["deal_id", "data_hash", "size", "created"],
                       "properties": {"deal_id": {"type": "string"}, "data_hash": {"type": "string"},
                                      "size": {"type": "string"}, "created": {"type": "boolean"}}},
            "Listing": {"type": "object", "required": ["deal_id", "data", "next_after"], "properties": {
                "deal_id": {"type": "string"},
                "data": {"type": "array", "items": {"type": "object", "required": ["data_hash", "size"],
                                                    "properties": {"data_hash": {"type": "string"},
                                                                   "size": {"type": "string"}}}},
                "next_after": {"type": "string", "description": "pass as `after` for the next page; empty: last"},
            }},
        },
    },
    "paths": {
        "/v0/deals/{deal_id}/data/{data_hash}": {
            "post": {
                "summary": "Store a deal's ciphertext (oracle: JWT signed with the shared oracle key)",
                "security": _BEARER, "parameters": [_DEAL_ID, _DATA_HASH],
                "requestBody": {"required": True, "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}},
                "responses": {"200": {"description": "stored, or the same bytes were already stored",
                                      "content": {"application/json": {
                                          "schema": {"$ref": "#/components/schemas/Stored"}}}},
                              **_errors(400, 401, 404, 409, 413, 503)},
            },
            "get": {
                "summary": "Fetch one ciphertext (the deal's consumer: JWT of its account)",
                "security": _BEARER, "parameters": [_DEAL_ID, _DATA_HASH],
                "responses": {"200": {"description": "the stored bytes", "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}, **_errors(400, 401, 404, 503)},
            },
        },
        "/v0/deals/{deal_id}/data": {
            "get": {
                "summary": "List a deal's stored data by hash (the deal's consumer)",
                "security": _BEARER,
                "parameters": [_DEAL_ID,
                               {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                               {"name": "after", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "a page", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Listing"}}}}, **_errors(400, 401, 404, 503)},
            },
        },
    },
}
