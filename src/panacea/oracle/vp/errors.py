"""The one error VP validation raises: the oracle turns it into "failed to validate VP" (§2 step 10)."""

from __future__ import annotations

from panacea.oracle.errors import Category, OracleError


class VPValidationError(OracleError):
    """A presentation or its presentation definition was rejected; the message is one line about the input
    (an :class:`OracleError` of category bad request, so the ValidateData core reports it as is)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, Category.BAD_REQUEST)
