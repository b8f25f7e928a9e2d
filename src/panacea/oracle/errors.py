"""Errors of the oracle cores: the reference message text (oracle-reference §2, §3) plus a category the HTTP
layer maps to a status in one place (issue 11: 400/401/403/404/409/413/502/503).

Messages are about the input only: never an exception name, a path, a URL or key material.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """What kind of failure this is; the HTTP layer owns the mapping to a status code."""

    BAD_REQUEST = "bad_request"  # 400: the request itself is wrong (shape, hash, schema, VP)
    UNAUTHORIZED = "unauthorized"  # 401: no or bad credentials
    FORBIDDEN = "forbidden"  # 403: authenticated, but not the party allowed to ask
    NOT_FOUND = "not_found"  # 404: deal, consent or account does not exist on chain
    CONFLICT = "conflict"  # 409: the deal is not ACTIVE
    BAD_GATEWAY = "bad_gateway"  # 502: the consumer service (or a schema host) failed
    UNAVAILABLE = "unavailable"  # 503: the chain node cannot be reached
    INTERNAL = "internal"  # 500: the oracle itself is broken (no key, bad config); never input-dependent


HTTP_STATUS: dict[Category, int] = {
    Category.BAD_REQUEST: 400,
    Category.UNAUTHORIZED: 401,
    Category.FORBIDDEN: 403,
    Category.NOT_FOUND: 404,
    Category.CONFLICT: 409,
    Category.BAD_GATEWAY: 502,
    Category.UNAVAILABLE: 503,
    Category.INTERNAL: 500,
}


class OracleError(Exception):
    """A failure of an oracle operation: one line of text for the caller and its category."""

    def __init__(self, message: str, category: Category = Category.BAD_REQUEST) -> None:
        super().__init__(message)
        self.message = message
        self.category = category

    @property
    def status(self) -> int:
        """The HTTP status the category maps to (the table above is the one mapping)."""
        return HTTP_STATUS[self.category]

    def wrap(self, prefix: str) -> OracleError:
        """The same error with the reference's ``"<prefix> <detail>"`` form, category kept."""
        return OracleError(f"{prefix}{self.message}", self.category)


class ConfigError(OracleError):
    """config.toml (or another home file) holds a bad value; the message names the key."""

    def __init__(self, message: str) -> None:
        super().__init__(message, Category.INTERNAL)


class EnclaveError(OracleError):
    """Sealing, unsealing, attestation or a key operation failed (never says why in terms of key bytes)."""

    def __init__(self, message: str, category: Category = Category.INTERNAL) -> None:
        super().__init__(message, category)


MISSING_AUTH = "failed to get request address. missing authorization header"


def require_caller(caller: str | None) -> str:
    """The authenticated address, or the reference's error when the request carried no valid bearer token."""
    if not caller:
        raise OracleError(MISSING_AUTH, Category.UNAUTHORIZED)
    return caller
