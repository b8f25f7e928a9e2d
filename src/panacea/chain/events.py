"""ABCI events as values; modules append, the app reports them per tx and per block."""

from __future__ import annotations

from typing import Final, final


@final
class Event:
    """One ABCI event: a type and its (key, value) attributes in emission order. An immutable value
    (``Final`` attributes, equality and hash by value); a plain class rather than a dataclass because
    the compiled build runs a hand-written ``__init__`` natively and a dataclass's generated one not."""

    __slots__ = ("attributes", "type")

    def __init__(self, type: str, attributes: tuple[tuple[str, str], ...]) -> None:
        self.type: Final = type
        self.attributes: Final = attributes

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Event) and self.type == other.type and self.attributes == other.attributes

    def __hash__(self) -> int:
        return hash((self.type, self.attributes))

    def __repr__(self) -> str:
        return f"Event(type={self.type!r}, attributes={self.attributes!r})"

    @staticmethod
    def of(type_: str, *attrs: tuple[str, str]) -> Event:
        return Event(type_, tuple(attrs))

    def to_json(self) -> dict[str, object]:
        return {"type": self.type, "attributes": [{"key": k, "value": v} for k, v in self.attributes]}
