"""Client of the consumer service (``consumerd``): sync (httpx) and async (aiohttp) over one no-I/O core.

Each call takes the bearer JWT: an oracle signs uploads with the shared oracle key, a consumer signs reads with
its account key (``panacea.crypto.jwt.issue`` with a fresh ``jti`` per request under the secure profile).
"""

from __future__ import annotations

from dataclasses import dataclass

from panacea.client.services.http import (
    AsyncTransport,
    Call,
    ServiceClientError,
    SyncTransport,
    answer_json,
    bearer,
    check,
)


class ConsumerServiceError(ServiceClientError):
    """The consumer service answered with an error (``status``, ``message``) or could not be reached (status 0)."""

    SERVICE = "consumer service"


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


def _data_path(deal_id: int, data_hash: str = "") -> str:
    return f"/v0/deals/{deal_id}/data" + (f"/{data_hash}" if data_hash else "")


def upload_call(deal_id: int, data_hash: str, ciphertext: bytes, jwt: str) -> Call:
    """The upload's request."""
    return Call("POST", _data_path(deal_id, data_hash), bearer(jwt), {}, ciphertext)


def list_call(deal_id: int, jwt: str, limit: int | None, after: str) -> Call:
    """The listing's request."""
    params = {k: v for k, v in (("limit", "" if limit is None else str(limit)), ("after", after)) if v}
    return Call("GET", _data_path(deal_id), bearer(jwt), params)

def get_call(deal_id: int, data_hash: str, jwt: str) -> Call:
    """The fetch's request."""
    return Call("GET", _data_path(deal_id, data_hash), bearer(jwt), {})



def parse_stored(status: int, body: bytes) -> StoredData:
    """The upload answer."""
    d = answer_json(status, body, ConsumerServiceError)
    return StoredData(int(d["deal_id"]), str(d["data_hash"]), int(d["size"]), bool(d["created"]))


def parse_page(status: int, body: bytes) -> DataPage:
    """The listing answer."""
    d = answer_json(status, body, ConsumerServiceError)
    items = tuple(DataInfo(str(i["data_hash"]), int(i["size"])) for i in d["data"])
    return DataPage(int(d["deal_id"]), items, str(d["next_after"]))


def parse_data(status: int, body: bytes) -> bytes:
    """The fetched ciphertext."""
    check(status, body, ConsumerServiceError)
    return body


class ConsumerServiceClient(SyncTransport):
    """Blocking client (httpx); thread-safe."""

    ERROR = ConsumerServiceError

    def upload(self, deal_id: int, data_hash: str, ciphertext: bytes, jwt: str) -> StoredData:
        """Store a ciphertext for a deal (the oracle's step of §2.6); idempotent for the same bytes."""
        return parse_stored(*self._send(upload_call(deal_id, data_hash, ciphertext, jwt)))

    def list(self, deal_id: int, jwt: str, *, limit: int | None = None, after: str = "") -> DataPage:
        """One page of the deal's stored data (the deal's consumer only)."""
        return parse_page(*self._send(list_call(deal_id, jwt, limit, after)))

    def get(self, deal_id: int, data_hash: str, jwt: str) -> bytes:
        """The ciphertext stored for ``data_hash`` (the deal's consumer only)."""
        return parse_data(*self._send(get_call(deal_id, data_hash, jwt)))


class AsyncConsumerServiceClient(AsyncTransport):
    """asyncio twin (aiohttp: fast under concurrency, unlike httpx's AsyncClient); use inside one event loop."""

    ERROR = ConsumerServiceError

    async def upload(self, deal_id: int, data_hash: str, ciphertext: bytes, jwt: str) -> StoredData:
        """Store a ciphertext for a deal (the oracle's step of §2.6); idempotent for the same bytes."""
        return parse_stored(*(await self._send(upload_call(deal_id, data_hash, ciphertext, jwt))))

    async def list(self, deal_id: int, jwt: str, *, limit: int | None = None, after: str = "") -> DataPage:
        """One page of the deal's stored data (the deal's consumer only)."""
        return parse_page(*(await self._send(list_call(deal_id, jwt, limit, after))))

    async def get(self, deal_id: int, data_hash: str, jwt: str) -> bytes:
        """The ciphertext stored for ``data_hash`` (the deal's consumer only)."""
        return parse_data(*(await self._send(get_call(deal_id, data_hash, jwt))))
