"""Coins as integers (no floats): validation and sorted sets in the Cosmos style."""

from __future__ import annotations

import re
from typing import Final, final

DENOM: Final = "umed"
_DENOM_RE: Final = re.compile(r"^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$")
_COIN_RE: Final = re.compile(r"^([0-9]+)\s*([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$")


def valid_denom(denom: str) -> bool:
    return _DENOM_RE.match(denom) is not None


@final
class Coin:
    """One amount of one denom; ordered by denom then amount (the sort of a Cosmos coin set). An
    immutable value (see :class:`panacea.types.events.Event` for why it is not a dataclass)."""

    __slots__ = ("amount", "denom")

    def __init__(self, denom: str, amount: int) -> None:
        self.denom: Final = denom
        self.amount: Final = amount

    def _key(self) -> tuple[str, int]:
        return self.denom, self.amount

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Coin) and self.denom == other.denom and self.amount == other.amount

    def __lt__(self, other: Coin) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Coin) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Coin) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Coin) -> bool:
        return self._key() >= other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Coin(denom={self.denom!r}, amount={self.amount!r})"

    def __str__(self) -> str:
        return f"{self.amount}{self.denom}"

    def validate(self) -> None:
        if not valid_denom(self.denom):
            raise ValueError(f"invalid denom: {self.denom}")
        if self.amount < 0:
            raise ValueError(f"negative coin amount: {self.amount}")


def parse_amount(s: str) -> int:
    """sdk.Int from its decimal string; rejects anything that is not an integer."""
    if not re.fullmatch(r"-?[0-9]+", s or ""):
        raise ValueError(f"invalid amount {s!r}")
    return int(s)


def parse_coins(s: str) -> tuple[Coin, ...]:
    """Parse "10umed,5uatom" into a sorted coin set; zero amounts are dropped like sdk.ParseCoinsNormalized."""
    s = s.strip()
    if not s:
        return ()
    out: dict[str, int] = {}
    for part in s.split(","):
        m = _COIN_RE.match(part.strip())
        if m is None:
            raise ValueError(f"invalid decimal coin expression: {part.strip()}")
        amount, denom = int(m.group(1)), m.group(2)
        if denom in out:
            raise ValueError(f"duplicate denomination {denom}")
        out[denom] = amount
    return tuple(Coin(d, a) for d, a in sorted(out.items()) if a > 0)


def coins_str(coins: tuple[Coin, ...] | list[Coin]) -> str:
    if len(coins) == 1:
        return f"{coins[0].amount}{coins[0].denom}"
    return ",".join(f"{c.amount}{c.denom}" for c in coins)
