"""What the SDK raises: one ``DepError`` whose text is ``"<step>: <why>"``, with a subclass per kind of failure.

The step names the DEP step that failed in the user's words ("create deal", "validate", "check certificate",
"submit consent", "fetch", "get secret key", "decrypt", "verify hash", …); the reason keeps the chain's or the
service's own text (e.g. the oracle's "failed to validate data: …").
"""

from __future__ import annotations


class DepError(Exception):
    """A DEP step failed: ``step`` says which, ``message`` why; ``str()`` is ``"<step>: <message>"``."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"{step}: {message}")
        self.step = step
        self.message = message


class ServiceError(DepError):
    """An oracle or the consumer service refused (``status`` its HTTP status, 0 when unreachable; ``code`` the
    gRPC code of its JSON error) — ``message`` is the service's own text."""

    def __init__(self, step: str, message: str, *, endpoint: str, status: int, code: int | None = None) -> None:
        super().__init__(step, message)
        self.endpoint = endpoint
        self.status = status
        self.code = code


class TxError(DepError):
    """A transaction was refused (simulation, CheckTx) or failed in its block; ``message`` is the chain's log."""

    def __init__(self, step: str, message: str, *, code: int = 0, codespace: str = "", tx_hash: str = "") -> None:
        super().__init__(step, message)
        self.code = code
        self.codespace = codespace
        self.tx_hash = tx_hash


class CertificateError(DepError):
    """The oracle's certificate does not hold what was asked, or its signature does not verify with the chain's
    oracle public key; nothing was submitted."""


class IntegrityError(DepError):
    """Delivered data does not decrypt, or is not the data the consent certified (its hash differs)."""
