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

import aiohttp
import httpx

from panacea.types.pb.panacea.datadeal.v2 import consent_pb2


class OracleServiceError(Exception):
    """The oracle answered with an error (``status`` and its ``message``) or could not be reached (status 0)."""

    def __init__(self, status: int, message: str, code: int | None = None) -> None:
        super().__init__(f"oracle: {message} (HTTP {status})" if status else f"oracle: {message}")
        self.status = status
        self.message = message
        self.code = code


@dataclass(frozen=True)
class OracleStatus:
    """GetStatus: the oracle's account and the enclave it runs in."""

    oracle_account_address: str
    api_listen_addr: str
    product_id: bytes
    unique_id: str


@dataclass(frozen=True)
class Call:
    """One HTTP request, built without I/O."""

    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, str]
    body: bytes | None = None


def validate_call(deal_id: int, provider_address: str, encrypted_data: bytes, data_hash: str, jwt: str) -> Call:
    """ValidateData's request."""
    doc = {"provider_address": provider_address, "encrypted_data": base64.b64encode(encrypted_data).decode(),
           "data_hash": data_hash}
    return Call("POST", f"/v0/data-deal/deals/{deal_id}/data", {**_auth(jwt), "Content-Type": "application/json"},
                {}, json.dumps(doc).encode())


def secret_key_call(deal_id: int, data_hash: str, jwt: str) -> Call:
    """GetSecretKey's request."""
    return Call("GET", "/v0/data-deal/secret-key", _auth(jwt), {"deal_id": str(deal_id), "data_hash": data_hash})


STATUS_CALL = Call("GET", "/v0/status", {}, {})


def _auth(jwt: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {jwt}"}


def _json(status: int, body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError:
        doc = None
    if status != 200:
        if isinstance(doc, dict) and isinstance(doc.get("message"), str):
            code = doc.get("code")
            raise OracleServiceError(status, doc["message"], code if isinstance(code, int) else None)
        raise OracleServiceError(status, body[:200].decode("utf-8", "replace") or f"HTTP {status}")
    if not isinstance(doc, dict):
        raise OracleServiceError(status, "answer is not a JSON object")
    return doc


def _bytes(value: object) -> bytes:
    try:
        return base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        raise OracleServiceError(200, "answer holds invalid base64") from None


def parse_certificate(status: int, body: bytes) -> consent_pb2.Certificate:
    """ValidateData's answer as the chain's Certificate (ready for MsgSubmitConsent)."""
    try:
        cert = _json(status, body)["certificate"]
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
    return _bytes(_json(status, body).get("encrypted_secret_key"))


def parse_status(status: int, body: bytes) -> OracleStatus:
    """GetStatus's answer."""
    try:
        d = _json(status, body)
        info = d["enclave_info"]
        return OracleStatus(str(d["oracle_account_address"]), str(d["api"]["listen_addr"]),
                            _bytes(info["product_id"]), str(info["unique_id"]))
    except (KeyError, TypeError):
        raise OracleServiceError(status, "answer is not a status") from None


class OracleClient:
    """Blocking client (httpx); thread-safe."""

    def __init__(self, endpoint: str, *, timeout: float = 30.0) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)

    def _send(self, c: Call) -> tuple[int, bytes]:
        try:
            resp = self._http.request(c.method, self.endpoint + c.path, headers=c.headers, params=c.params,
                                      content=c.body)
        except httpx.HTTPError as e:
            raise OracleServiceError(0, f"cannot reach {self.endpoint}: {type(e).__name__}") from None
        return resp.status_code, resp.content

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

    def close(self) -> None:
        """Close pooled connections."""
        self._http.close()

    def __enter__(self) -> OracleClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class AsyncOracleClient:
    """asyncio twin (aiohttp); use inside one event loop."""

    def __init__(self, endpoint: str, *, timeout: float = 30.0) -> None:
        self.endpoint = endpoint.rstrip("/")
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def _send(self, c: Call) -> tuple[int, bytes]:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        try:
            async with self._session.request(c.method, self.endpoint + c.path, headers=c.headers, params=c.params,
                                             data=c.body, allow_redirects=False) as resp:
                return resp.status, await resp.read()
        except (aiohttp.ClientError, TimeoutError) as e:
            raise OracleServiceError(0, f"cannot reach {self.endpoint}: {type(e).__name__}") from None

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

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> AsyncOracleClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()
