"""What the service clients share: requests built without I/O, one error type per service, the answer checks,
and the two transports (httpx for blocking callers; aiohttp under asyncio — httpx's AsyncClient is slow under
concurrency, see spec/dependencies.md §6). No redirects are followed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import aiohttp
import httpx


class ServiceClientError(Exception):
    """A service answered with an error (``status`` and its ``message``) or could not be reached (status 0)."""

    SERVICE: ClassVar[str] = "service"

    def __init__(self, status: int, message: str, code: int | None = None) -> None:
        super().__init__(f"{self.SERVICE}: {message} (HTTP {status})" if status else f"{self.SERVICE}: {message}")
        self.status = status
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Call:
    """One HTTP request, built without I/O; ``path`` is below the service's endpoint."""

    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, str]
    body: bytes | None = None


def bearer(jwt: str) -> dict[str, str]:
    """The Authorization header of a call made with ``jwt``."""
    return {"Authorization": f"Bearer {jwt}"}


def check(status: int, body: bytes, error: type[ServiceClientError]) -> None:
    """Raise ``error`` with the service's message unless the answer is a 200."""
    if status == 200:
        return
    try:
        doc = json.loads(body)
        message, code = str(doc["message"]), doc.get("code")
    except (ValueError, KeyError, TypeError):
        message, code = body[:200].decode("utf-8", "replace") or f"HTTP {status}", None
    raise error(status, message, code if isinstance(code, int) else None)


def answer_json(status: int, body: bytes, error: type[ServiceClientError]) -> dict[str, Any]:
    """A 200 answer's JSON object (``error`` otherwise)."""
    check(status, body, error)
    try:
        doc = json.loads(body)
    except ValueError:
        raise error(status, "answer is not JSON") from None
    if not isinstance(doc, dict):
        raise error(status, "answer is not a JSON object")
    return doc


class SyncTransport:
    """Blocking transport (httpx, pooled, thread-safe)."""

    ERROR: ClassVar[type[ServiceClientError]] = ServiceClientError

    def __init__(self, endpoint: str, *, timeout: float = 10.0) -> None:
        self.endpoint = endpoint.rstrip("/")  # REF §2.6: a trailing slash made the reference oracle send //v0
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)

    def _send(self, c: Call) -> tuple[int, bytes]:
        try:
            resp = self._http.request(c.method, self.endpoint + c.path, headers=c.headers, params=c.params,
                                      content=c.body)
        except httpx.HTTPError as e:
            raise self.ERROR(0, f"cannot reach {self.endpoint}: {type(e).__name__}") from None
        return resp.status_code, resp.content

    def close(self) -> None:
        """Close pooled connections."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class AsyncTransport:
    """asyncio transport (aiohttp); use inside one event loop."""

    ERROR: ClassVar[type[ServiceClientError]] = ServiceClientError

    def __init__(self, endpoint: str, *, timeout: float = 10.0) -> None:
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
            raise self.ERROR(0, f"cannot reach {self.endpoint}: {type(e).__name__}") from None

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()
