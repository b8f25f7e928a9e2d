"""``cosmos.bank.v1beta1.Query``: exact responses, pagination and the SDK's error texts."""

from __future__ import annotations

import pytest

from panacea.chain.coins import Coin
from panacea.chain.modules.bank.queries import PATH, BankQueries
from panacea.types.pb.cosmos.bank.v1beta1 import bank_pb2, query_pb2
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from tests.chain.kit import Keepers, error_of, keepers, key

A, B = key("a"), key("b")


@pytest.fixture()
def k() -> Keepers:
    k = keepers()
    k.bank.mint_genesis(k.ctx, A.address(), [Coin("uatom", 7), Coin("ubtc", 3), Coin("umed", 1_000)])
    k.bank.mint_genesis(k.ctx, B.address(), [Coin("umed", 5)])
    return k


def coin(denom: str, amount: int) -> coin_pb2.Coin:
    return coin_pb2.Coin(denom=denom, amount=str(amount))


def test_routes() -> None:
    paths = [r.path for r in BankQueries(keepers().bank).routes()]
    assert paths == [PATH + m for m in ("Balance", "AllBalances", "SpendableBalances", "TotalSupply", "SupplyOf",
                                        "Params", "DenomsMetadata", "DenomMetadata")]


def test_balance(k: Keepers) -> None:
    q = BankQueries(k.bank)
    assert q.balance(k.ctx, query_pb2.QueryBalanceRequest(address=A.bech32(), denom="umed")).balance == \
        coin("umed", 1_000)
    assert q.balance(k.ctx, query_pb2.QueryBalanceRequest(address=A.bech32(), denom="nope")).balance == \
        coin("nope", 0)
    assert error_of(q.balance, k.ctx, query_pb2.QueryBalanceRequest()).log == "address cannot be empty: invalid request"
    assert error_of(q.balance, k.ctx, query_pb2.QueryBalanceRequest(address=A.bech32())).log == \
        "invalid denom: invalid request"
    assert error_of(q.balance, k.ctx, query_pb2.QueryBalanceRequest(address="zz", denom="umed")).log == \
        "invalid address (decoding bech32 failed: invalid bech32 string length 2): invalid address"


def test_all_and_spendable_balances_paginate(k: Keepers) -> None:
    q = BankQueries(k.bank)
    every = [coin("uatom", 7), coin("ubtc", 3), coin("umed", 1_000)]
    got = q.all_balances(k.ctx, query_pb2.QueryAllBalancesRequest(address=A.bech32()))
    assert (list(got.balances), got.pagination.total, got.pagination.next_key) == (every, 3, b"")
    page = pagination_pb2.PageRequest(limit=2)
    first = q.spendable_balances(k.ctx, query_pb2.QuerySpendableBalancesRequest(address=A.bech32(), pagination=page))
    assert (list(first.balances), first.pagination.next_key) == (every[:2], b"umed")
    rest = q.all_balances(k.ctx, query_pb2.QueryAllBalancesRequest(
        address=A.bech32(), pagination=pagination_pb2.PageRequest(key=first.pagination.next_key)))
    assert list(rest.balances) == every[2:]
    assert error_of(q.all_balances, k.ctx, query_pb2.QueryAllBalancesRequest()).log == \
        "address cannot be empty: invalid request"
    both = pagination_pb2.PageRequest(key=b"umed", offset=1)
    assert error_of(q.all_balances, k.ctx, query_pb2.QueryAllBalancesRequest(address=A.bech32(), pagination=both)
                    ).log == "paginate: invalid request, either offset or key is expected, got both: invalid request"


def test_supply_params_and_metadata(k: Keepers) -> None:
    q = BankQueries(k.bank)
    total = q.total_supply(k.ctx, query_pb2.QueryTotalSupplyRequest())
    assert list(total.supply) == [coin("uatom", 7), coin("ubtc", 3), coin("umed", 1_005)]
    assert q.supply_of(k.ctx, query_pb2.QuerySupplyOfRequest(denom="umed")).amount == coin("umed", 1_005)
    assert error_of(q.supply_of, k.ctx, query_pb2.QuerySupplyOfRequest()).log == "invalid denom: invalid request"
    assert q.params(k.ctx, query_pb2.QueryParamsRequest()).params == bank_pb2.Params(default_send_enabled=True)
    assert q.denoms_metadata(k.ctx, query_pb2.QueryDenomsMetadataRequest()) == query_pb2.QueryDenomsMetadataResponse()
    e = error_of(q.denom_metadata, k.ctx, query_pb2.QueryDenomMetadataRequest(denom="umed"))
    assert (e.code, e.log) == (38, "client metadata for denom umed: not found")
