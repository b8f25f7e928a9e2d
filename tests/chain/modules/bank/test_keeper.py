"""x/bank keeper: balances, supply, params, transfers with the SDK's events in order, blocked module accounts."""

from __future__ import annotations

import random

from panacea.chain.coins import Coin
from panacea.chain.modules.bank import keeper as bank_keeper
from panacea.chain.modules.bank.keeper import default_params
from panacea.chain.modules.bank.keys import PARAMS_KEY, STORE, balance_key
from panacea.crypto.address import module_address
from panacea.types.events import Event
from panacea.types.pb.cosmos.bank.v1beta1 import bank_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from tests.chain.kit import Keepers, error_of, keepers, key

A, B = key("a"), key("b")


def funded() -> Keepers:
    k = keepers()
    k.bank.mint_genesis(k.ctx, A.address(), [Coin("umed", 1_000), Coin("uatom", 7)])
    k.auth.new_account(k.ctx, A.address())
    return k


def test_mint_genesis_sets_balances_and_supply() -> None:
    k = funded()
    assert k.bank.all_balances(k.ctx, A.address()) == [Coin("uatom", 7), Coin("umed", 1_000)]
    assert k.bank.all_supply(k.ctx) == [Coin("uatom", 7), Coin("umed", 1_000)]
    assert (k.bank.supply(k.ctx, "umed"), k.bank.supply(k.ctx, "nope")) == (1_000, 0)
    assert k.ctx.kv(STORE).get(balance_key(A.address(), "umed")) == b"\n\x04umed\x12\x041000"
    assert k.bank.iterate_all_balances(k.ctx) == [(A.address(), Coin("uatom", 7)), (A.address(), Coin("umed", 1_000))]


def test_send_moves_coins_creates_the_recipient_and_emits_sdk_events() -> None:
    k = funded()
    k.bank.send(k.ctx, A.address(), B.address(), [Coin("umed", 400), Coin("uatom", 7)])
    assert k.bank.all_balances(k.ctx, A.address()) == [Coin("umed", 600)]  # zero balances are deleted
    assert k.bank.all_balances(k.ctx, B.address()) == [Coin("uatom", 7), Coin("umed", 400)]
    assert k.auth.has_account(k.ctx, B.address())
    a, b = A.bech32(), B.bech32()
    assert k.ctx.events == [
        Event("coin_spent", ("spender", a, "amount", "7uatom,400umed")),
        Event("coin_received", ("receiver", b, "amount", "7uatom,400umed")),
        Event("transfer", ("recipient", b, "sender", a, "amount", "7uatom,400umed")),
        Event("message", ("sender", a)),
    ]


def test_send_of_one_coin_and_the_payer_match_the_general_path() -> None:
    k, other = funded(), funded()
    k.bank.send(k.ctx, A.address(), B.address(), [Coin("umed", 10)])
    payer = other.bank.payer(other.ctx, A.address())
    assert payer.balance("umed") == 1_000
    payer.send(B.address(), Coin("umed", 10))
    assert payer.balance("umed") == 990
    assert k.ctx.events == other.ctx.events
    assert k.ctx.kv(STORE).get(balance_key(B.address(), "umed")) == \
        other.ctx.kv(STORE).get(balance_key(B.address(), "umed"))


def test_send_errors() -> None:
    k = funded()
    e = error_of(k.bank.send, k.ctx, A.address(), B.address(), [Coin("umed", 1_001)])
    assert (e.codespace, e.code, e.log) == ("sdk", 5, "1000umed is smaller than 1001umed: insufficient funds")
    e = error_of(k.bank.send, k.ctx, A.address(), B.address(), [Coin("umed", 1), Coin("uatom", 8)])
    assert e.log == "7uatom is smaller than 8uatom: insufficient funds"
    assert error_of(k.bank.send, k.ctx, A.address(), B.address(), [Coin("umed", -5)]).log == "-5umed: invalid coins"


def test_module_accounts_refuse_user_sends() -> None:
    k = funded()
    k.auth.get_or_create_module_account(k.ctx, "gov", ("burner",))
    gov = module_address("gov")
    e = error_of(k.bank.send_user, k.ctx, A.address(), gov, [Coin("umed", 5)])
    assert (e.code, e.log) == (4, f"{k.auth.get_account(k.ctx, gov).bech32} is not allowed to receive funds: "  # type: ignore[union-attr]
                                  "unauthorized")
    assert k.bank.is_blocked(k.ctx, gov) and not k.bank.is_blocked(k.ctx, A.address())
    k.bank.send_to_module(k.ctx, A.address(), "gov", [Coin("umed", 5)])  # keepers may
    assert k.bank.balance(k.ctx, gov, "umed") == 5


def test_params_default_until_set() -> None:
    k = keepers()
    assert k.bank.params(k.ctx) == default_params() == bank_pb2.Params(default_send_enabled=True)
    k.bank.set_params(k.ctx, bank_pb2.Params())
    assert k.bank.params(k.ctx) == bank_pb2.Params()
    assert k.ctx.kv(STORE).get(PARAMS_KEY) == b""


def test_balance_encoding_matches_protobuf_and_decodes_back() -> None:
    rng = random.Random(2)
    denoms = ["umed", "", "ibc/" + "A" * 64, "x" * 200, "dénom", "u1"]
    amounts = [0, 1, -1, 127, 128, 10**15, -(10**30), 2**256 - 1]
    for _ in range(2000):
        denom, amount = rng.choice(denoms), rng.choice([*amounts, rng.randrange(-(2**80), 2**80)])
        raw = bank_keeper._encode_coin(denom, amount)
        assert raw == coin_pb2.Coin(denom=denom, amount=str(amount)).SerializeToString()
        bank_keeper._amounts.clear()
        assert bank_keeper._amount(raw) == amount  # decoded
        assert bank_keeper._amount(bank_keeper._encode_coin(denom, amount)) == amount  # remembered
