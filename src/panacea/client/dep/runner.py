"""The SDK's flows run as plans (``panacea.client.plan``): chain effects go to the chain client's transport, and
one more effect, ``ServiceCall``, to an oracle or the consumer service. ``SyncServices`` / ``AsyncServices`` are
the two runners; they keep one HTTP client per service endpoint (closed by ``close``), and a storage given at
construction (a client, or a URL) replaces the deal's consumer-service endpoint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, Self, TypeVar, cast

from panacea.client.aio import AsyncChainClient
from panacea.client.dep.errors import DepError, ServiceError
from panacea.client.errors import ChainClientError
from panacea.client.plan import AsyncRunner, Extension, Plan, SyncRunner, sleep
from panacea.client.services.consumer import AsyncConsumerServiceClient, ConsumerServiceClient
from panacea.client.services.http import AsyncTransport, Call, ServiceClientError, SyncTransport
from panacea.client.services.oracle import AsyncOracleClient, OracleClient
from panacea.client.sync import ChainClient

T = TypeVar("T")
Service = Literal["oracle", "storage"]


@dataclass(frozen=True)
class ServiceCall(Extension, Generic[T]):
    """One request to an oracle or the consumer service at ``endpoint``; the plan receives ``parse``'s value."""

    service: Service
    endpoint: str
    call: Call
    parse: Callable[[int, bytes], T]


BUSY_RETRIES = 5  # a busy or rate-limited service is asked again, after 0.2, 0.4, … 3.2 s
BUSY_TEXT = "too many requests in progress"  # the oracle's 503 when a worker is full (before any token is read)


def _busy(e: ServiceClientError) -> bool:
    """Refused before the request was handled (429, or 503 "too many requests in progress"): safe to send again,
    its token unspent. Other 503s (chain or storage down) may come after the token's jti was spent: not retried."""
    return e.status == 429 or (e.status == 503 and e.message.startswith(BUSY_TEXT))


def call_service(step: str, service: Service, endpoint: str, call: Call, parse: Callable[[int, bytes], T]) -> Plan[T]:
    """A service call whose failure is ``ServiceError(step, <the service's message>)``; a busy service is asked
    again a bounded number of times with backoff."""
    for attempt in range(BUSY_RETRIES + 1):
        try:
            result = yield ServiceCall(service, endpoint, call, parse)
        except ServiceClientError as e:
            if _busy(e) and attempt < BUSY_RETRIES:
                yield from sleep(0.2 * 2**attempt)
                continue
            raise ServiceError(step, e.message, endpoint=endpoint, status=e.status, code=e.code) from None
        return cast(T, result)
    raise AssertionError("unreachable")


def chain_read(step: str, plan: Plan[T]) -> Plan[T]:
    """A chain query whose failure is ``DepError(step, <the chain client's message>)``."""
    try:
        return (yield from plan)
    except ChainClientError as e:
        raise DepError(step, str(e)) from None


class _Pool(Generic[T]):
    """Service clients by (service, endpoint); a given client or URL stands in for every storage endpoint."""

    def __init__(self, make: dict[Service, Callable[[str], T]], storage: T | str | None) -> None:
        self._make = make
        self._storage = storage
        self.owned: dict[tuple[Service, str], T] = {}

    def get(self, service: Service, endpoint: str) -> T:
        if service == "storage" and self._storage is not None:
            if not isinstance(self._storage, str):
                return self._storage
            endpoint = self._storage
        key = (service, endpoint.rstrip("/"))
        client = self.owned.get(key)
        if client is None:
            client = self.owned[key] = self._make[service](key[1])
        return client


class SyncServices(SyncRunner):
    """Runs the SDK's plans with blocking I/O: chain effects through the chain client, service calls through httpx."""

    def __init__(self, chain: ChainClient, storage: ConsumerServiceClient | str | None) -> None:
        self._client = chain
        self._pool: _Pool[SyncTransport] = _Pool({"oracle": OracleClient, "storage": ConsumerServiceClient}, storage)

    def _sync_transport(self) -> ChainClient:
        return self._client

    def _perform(self, effect: Extension) -> Any:
        if not isinstance(effect, ServiceCall):
            return super()._perform(effect)
        return effect.parse(*self._pool.get(effect.service, effect.endpoint)._send(effect.call))

    def close(self) -> None:
        """Close the service clients this object opened (not the chain client, nor a storage client given to it)."""
        for client in self._pool.owned.values():
            client.close()
        self._pool.owned.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class AsyncServices(AsyncRunner):
    """Runs the SDK's plans with asyncio: chain effects through the chain client, service calls through aiohttp."""

    def __init__(self, chain: AsyncChainClient, storage: AsyncConsumerServiceClient | str | None) -> None:
        self._client = chain
        self._pool: _Pool[AsyncTransport] = _Pool({"oracle": AsyncOracleClient, "storage": AsyncConsumerServiceClient},
                                                  storage)

    def _async_transport(self) -> AsyncChainClient:
        return self._client

    async def _perform(self, effect: Extension) -> Any:
        if not isinstance(effect, ServiceCall):
            return await super()._perform(effect)
        return effect.parse(*(await self._pool.get(effect.service, effect.endpoint)._send(effect.call)))

    async def close(self) -> None:
        """Close the service clients this object opened (not the chain client, nor a storage client given to it)."""
        for client in self._pool.owned.values():
            await client.close()
        self._pool.owned.clear()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()
