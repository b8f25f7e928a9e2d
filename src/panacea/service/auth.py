"""ES256K JWT auth of the DEP services (oracle-reference §1.7, §7) with the secure profile of issue 11.

Two ways to find the verifying key: the issuer's on-chain account public key (§1.7: the oracle's callers and
the consumer service's readers) and the chain's shared ``oracle_public_key`` (§7: uploads to the consumer
service). The secure profile (default) requires ``exp``, bounds the lifetime, requires a ``jti`` and rejects
it again within its lifetime in every worker and after restarts (:class:`panacea.service.store.Store`);
``legacy`` accepts reference tokens (no jti, any lifetime). In both, a present ``aud`` must name this service.
Departure: the reference checks none of these (§1.7 "What is not checked"); failures are HTTP 401 with the
reference texts followed by ". <detail>", and a chain that cannot be reached is a 503.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Protocol

from panacea.client import ChainClientError, NotFoundError
from panacea.crypto import jwt
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PublicKey
from panacea.service.errors import ServiceError
from panacea.service.store import MAX_JTI_BYTES, Store, StoreFullError
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2

DEFAULT_MAX_LIFETIME: Final = 300
MISSING_HEADER: Final = "missing authorization header"
INVALID_BEARER: Final = "invalid bearer token"
ACCOUNT_PUBKEY: Final = "cannot query account pubkey"
ORACLE_PUBKEY: Final = "cannot query oracle pubkey"
VERIFY_FAILED: Final = "jwt signature verification failed"
REPLAYED: Final = "jwt replay rejected. jti already used"
CHAIN_UNREACHABLE: Final = "chain unreachable"


@dataclass(frozen=True)
class JwtPolicy:
    """How strictly tokens are checked; ``audience`` is this service's own identity (its account address)."""

    legacy: bool = False
    max_lifetime_seconds: int = DEFAULT_MAX_LIFETIME
    audience: str = ""


@dataclass(frozen=True)
class Caller:
    """Who a verified token speaks for: ``issuer`` is its ``iss`` ("" when an oracle-key token has none)."""

    issuer: str
    claims: dict[str, object] = field(default_factory=dict)


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer <jwt>`` header (§7 steps 1–2; the scheme case-insensitive)."""
    if header is None or not header.strip():
        raise ServiceError(401, MISSING_HEADER)
    parts = header.split(" ")
    if len(parts) != 2 or parts[0].lower() != "bearer" or not parts[1]:
        raise ServiceError(401, INVALID_BEARER)
    return parts[1]


class ChainKeys(Protocol):
    """Where JwtAuth reads keys: :class:`panacea.service.chain.ChainView`, or the oracle's verified reads.
    Failures are the client's: NotFoundError for a missing account, another ChainClientError otherwise."""

    async def account_pubkey(self, address: str) -> bytes | None:
        """The account's compressed public key, None before its first tx."""
        ...

    async def oracle_params(self) -> genesis_pb2.Params:
        """The oracle module's params (the shared oracle public key)."""
        ...


class JwtAuth:
    """Verifies bearer tokens for one service process: keys from the chain, jtis in the shared store."""

    def __init__(self, chain: ChainKeys, store: Store, policy: JwtPolicy,
                 clock: Callable[[], float] = time.time) -> None:
        self.chain = chain
        self.store = store
        self.policy = policy
        self._clock = clock

    async def account_caller(self, authorization: str | None) -> Caller:
        """§1.7: the caller is ``iss``, proven by a signature of its on-chain account key."""
        token = bearer_token(authorization)
        try:
            claims = jwt.unverified_claims(token)
        except CryptoError as e:
            raise ServiceError(401, str(e)) from None  # "invalid bearer token. <err>"
        issuer = claims.get("iss")
        if not isinstance(issuer, str) or not issuer:
            raise ServiceError(401, f"{INVALID_BEARER}. iss claim is missing")
        try:
            raw = await self.chain.account_pubkey(issuer)
        except NotFoundError as e:
            raise ServiceError(401, f"{ACCOUNT_PUBKEY}. failed to query account: {e}") from None
        except ChainClientError:
            raise ServiceError(503, f"{ACCOUNT_PUBKEY}. failed to query account: {CHAIN_UNREACHABLE}") from None
        if raw is None:
            raise ServiceError(401, f"{ACCOUNT_PUBKEY}. no pubkey registered to the account yet")
        try:
            key = PublicKey.from_bytes(raw)
        except CryptoError:
            raise ServiceError(401, f"{ACCOUNT_PUBKEY}. failed to parse account pubkey") from None
        return self.verified(token, key, issuer)

    async def oracle_caller(self, authorization: str | None) -> Caller:
        """§7: any holder of the shared oracle key (the chain's ``oracle_public_key``); ``iss`` is not checked."""
        token = bearer_token(authorization)
        try:
            claims = jwt.unverified_claims(token)
        except CryptoError as e:
            raise ServiceError(401, "invalid jwt. " + str(e).removeprefix(f"{INVALID_BEARER}. ")) from None
        try:
            encoded = (await self.chain.oracle_params()).oracle_public_key
        except ChainClientError:
            raise ServiceError(503, f"{ORACLE_PUBKEY}. {CHAIN_UNREACHABLE}") from None
        try:
            key = PublicKey.from_base64(encoded)
        except CryptoError:
            raise ServiceError(503, f"{ORACLE_PUBKEY}. the chain has no valid oracle public key") from None
        issuer = claims.get("iss")
        return self.verified(token, key, issuer if isinstance(issuer, str) else "")

    def verified(self, token: str, key: PublicKey, issuer: str) -> Caller:
        """Signature, time claims, the secure profile and the replay check of a token ``key`` must have signed."""
        now = int(self._clock())
        try:
            claims = jwt.verify(token, key, now=now)
        except CryptoError as e:
            raise ServiceError(401, f"{VERIFY_FAILED}. {e}") from None
        self._check_audience(claims)
        exp = _int_claim(claims, "exp")
        jti = claims.get("jti")
        if not self.policy.legacy:
            if exp is None:
                raise ServiceError(401, f"{VERIFY_FAILED}. exp claim is required")
            start = _int_claim(claims, "iat") or _int_claim(claims, "nbf") or now
            limit = self.policy.max_lifetime_seconds
            if exp - min(start, now) > limit:
                raise ServiceError(401, f"{VERIFY_FAILED}. token lifetime exceeds {limit}s")
            if jti is None:
                raise ServiceError(401, f"{VERIFY_FAILED}. jti claim is required")
        if jti is not None:
            self._claim(issuer, jti, exp if exp is not None else now + self.policy.max_lifetime_seconds, now)
        return Caller(issuer, claims)

    def _check_audience(self, claims: dict[str, object]) -> None:
        if "aud" not in claims:
            return
        aud = claims["aud"]
        audiences = aud if isinstance(aud, list) else [aud]
        if not self.policy.audience or self.policy.audience not in audiences:
            raise ServiceError(401, f"{VERIFY_FAILED}. aud not satisfied")

    def _claim(self, issuer: str, jti: object, expires_at: int, now: int) -> None:
        if not isinstance(jti, str) or not jti or len(jti.encode()) > MAX_JTI_BYTES:
            raise ServiceError(401, f"{VERIFY_FAILED}. invalid jti claim")
        try:
            fresh = self.store.claim_jti(issuer, jti, expires_at, now)
        except StoreFullError:
            raise ServiceError(503, "replay cache is full") from None
        if not fresh:
            raise ServiceError(401, REPLAYED)


def _int_claim(claims: dict[str, object], name: str) -> int | None:
    value = claims.get(name)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
