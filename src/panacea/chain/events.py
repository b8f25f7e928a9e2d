"""ABCI events for the state machine: the wire value lives in :mod:`panacea.types.events` (the client shares it)."""

from __future__ import annotations

from typing import Final

from panacea.types.events import Event

MESSAGE: Final = "message"


def module_message(module: str, sender: str = "") -> Event:
    """The ``message{module=…}`` event a msg server emits after its keeper call; gov adds ``sender``.
    An immutable value: modules build theirs once where the attributes are fixed."""
    return Event(MESSAGE, ("module", module, "sender", sender) if sender else ("module", module))


__all__ = ["MESSAGE", "Event", "module_message"]
