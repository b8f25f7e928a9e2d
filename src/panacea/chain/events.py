"""ABCI events for the state machine: the wire value lives in :mod:`panacea.types.events` (the client shares it)."""

from __future__ import annotations

from panacea.types.events import Event

__all__ = ["Event"]
