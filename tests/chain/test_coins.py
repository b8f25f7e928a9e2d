"""The state machine's coin helpers (one place for every module): protobuf ⇄ Coin and sdk.Coins checks."""

from __future__ import annotations

import pytest

from panacea.chain.coins import (
    Coin,
    coin_amount,
    coins_add,
    coins_all_gte,
    coins_from_pb,
    coins_to_pb,
    coins_valid,
    valid_coin,
    validate_coins,
)
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from tests.chain.kit import error_of


def pb(denom: str, amount: str) -> coin_pb2.Coin:
    return coin_pb2.Coin(denom=denom, amount=amount)


def test_conversion_both_ways() -> None:
    assert coins_from_pb([pb("umed", "5"), pb("uatom", "")]) == [Coin("umed", 5), Coin("uatom", 0)]
    assert coins_to_pb([Coin("umed", 5)]) == [pb("umed", "5")]
    e = error_of(coins_from_pb, [pb("umed", "1.5")])
    assert (e.codespace, e.code, e.log) == ("sdk", 10, "1.5umed: invalid coins")


def test_sets() -> None:
    assert coins_valid([]) and coins_valid((Coin("uatom", 1), Coin("umed", 2)))
    assert not coins_valid([Coin("umed", 2), Coin("uatom", 1)])  # unsorted
    assert not coins_valid([Coin("umed", 0)]) and not coins_valid([Coin("u", 1)])
    assert error_of(validate_coins, []).log == ": invalid coins"
    validate_coins([Coin("umed", 1)])
    assert coins_add((Coin("umed", 1),), [Coin("uatom", 2), Coin("umed", -1)]) == (Coin("uatom", 2),)
    assert coins_all_gte((Coin("umed", 5),), (Coin("umed", 5),)) and coins_all_gte((), ())
    assert not coins_all_gte((), (Coin("umed", 1),)) and not coins_all_gte((Coin("umed", 4),), (Coin("umed", 5),))


@pytest.mark.parametrize(("amount", "value"), [("0", 0), ("-3", -3), ("1e3", None), ("", None),
                                               (str(2**256), None), (str(2**256 - 1), 2**256 - 1)])
def test_coin_amount_is_what_sdk_int_decodes(amount: str, value: int | None) -> None:
    assert coin_amount(pb("umed", amount)) == value


def test_valid_coin() -> None:
    assert valid_coin(pb("umed", "0")) and valid_coin(pb("uatom", "7"))
    assert not valid_coin(pb("umed", "-1")) and not valid_coin(pb("u", "1")) and not valid_coin(pb("umed", "x"))


def test_coins_are_ordered_values() -> None:
    assert sorted([Coin("umed", 5), Coin("aaa", 9), Coin("umed", 2)]) == [Coin("aaa", 9), Coin("umed", 2),
                                                                         Coin("umed", 5)]
    assert Coin("umed", 1) <= Coin("umed", 1) < Coin("umed", 2) and Coin("b", 0) > Coin("a", 9) >= Coin("a", 9)
    assert hash(Coin("umed", 3)) == hash(Coin("umed", 3)) and repr(Coin("umed", 3)) == "Coin(denom='umed', amount=3)"
