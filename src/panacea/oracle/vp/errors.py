"""The one error VP validation raises: the oracle turns it into "failed to validate VP" (§2 step 10)."""

from __future__ import annotations


class VPValidationError(Exception):
    """A presentation or its presentation definition was rejected; the message is one line about the input."""
