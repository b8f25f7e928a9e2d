"""Client of the consumer service (``consumerd``): sync (httpx) and async (aiohttp) over one no-I/O core.

Each call takes the bearer JWT: an oracle signs uploads with the shared oracle key, a consumer signs reads with
its account key (``panacea.crypto.jwt.issue`` with a fresh ``jti`` per request under the secure profile).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiohttp
import httpx


class ConsumerServiceError(Exception):
    """The service answered with an error (``status`` and its ``message``) or could not be reached (status 0)."""

    def __init__(self, status: int, message: str, code: int | None = None) -> None:
        super().__init__(f"consumer service: {message} (HTTP {status})" if status else f"consumer service: {message}")
        self.status = status
        self.message = message
        self.code = code


@dataclass(frozen=True)
class StoredData:
    """The answer to an upload: ``created`` is False when the same bytes were stored already."""

    deal_id: int
    data_hash: str
    size: int
    created: bool


@dataclass(frozen=True)
class DataInfo:
    """One listed object."""

    data_hash: str
    size: int


@dataclass(frozen=True)
class DataPage:
    """A page of a deal's data; pass ``next_after`` as ``after`` for the next one ("" after the last page)."""

    deal_id: int
    data: tuple[DataInfo, ...]
    next_after: str


@dataclass(frozen=True)
class Request:
    """One HTTP request, built without I/O."""

    method: str
    url: str
    headers: dict[str, str]
    params: dict[str, str]
    body: bytes | None = None


class ConsumerServiceBase:
    """Builds requests and reads answers; the transports only move bytes."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint.rstrip("/")  # REF §2.6: a trailing slash made the reference oracle send //v0

    def _data_url(self, deal_id: int, data_hash: str = "") -> str:
        return f"{self.endpoint}/v0/deals/{deal_id}/data" + (f"/{data_hash}" if data_hash else "")

    def _upload(self, deal_id: int, data_hash: str, ciphertext: bytes, jwt: str) -> Request:
        return Request("POST", self._data_url(deal_id, data_hash), _auth(jwt), {}, ciphertext)

    def _list(self, deal_id: int, jwt: str, limit: int | None, after: str) -> Request:
        params = {k: v for k, v in (("limit", "" if limit is None else str(limit)), ("after", after)) if v}
        return Request("GET", self._data_url(deal_id), _auth(jwt), params)

    def _get(self, deal_id: int, data_hash: str, jwt: str) -> Request:
        return Request("GET", self._data_url(deal_id, data_hash), _auth(jwt), {})


def _auth(jwt: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {jwt}"}


def _check(status: int, body: bytes) -> None:
    if status == 200:
        return
    try:
        doc = json.loads(body)
        message, code = str(doc["message"]), doc.get("code")
    except (ValueError, KeyError, TypeError):
        message, code = body[:200].decode("utf-8", "replace") or f"HTTP {status}", None
    raise ConsumerServiceError(status, message, code if isinstance(code, int) else None)


def _json(status: int, body: bytes) -> dict[str, Any]:
    _check(status, body)
    try:
        doc = json.loads(body)
    except ValueError:
        raise ConsumerServiceError(status, "answer is not JSON") from None
    if not isinstance(doc, dict):
        raise ConsumerServiceError(status, "answer is not a JSON object")
    return doc


def parse_stored(status: int, body: bytes) -> StoredData:
    """The upload answer."""
    d = _json(status, body)
    return StoredData(int(d["deal_id"]), str(d["data_hash"]), int(d["size"]), bool(d["created"]))


def parse_page(status: int, body: bytes) -> DataPage:
    """The listing answer."""
    d = _json(status, body)
    items = tuple(DataInfo(str(i["data_hash"]), int(i["size"])) for i in d["data"])
    return DataPage(int(d["deal_id"]), items, str(d["next_after"]))


def parse_data(status: int, body: bytes) -> bytes:
    """The fetched ciphertext."""
    _check(status, body)
    return body


class ConsumerServiceClient(ConsumerServiceBase):
    """Blocking client (httpx); thread-safe."""

    def __init__(self, endpoint: str, *, timeout: float = 10.0) -> None:
        super().__init__(endpoint)
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)

    def _send(self, r: Request) -> tuple[int, bytes]:
        try:
            resp = self._http.request(r.method, r.url, headers=r.headers, params=r.params, content=r.body)
        except httpx.HTTPError as e:
            raise ConsumerServiceError(0, f"cannot reach {self.endpoint}: {type(e).__name__}") from None
        return resp.status_code, resp.content

    def upload(self, deal_id: int, data_hash: str, ciphertext: bytes, jwt: str) -> StoredData:
        """Store a ciphertext for a deal (the oracle's step of §2.6); idempotent for the same bytes."""
        return parse_stored(*self._send(self._upload(deal_id, data_hash, ciphertext, jwt)))

    def list(self, deal_id: int, jwt: str, *, limit: int | None = None, after: str = "") -> DataPage:
        """One page of the deal's stored data (the deal's consumer only)."""
        return parse_page(*self._send(self._list(deal_id, jwt, limit, after)))

    def get(self, deal_id: int, data_hash: str, jwt: str) -> bytes:
        """The ciphertext stored for ``data_hash`` (the deal's consumer only)."""
        return parse_data(*self._send(self._get(deal_id, data_hash, jwt)))

    def close(self) -> None:
        """Close pooled connections."""
        self._http.close()

    def __enter__(self) -> ConsumerServiceClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class AsyncConsumerServiceClient(ConsumerServiceBase):
    """asyncio twin (aiohttp: fast under concurrency, unlike httpx's AsyncClient); use inside one event loop."""

    def __init__(self, endpoint: str, *, timeout: float = 10.0) -> None:
        super().__init__(endpoint)
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def _send(self, r: Request) -> tuple[int, bytes]:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        try:
            async with self._session.request(r.method, r.url, headers=r.headers, params=r.params, data=r.body,
                                             allow_redirects=False) as resp:
                return resp.status, await resp.read()
        except (aiohttp.ClientError, TimeoutError) as e:
            raise ConsumerServiceError(0, f"cannot reach {self.endpoint}: {type(e).__name__}") from None

    async def upload(self, deal_id: int, data_hash: str, ciphertext: bytes, jwt: str) -> StoredData:
        """Store a ciphertext for a deal (the oracle's step of §2.6); idempotent for the same bytes."""
        return parse_stored(*(await self._send(self._upload(deal_id, data_hash, ciphertext, jwt))))

    async def list(self, deal_id: int, jwt: str, *, limit: int | None = None, after: str = "") -> DataPage:
        """One page of the deal's stored data (the deal's consumer only)."""
        return parse_page(*(await self._send(self._list(deal_id, jwt, limit, after))))

    async def get(self, deal_id: int, data_hash: str, jwt: str) -> bytes:
        """The ciphertext stored for ``data_hash`` (the deal's consumer only)."""
        return parse_data(*(await self._send(self._get(deal_id, data_hash, jwt))))

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> AsyncConsumerServiceClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()
