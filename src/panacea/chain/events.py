"""ABCI events as values; modules append, the app reports them per tx and per block."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """One ABCI event: a type and its (key, value) attributes in emission order."""

    type: str
    attributes: tuple[tuple[str, str], ...]

    @staticmethod
    def of(type_: str, *attrs: tuple[str, str]) -> Event:
        return Event(type_, tuple(attrs))

    def to_json(self) -> dict[str, object]:
        return {"type": self.type, "attributes": [{"key": k, "value": v} for k, v in self.attributes]}
