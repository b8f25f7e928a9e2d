"""The consumer-service upload (oracle-reference §2.6): ``POST {endpoint}/v0/deals/{id}/data/{hash}`` with the
AES container as the body and an ES256K JWT signed by the shared oracle key (iss = the oracle account).

Departures (docs/decisions.md): a trailing ``/`` on the endpoint does not give ``//v0``; every request goes
through the SSRF guard; transient failures (connection, timeout, 5xx, 408, 429) are retried with exponential
backoff until ``[consumer] upload-deadline``, then one clear error; each token carries a fresh ``jti``.
The upload is idempotent on the consumer side (same deal + hash → the same object).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable

from panacea.oracle.enclave import EnclaveKey
from panacea.oracle.errors import Category, OracleError
from panacea.oracle.ssrf import GuardedHttp, SsrfError

UPLOAD_ERROR = "failed to add data to consumer service"
TOKEN_LIFETIME_NS = 10 * 1_000_000_000  # exp = now + 10 s, as the reference
_RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
_FIRST_BACKOFF = 0.1
_MAX_BACKOFF = 2.0


def upload_url(endpoint: str, deal_id: int, data_hash: str) -> str:
    """The consumer-service URL for one object (the request's data_hash string, §2 step 12)."""
    return f"{endpoint.rstrip('/')}/v0/deals/{deal_id}/data/{data_hash}"


class ConsumerUploader:
    """Uploader over the SSRF-guarded HTTP client, retried within a bounded time."""

    def __init__(self, http: GuardedHttp, key: EnclaveKey, oracle_address: str, *, timeout: float,
                 deadline: float, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._http = http
        self._key = key
        self._issuer = oracle_address
        self._timeout = timeout
        self._deadline = deadline
        self._sleep = sleep

    async def _attempt(self, url: str, ciphertext: bytes) -> tuple[bool, str]:
        token = self._key.issue_jwt(self._issuer, TOKEN_LIFETIME_NS, jti=secrets.token_hex(16))
        try:
            resp = await self._http.post(url, ciphertext, headers={"Authorization": f"Bearer {token}"},
                                         timeout=self._timeout)
        except SsrfError as e:
            if not e.retryable:
                raise OracleError(f"{UPLOAD_ERROR}: {e.message}", Category.BAD_GATEWAY) from None
            return True, e.message
        if resp.status == 200:
            return False, ""
        reason = f"request failed with status code {resp.status}"
        if resp.status not in _RETRY_STATUSES:
            raise OracleError(f"{UPLOAD_ERROR}: {reason}", Category.BAD_GATEWAY)
        return True, reason

    async def upload(self, endpoint: str, deal_id: int, data_hash: str, ciphertext: bytes) -> None:
        """POST until a 200, a permanent failure, or the deadline; OracleError(BAD_GATEWAY) unless stored."""
        url = upload_url(endpoint, deal_id, data_hash)
        loop = asyncio.get_running_loop()
        give_up = loop.time() + self._deadline
        backoff = _FIRST_BACKOFF
        attempts = 0
        while True:
            attempts += 1
            retry, reason = await self._attempt(url, ciphertext)
            if not retry:
                return
            if loop.time() + backoff >= give_up:
                raise OracleError(f"{UPLOAD_ERROR}: {reason} (gave up after {attempts} attempts)",
                                  Category.BAD_GATEWAY)
            await self._sleep(backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF)
