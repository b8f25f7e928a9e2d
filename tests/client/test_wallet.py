"""Gas estimation of the wallets (shared by ``panacead tx``): with a gas price the fee pays for its own deduction."""

from __future__ import annotations

import math
from decimal import Decimal

from panacea.client import ChainClient
from tests.client.nodekit import FUNDS, key, send_msg


def test_gas_price_txs_succeed_and_pay_exactly_gas_times_price(client: ChainClient) -> None:
    """Issue 10 bug 1: a zero-fee simulation left out the fee deduction (out of gas, fee still taken)."""
    payer, to = key("gas-wallet"), key("erin").bech32()
    wallet = client.wallet(payer)
    spent = 0
    for price, adjustment in (("5umed", 1.3), ("0.025", 1.3), ("1", 1.3), ("12.5umed", 1.3), ("5umed", 1.0),
                              ("0.5", 1.1)):
        msgs = [send_msg(payer.bech32(), to, 1)]
        estimate = wallet.estimate_gas(msgs, gas_price=price, gas_adjustment=adjustment)
        resp = wallet.send(msgs, gas_price=price, gas_adjustment=adjustment)
        fee = math.ceil(Decimal(price.removesuffix("umed")) * resp.gas_wanted)
        assert (resp.code, resp.raw_log.startswith("["), resp.gas_wanted) == (0, True, estimate), (price, resp)
        assert resp.gas_used <= resp.gas_wanted
        if adjustment == 1.0:  # the second simulation carried this very fee and gas limit: the estimate is exact
            assert resp.gas_used == resp.gas_wanted
        assert [v for e in resp.events if e.type == "transfer" for k, v in e.attributes if k == "amount"] == [
            f"{fee}umed", "1umed"]
        spent += fee + 1
        assert client.balance(payer.bech32()) == FUNDS - spent


def test_fixed_fee_is_in_the_simulation(client: ChainClient) -> None:
    payer, to = key("alice"), key("bob").bech32()
    wallet = client.wallet(payer)
    msgs = [send_msg(payer.bech32(), to, 5)]
    estimate = wallet.estimate_gas(msgs, fee="2500umed")
    resp = wallet.send(msgs, fee="2500umed")
    assert (resp.code, resp.gas_wanted) == (0, estimate)
    assert client.balance(payer.bech32()) == FUNDS - 5 - 2500
