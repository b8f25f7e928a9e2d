"""``cosmos.bank.v1beta1.Query`` handlers (SDK 0.45 ``x/bank/keeper/grpc_query.go``)."""

from __future__ import annotations

from typing import Final

from panacea.chain import addr
from panacea.chain.context import Context
from panacea.chain.module import Queries, QueryRoute
from panacea.chain.modules.bank.errors import ErrInvalidRequest, ErrNotFound
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.bank.keys import STORE, SUPPLY_PREFIX, balance_key
from panacea.chain.pagination import page_request, paginate
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

PATH: Final = "/cosmos.bank.v1beta1.Query/"


class BankQueries(Queries[BankKeeper]):
    def routes(self) -> list[QueryRoute]:
        return [
            QueryRoute(PATH + "Balance", query_pb2.QueryBalanceRequest, self.balance),
            QueryRoute(PATH + "AllBalances", query_pb2.QueryAllBalancesRequest, self.all_balances),
            QueryRoute(PATH + "SpendableBalances", query_pb2.QuerySpendableBalancesRequest, self.spendable_balances),
            QueryRoute(PATH + "TotalSupply", query_pb2.QueryTotalSupplyRequest, self.total_supply),
            QueryRoute(PATH + "SupplyOf", query_pb2.QuerySupplyOfRequest, self.supply_of),
            QueryRoute(PATH + "Params", query_pb2.QueryParamsRequest, self.params),
            QueryRoute(PATH + "DenomsMetadata", query_pb2.QueryDenomsMetadataRequest, self.denoms_metadata),
            QueryRoute(PATH + "DenomMetadata", query_pb2.QueryDenomMetadataRequest, self.denom_metadata),
        ]

    def balance(self, ctx: Context, req: query_pb2.QueryBalanceRequest) -> query_pb2.QueryBalanceResponse:
        if not req.address:
            raise ErrInvalidRequest.wrap("address cannot be empty")
        if not req.denom:
            raise ErrInvalidRequest.wrap("invalid denom")
        a = addr.parse_or(req.address, detail="invalid address")
        amount = self.keeper.balance(ctx, a, req.denom)
        return query_pb2.QueryBalanceResponse(balance=coin_pb2.Coin(denom=req.denom, amount=str(amount)))

    def _paged_balances(self, ctx: Context, address: str, page: pagination_pb2.PageRequest | None
                        ) -> tuple[list[coin_pb2.Coin], pagination_pb2.PageResponse]:
        if not address:
            raise ErrInvalidRequest.wrap("address cannot be empty")
        prefix = balance_key(addr.parse_or(address, detail="invalid address"))
        return paginate(ctx.kv(STORE), prefix, page, lambda _k, v: coin_pb2.Coin.FromString(v))

    def all_balances(self, ctx: Context, req: query_pb2.QueryAllBalancesRequest) -> query_pb2.QueryAllBalancesResponse:
        items, page = self._paged_balances(ctx, req.address, page_request(req))
        return query_pb2.QueryAllBalancesResponse(balances=items, pagination=page)

    def spendable_balances(self, ctx: Context, req: query_pb2.QuerySpendableBalancesRequest
                           ) -> query_pb2.QuerySpendableBalancesResponse:
        """Nothing is locked or vesting here: the spendable balances are all balances."""
        items, page = self._paged_balances(ctx, req.address, page_request(req))
        return query_pb2.QuerySpendableBalancesResponse(balances=items, pagination=page)

    def total_supply(self, ctx: Context, req: query_pb2.QueryTotalSupplyRequest) -> query_pb2.QueryTotalSupplyResponse:
        items, page = paginate(ctx.kv(STORE), SUPPLY_PREFIX, page_request(req),
                               lambda k, v: coin_pb2.Coin(denom=k.decode(), amount=v.decode()))
        return query_pb2.QueryTotalSupplyResponse(supply=items, pagination=page)

    def supply_of(self, ctx: Context, req: query_pb2.QuerySupplyOfRequest) -> query_pb2.QuerySupplyOfResponse:
        if not req.denom:
            raise ErrInvalidRequest.wrap("invalid denom")
        return query_pb2.QuerySupplyOfResponse(
            amount=coin_pb2.Coin(denom=req.denom, amount=str(self.keeper.supply(ctx, req.denom))))

    def params(self, ctx: Context, _req: query_pb2.QueryParamsRequest) -> query_pb2.QueryParamsResponse:
        return query_pb2.QueryParamsResponse(params=self.keeper.params(ctx))

    def denoms_metadata(self, _ctx: Context, _req: query_pb2.QueryDenomsMetadataRequest
                        ) -> query_pb2.QueryDenomsMetadataResponse:
        return query_pb2.QueryDenomsMetadataResponse()

    def denom_metadata(self, _ctx: Context, req: query_pb2.QueryDenomMetadataRequest
                       ) -> query_pb2.QueryDenomMetadataResponse:
        raise ErrNotFound.wrap(f"client metadata for denom {req.denom}")
