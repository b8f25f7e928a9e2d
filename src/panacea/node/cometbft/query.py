"""CometBFT's event query language (libs/pubsub/query/syntax): conditions joined by AND.

``tag op operand`` with op one of ``= < <= > >= CONTAINS``, or ``tag EXISTS``; operands are 'strings',
numbers (no sign), ``DATE yyyy-mm-dd`` or ``TIME <RFC 3339>``. Subscriptions match the flattened
``"<type>.<key>" -> [values]`` map (any value may match a condition); the tx index matches conditions on
the same event type within one event (spec/cometbft.md §5).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from panacea.types.cometbft.encoding import parse_time
from panacea.types.events import Event

MAX_QUERY_LENGTH = 512
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'[^']*')|(?P<op><=|>=|=|<|>)|(?P<num>\d+(?:\.\d+)?(?![\w.:-]))|(?P<word>[^\s'=<>]+))"
)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")


class QueryError(ValueError):
    """The query does not parse."""


@dataclass(frozen=True)
class Condition:
    tag: str
    op: str  # "=", "<", "<=", ">", ">=", "CONTAINS", "EXISTS"
    kind: str  # "str", "num", "date", "time", "" (EXISTS)
    text: str = ""
    number: Decimal = Decimal(0)

    def match_value(self, value: str) -> bool:
        if self.op == "EXISTS":
            return True
        if self.kind == "str":
            return value == self.text if self.op == "=" else self.text in value
        got: Decimal | int
        want: Decimal | int
        try:
            if self.kind == "num":
                if not _NUMBER.match(value.strip()):
                    return False
                got, want = Decimal(value.strip()), self.number
            elif self.kind == "date":
                got, want = date.fromisoformat(value[:10]).toordinal(), int(self.number)
            else:
                got, want = parse_time(value), int(self.number)
        except (ValueError, InvalidOperation):
            return False
        return {
            "=": got == want,
            "<": got < want,
            "<=": got <= want,
            ">": got > want,
            ">=": got >= want,
        }[self.op]

    def matches(self, values: Sequence[str] | None) -> bool:
        if values is None:
            return False
        return any(self.match_value(v) for v in values)


@dataclass(frozen=True)
class Query:
    text: str
    conditions: tuple[Condition, ...]

    def matches(self, events: Mapping[str, Sequence[str]]) -> bool:
        """Pubsub semantics: each condition holds for some value of its tag."""
        return all(c.matches(events.get(c.tag)) for c in self.conditions)

    def matches_tx(self, events: Sequence[Event], special: Mapping[str, Sequence[str]]) -> bool:
        """Tx-index semantics: ``special`` tags (tx.hash, tx.height) directly; the conditions on one event type
        must all hold within a single event of that type."""
        groups: dict[str, list[Condition]] = {}
        for c in self.conditions:
            if c.tag in special:
                if not c.matches(special[c.tag]):
                    return False
                continue
            event_type, _, _ = c.tag.rpartition(".")
            groups.setdefault(event_type, []).append(c)
        return all(any(_event_matches(e, event_type, conds) for e in events) for event_type, conds in groups.items())


def _event_matches(event: Event, event_type: str, conds: list[Condition]) -> bool:
    if event.type != event_type:
        return False
    attrs: dict[str, list[str]] = {}
    for k, v in event.attributes:
        attrs.setdefault(k, []).append(v)
    return all(c.matches(attrs.get(c.tag[len(event_type) + 1 :])) for c in conds)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise QueryError(f"invalid query {text!r}: unexpected character at offset {pos}")
        kind = m.lastgroup or ""
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def parse_query(text: str) -> Query:
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query is too long (max {MAX_QUERY_LENGTH} characters)")
    toks = _tokens(text)
    if not toks:
        raise QueryError("empty query")
    conditions: list[Condition] = []
    i = 0

    def take() -> tuple[str, str]:
        nonlocal i
        if i >= len(toks):
            raise QueryError(f"invalid query {text!r}: unexpected end")
        tok = toks[i]
        i += 1
        return tok

    while True:
        kind, tag = take()
        if kind != "word" or tag.upper() in ("AND", "EXISTS", "CONTAINS"):
            raise QueryError(f"invalid query {text!r}: expected a tag, got {tag!r}")
        kind, op = take()
        if kind == "word" and op.upper() == "EXISTS":
            conditions.append(Condition(tag, "EXISTS", ""))
        else:
            if kind == "word" and op.upper() == "CONTAINS":
                op = "CONTAINS"
            elif kind != "op":
                raise QueryError(f"invalid query {text!r}: expected an operator after {tag!r}, got {op!r}")
            conditions.append(_operand(text, tag, op, take))
        if i == len(toks):
            break
        kind, word = take()
        if kind != "word" or word.upper() != "AND":
            raise QueryError(f"invalid query {text!r}: expected AND, got {word!r}")
    return Query(text, tuple(conditions))


def _operand(text: str, tag: str, op: str, take: object) -> Condition:
    assert callable(take)
    kind, value = take()
    if kind == "str":
        if op not in ("=", "CONTAINS"):
            raise QueryError(f"invalid query {text!r}: operator {op} needs a number, date or time")
        return Condition(tag, op, "str", text=value[1:-1])
    if op == "CONTAINS":
        raise QueryError(f"invalid query {text!r}: CONTAINS needs a string")
    if kind == "num":
        return Condition(tag, op, "num", number=Decimal(value))
    if kind == "word" and value.upper() in ("DATE", "TIME"):
        _, arg = take()
        try:
            if value.upper() == "DATE":
                return Condition(tag, op, "date", number=Decimal(date.fromisoformat(arg).toordinal()))
            return Condition(tag, op, "time", number=Decimal(parse_time(arg)))
        except ValueError:
            raise QueryError(f"invalid query {text!r}: bad {value.upper()} {arg!r}") from None
    raise QueryError(f"invalid query {text!r}: bad operand {value!r} for {tag!r}")
