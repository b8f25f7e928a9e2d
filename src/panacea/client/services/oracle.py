"""Client of the oracle API (``oracled``): sync (httpx) and async (aiohttp) over one no-I/O core.

Each authenticated call takes the bearer JWT of the caller's account (the provider for ValidateData, the deal's
consumer for GetSecretKey), with a fresh ``jti`` and ``aud`` = the oracle's account under the secure profile.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from panacea.client.services.http import (
    AsyncTransport,
    Call,
    ServiceClientError,
    SyncTransport,
    answer_json,
    bearer,
)
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2


class OracleServiceError(ServiceClientError):
    """The oracle answered with an error (``status`` and its ``message``) or could not be reached (status 0)."""

    SERVICE = "oracle"


@dataclass(frozen=True)
class OracleStatus:
    """GetStatus: the oracle's account and the enclave it runs in; from this implementation's oracles also how
    it reads the chain, its event follower and its state on chain (None from a reference oracle)."""

    oracle_account_address: str
    api_listen_addr: str
    product_id: bytes
    unique_id: str
    chain: dict[str, Any] | None = None  # verification, description, trusted_height
    follower: dict[str, Any] | None = None  # running, connected, last_processed_height, approved, failed, …
    on_chain: dict[str, Any] | None = None  # registered, active_unique_id, active, endpoint


def validate_call(deal_id: int, provider_address: str, encrypted_data: bytes, data_hash: str, jwt: str) -> Call:
    """ValidateData's request."""
    doc = {"provider_address": provider_address, "encrypted_data": base64.b64encode(encrypted_data).decode(),
           "data_hash": data_hash}
    return Call("POST", f"/v0/data-deal/deals/{deal_id}/data", {**bearer(jwt), "Content-Type": "application/json"},
                {}, json.dumps(doc).encode())


def secret_key_call(deal_id: int, data_hash: str, jwt: str) -> Call:
    """GetSecretKey's request."""
    return Call("GET", "/v0/data-deal/secret-key", bearer(jwt), {"deal_id": str(deal_id), "data_hash": data_hash})


STATUS_CALL = Call("GET", "/v0/status", {}, {})


def _bytes(value: object) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise OracleServiceError(200, "answer holds invalid base64") from None


def parse_certificate(status: int, body: bytes) -> consent_pb2.Certificate:
    """ValidateData's answer as the chain's Certificate (ready for MsgSubmitConsent)."""
    try:
        cert = answer_json(status, body, OracleServiceError)["certificate"]
        u = cert["unsignedCertificate"]
        unsigned = consent_pb2.UnsignedCertificate(
            unique_id=str(u["uniqueId"]), oracle_address=str(u["oracleAddress"]), deal_id=int(u["dealId"]),
            provider_address=str(u["providerAddress"]), data_hash=str(u["dataHash"]))
        signature = cert["signature"]
    except (KeyError, TypeError, ValueError):
        raise OracleServiceError(status, "answer is not a certificate") from None
    return consent_pb2.Certificate(unsigned_certificate=unsigned, signature=_bytes(signature))


def parse_secret_key(status: int, body: bytes) -> bytes:
    """GetSecretKey's answer: the secret encrypted for the consumer (decrypt with ``crypto.secret``)."""
    return _bytes(answer_json(status, body, OracleServiceError).get("encrypted_secret_key"))


def parse_status(status: int, body: bytes) -> OracleStatus:
    """GetStatus's answer."""
    try:
        d = answer_json(status, body, OracleServiceError)
        info = d["enclave_info"]
        extra = [d.get(k) if isinstance(d.get(k), dict) else None for k in ("chain", "follower", "oracle")]
        return OracleStatus(str(d["oracle_account_address"]), str(d["api"]["listen_addr"]),
                            _bytes(info["product_id"]), str(info["unique_id"]), *extra)
    except (KeyError, TypeError):
        raise OracleServiceError(status, "answer is not a status") from None


class OracleClient(SyncTransport):
    """Blocking client (httpx); thread-safe."""

    ERROR = OracleServiceError

    def __init__(self, endpoint: str, *, timeout: float = 30.0) -> None:
        super().__init__(endpoint, timeout=timeout)

    def validate_data(self, deal_id: int, provider_address: str, encrypted_data: bytes, data_hash: str,
                      jwt: str) -> consent_pb2.Certificate:
        """Submit a provider's encrypted data; the certificate once the oracle delivered it."""
        return parse_certificate(*self._send(validate_call(deal_id, provider_address, encrypted_data, data_hash, jwt)))

    def secret_key(self, deal_id: int, data_hash: str, jwt: str) -> bytes:
        """The deal's consumer gets the encrypted secret of one certified data item."""
        return parse_secret_key(*self._send(secret_key_call(deal_id, data_hash, jwt)))

    def status(self) -> OracleStatus:
        """The oracle's account and enclave identity."""
        return parse_status(*self._send(STATUS_CALL))


class AsyncOracleClient(AsyncTransport):
    """asyncio twin (aiohttp); use inside one event loop."""

    ERROR = OracleServiceError

    def __init__(self, endpoint: str, *, timeout: float = 30.0) -> None:
        super().__init__(endpoint, timeout=timeout)

    async def validate_data(self, deal_id: int, provider_address: str, encrypted_data: bytes, data_hash: str,
                            jwt: str) -> consent_pb2.Certificate:
        """Submit a provider's encrypted data; the certificate once the oracle delivered it."""
        call = validate_call(deal_id, provider_address, encrypted_data, data_hash, jwt)
        return parse_certificate(*(await self._send(call)))

    async def secret_key(self, deal_id: int, data_hash: str, jwt: str) -> bytes:
        """The deal's consumer gets the encrypted secret of one certified data item."""
        return parse_secret_key(*(await self._send(secret_key_call(deal_id, data_hash, jwt))))

    async def status(self) -> OracleStatus:
        """The oracle's account and enclave identity."""
        return parse_status(*(await self._send(STATUS_CALL)))
