"""ABCI events as values; modules append, the app reports them per tx and per block."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, final


@final
class Event:
    """One ABCI event: a type and its attributes in emission order, kept flat as ``kv = (k1, v1, k2, v2,
    …)`` (one tuple per event: a block builds a dozen events per tx, and each tuple is one more object
    for the allocator and the cyclic collector); ``attributes`` gives the (key, value) pairs.

    An immutable value (``Final`` attributes, equality and hash by value); a plain class rather than a
    dataclass because the compiled build runs a hand-written ``__init__`` natively and a dataclass's
    generated one not."""

    __slots__ = ("kv", "type")

    def __init__(self, type: str, kv: tuple[str, ...]) -> None:
        if len(kv) & 1:
            raise ValueError(f"event {type!r}: attributes must come in key, value pairs")
        self.type: Final = type
        self.kv: Final = kv

    @staticmethod
    def of(type_: str, *attrs: tuple[str, str]) -> Event:
        return Event.from_pairs(type_, attrs)

    @staticmethod
    def from_pairs(type_: str, attrs: Iterable[tuple[str, str]]) -> Event:
        return Event(type_, tuple(x for pair in attrs for x in pair))

    @property
    def attributes(self) -> tuple[tuple[str, str], ...]:
        kv = self.kv
        return tuple(zip(kv[::2], kv[1::2], strict=True))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Event) and self.type == other.type and self.kv == other.kv

    def __hash__(self) -> int:
        return hash((self.type, self.kv))

    def __repr__(self) -> str:
        return f"Event(type={self.type!r}, attributes={self.attributes!r})"

    def to_json(self) -> dict[str, object]:
        return {"type": self.type, "attributes": [{"key": k, "value": v} for k, v in self.attributes]}
