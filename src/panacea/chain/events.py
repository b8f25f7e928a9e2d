"""ABCI events as values; modules append, the app reports them per tx and per block."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, init=False)
class Event:
    """A frozen dataclass (equality, hash, repr, orjson and ``dataclasses`` helpers as usual) with a
    hand-written ``__init__``: a tx builds a dozen of these, and the generated frozen ``__init__`` (one
    ``object.__setattr__`` per field) costs about twice as much as filling ``__dict__`` directly."""

    type: str
    attributes: tuple[tuple[str, str], ...]

    def __init__(self, type: str, attributes: tuple[tuple[str, str], ...]) -> None:
        d = self.__dict__
        d["type"] = type
        d["attributes"] = attributes

    @staticmethod
    def of(type_: str, *attrs: tuple[str, str]) -> Event:
        return Event(type_, tuple(attrs))

    def to_json(self) -> dict[str, object]:
        return {"type": self.type, "attributes": [{"key": k, "value": v} for k, v in self.attributes]}
