"""Coins for the state machine: the wire value lives in :mod:`panacea.types.coins` (the client shares it);
here, once for every module, the protobuf ⇄ :class:`Coin` conversion and the sdk.Coins checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, TypeAlias

from panacea.chain.errors import ErrInvalidCoins
from panacea.types.coins import DENOM, Coin, coins_str, parse_amount, parse_coins, valid_denom
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

MAX_AMOUNT_BITS: Final = 256  # sdk.Int refuses to decode anything wider
_AMOUNT_RE: Final = re.compile(r"-?[0-9]+")
Coins: TypeAlias = tuple[Coin, ...] | list[Coin]


def coins_from_pb(coins: Iterable[coin_pb2.Coin]) -> list[Coin]:
    """Protobuf coins as values; an amount that is not an integer is ErrInvalidCoins (an empty one is 0)."""
    out = []
    for c in coins:
        try:
            amount = int(c.amount or "0")
        except ValueError:
            raise ErrInvalidCoins.wrap(f"{c.amount}{c.denom}") from None
        out.append(Coin(c.denom, amount))
    return out


def coins_to_pb(coins: Iterable[Coin]) -> list[coin_pb2.Coin]:
    return [coin_pb2.Coin(denom=c.denom, amount=str(c.amount)) for c in coins]


def coins_valid(coins: Coins) -> bool:
    """sdk.Coins.IsValid: sorted, unique, valid denoms, all positive (the empty set is valid)."""
    for i, c in enumerate(coins):
        if not valid_denom(c.denom) or c.amount <= 0 or (i and coins[i - 1].denom >= c.denom):
            return False
    return True


def validate_coins(coins: Coins) -> None:
    """sdk.Coins.IsValid + IsAllPositive, as MsgSend and genesis balances need it (the empty set fails)."""
    if not coins or not coins_valid(coins):
        raise ErrInvalidCoins.wrap(coins_str(coins))


def coin_amount(coin: coin_pb2.Coin) -> int | None:
    """The coin's amount as sdk.Int would decode it; None when it would not decode."""
    if _AMOUNT_RE.fullmatch(coin.amount) is None:
        return None
    value = int(coin.amount)
    return value if value.bit_length() <= MAX_AMOUNT_BITS else None


def valid_coin(coin: coin_pb2.Coin) -> bool:
    """sdk.Coin.IsValid: a valid denom and a non-negative amount (zero and non-umed denoms pass)."""
    amount = coin_amount(coin)
    return valid_denom(coin.denom) and amount is not None and amount >= 0


def coins_add(a: Iterable[Coin], b: Iterable[Coin]) -> tuple[Coin, ...]:
    """sdk.Coins.Add: merged by denom, sorted, zero amounts dropped."""
    total: dict[str, int] = {}
    for c in (*a, *b):
        total[c.denom] = total.get(c.denom, 0) + c.amount
    return tuple(Coin(d, n) for d, n in sorted(total.items()) if n != 0)


def coins_all_gte(coins: Coins, minimum: Coins) -> bool:
    """sdk.Coins.IsAllGTE."""
    if not minimum:
        return True
    have = {c.denom: c.amount for c in coins}
    return bool(coins) and all(have.get(m.denom, 0) >= m.amount for m in minimum)


__all__ = [
    "DENOM", "Coin", "coin_amount", "coins_add", "coins_all_gte", "coins_from_pb", "coins_str", "coins_to_pb",
    "coins_valid", "parse_amount", "parse_coins", "valid_coin", "valid_denom", "validate_coins",
]
