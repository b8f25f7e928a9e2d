"""Bounded memo tables: entries kept until the limit, then the table starts over."""

from __future__ import annotations

from panacea.types.memo import remember


def test_remember_enters_returns_and_empties_when_full() -> None:
    table: dict[str, int] = {}
    assert remember(table, "a", 1, 2) == 1 and remember(table, "b", 2, 2) == 2
    assert table == {"a": 1, "b": 2}
    assert remember(table, "b", 3, 3) == 3 and table == {"a": 1, "b": 3}  # an update below the limit
    assert remember(table, "c", 4, 2) == 4
    assert table == {"c": 4}
