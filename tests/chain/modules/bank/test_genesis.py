"""x/bank genesis: validation texts, init (balances, supply, accounts, params), export round trip."""

from __future__ import annotations

from panacea.chain.coins import Coin
from panacea.chain.modules.bank import genesis
from tests.chain.kit import error_of, keepers, key

A, B = key("a").bech32(), key("b").bech32()


def balance(address: str, *coins: tuple[str, str]) -> dict[str, object]:
    return {"address": address, "coins": [{"denom": d, "amount": a} for d, a in coins]}


def test_default_genesis() -> None:
    assert genesis.default_genesis() == {"params": {"default_send_enabled": True, "send_enabled": []},
                                         "balances": [], "supply": [], "denom_metadata": []}
    genesis.validate_genesis(genesis.default_genesis())


def test_validate_texts() -> None:
    def log(state: dict[str, object]) -> str:
        return error_of(genesis.validate_genesis, state).log

    assert log({"balances": [balance("bad")]}) == \
        "invalid balance address (decoding bech32 failed: invalid bech32 string length 3): invalid address"
    assert log({"balances": [balance(A, ("umed", "1")), balance(A)]}) == \
        f"duplicate balance for address {A}: invalid request"
    assert log({"balances": [balance(A)]}) == ": invalid coins"
    assert log({"balances": [balance(A, ("umed", "x"))]}) == "xumed: invalid coins"
    assert log({"balances": [balance(A, ("umed", "1"))], "supply": [{"denom": "umed", "amount": "2"}]}) == \
        "genesis supply is incorrect, expected 2umed, got 1umed: invalid request"
    assert log({"nope": 1}) == \
        'Message type "cosmos.bank.v1beta1.GenesisState" has no field named "nope" at "GenesisState".: invalid request'
    genesis.validate_genesis({"balances": [balance(A, ("umed", "1")), balance(B, ("umed", "2"))],
                              "supply": [{"denom": "umed", "amount": "3"}]})


def test_init_creates_accounts_and_supply_then_export_round_trips() -> None:
    k = keepers()
    state = {**genesis.default_genesis(),
             "balances": [balance(B, ("umed", "2")), balance(A, ("uatom", "1"), ("umed", "5"))]}
    genesis.init_genesis(k.ctx, k.bank, state)
    assert k.bank.all_supply(k.ctx) == [Coin("uatom", 1), Coin("umed", 7)]
    numbers = {a.bech32: a.number for a in k.auth.iterate_accounts(k.ctx)}
    assert sorted(numbers.values()) == [0, 1]  # accounts created in address order
    exported = genesis.export_genesis(k.ctx, k.bank)
    assert exported["supply"] == [{"denom": "uatom", "amount": "1"}, {"denom": "umed", "amount": "7"}]
    assert exported["params"] == {"default_send_enabled": True, "send_enabled": []}
    again = keepers()
    genesis.init_genesis(again.ctx, again.bank, exported)
    assert genesis.export_genesis(again.ctx, again.bank) == exported
