"""Queries of ``cosmos.bank.v1beta1`` (the one place their paths are spelled in the client)."""

from __future__ import annotations

from panacea.client.queries.base import PagedQuery, Query
from panacea.types.coins import DENOM, Coin
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as q
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

BALANCE = "/cosmos.bank.v1beta1.Query/Balance"
ALL_BALANCES = "/cosmos.bank.v1beta1.Query/AllBalances"
TOTAL_SUPPLY = "/cosmos.bank.v1beta1.Query/TotalSupply"


def _coin(c: coin_pb2.Coin) -> Coin:
    return Coin(c.denom, int(c.amount or "0"))


def balance(address: str, denom: str = DENOM) -> Query[q.QueryBalanceResponse, int]:
    """The amount of one denom held by ``address`` (0 when none)."""
    return Query(BALANCE, q.QueryBalanceRequest(address=address, denom=denom), q.QueryBalanceResponse,
                 lambda r: int(r.balance.amount or "0"))


def all_balances(address: str) -> PagedQuery[q.QueryAllBalancesResponse, Coin]:
    """Every denom held by ``address``."""
    return PagedQuery(ALL_BALANCES, lambda p: q.QueryAllBalancesRequest(address=address, pagination=p),
                      q.QueryAllBalancesResponse, lambda r: [_coin(c) for c in r.balances])


def total_supply() -> PagedQuery[q.QueryTotalSupplyResponse, Coin]:
    """The supply of every denom."""
    return PagedQuery(TOTAL_SUPPLY, lambda p: q.QueryTotalSupplyRequest(pagination=p), q.QueryTotalSupplyResponse,
                      lambda r: [_coin(c) for c in r.supply])
