"""The validator the oracle's ValidateData step 10 calls (oracle-reference §2 step 10, §2.5)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from panacea.oracle.vp.definition import compile_definition
from panacea.oracle.vp.dids import DIDResolver, MethodResolver
from panacea.oracle.vp.matching import match_definition
from panacea.oracle.vp.presentation import verify_presentation


class PresentationValidator(Protocol):
    """Raises VPValidationError when ``vp_bytes`` is no valid presentation for the definition."""

    async def validate(self, vp_bytes: bytes, presentation_definition: bytes) -> None: ...


class DefaultPresentationValidator:
    """Definition first (cheap), then every proof, then the constraints; ``clock`` gives Unix seconds."""

    def __init__(self, resolver: DIDResolver | None = None, *, clock: Callable[[], float] = time.time) -> None:
        self._resolver: DIDResolver = resolver if resolver is not None else MethodResolver()
        self._clock = clock

    async def validate(self, vp_bytes: bytes, presentation_definition: bytes) -> None:
        """Accept ``vp_bytes`` only if it is a verified presentation meeting ``presentation_definition``."""
        definition = compile_definition(presentation_definition)
        presentation = await verify_presentation(vp_bytes, self._resolver, self._clock())
        match_definition(definition, presentation)
