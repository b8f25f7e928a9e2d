"""``cosmos.auth.v1beta1.Query`` handlers (SDK 0.45 ``x/auth/keeper/grpc_query.go``)."""

from __future__ import annotations

from typing import Final

from google.protobuf import any_pb2

from panacea.chain import addr
from panacea.chain.context import Context
from panacea.chain.module import Queries, QueryRoute
from panacea.chain.modules.auth.errors import ErrInvalidRequest, ErrNotFound
from panacea.chain.modules.auth.keeper import AuthKeeper
from panacea.chain.modules.auth.keys import ACCOUNT_PREFIX, BECH32_PREFIX, STORE
from panacea.chain.pagination import page_request, paginate
from panacea.crypto.address import module_address
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2

PATH: Final = "/cosmos.auth.v1beta1.Query/"


class AuthQueries(Queries[AuthKeeper]):
    def routes(self) -> list[QueryRoute]:
        return [
            QueryRoute(PATH + "Account", query_pb2.QueryAccountRequest, self.account),
            QueryRoute(PATH + "Accounts", query_pb2.QueryAccountsRequest, self.accounts),
            QueryRoute(PATH + "Params", query_pb2.QueryParamsRequest, self.params),
            QueryRoute(PATH + "ModuleAccountByName", query_pb2.QueryModuleAccountByNameRequest, self.module_account),
            QueryRoute(PATH + "Bech32Prefix", query_pb2.Bech32PrefixRequest, self.bech32_prefix),
        ]

    def account(self, ctx: Context, req: query_pb2.QueryAccountRequest) -> query_pb2.QueryAccountResponse:
        if not req.address:
            raise ErrInvalidRequest.wrap("Address cannot be empty")
        acc = self.keeper.get_account(ctx, addr.parse_or(req.address, detail="invalid address"))
        if acc is None:
            raise ErrNotFound.wrap(f"account {req.address} not found")
        return query_pb2.QueryAccountResponse(account=acc.to_any())

    def accounts(self, ctx: Context, req: query_pb2.QueryAccountsRequest) -> query_pb2.QueryAccountsResponse:
        items, page = paginate(ctx.kv(STORE), ACCOUNT_PREFIX, page_request(req),
                               lambda _k, v: any_pb2.Any.FromString(v))
        return query_pb2.QueryAccountsResponse(accounts=items, pagination=page)

    def params(self, ctx: Context, _req: query_pb2.QueryParamsRequest) -> query_pb2.QueryParamsResponse:
        return query_pb2.QueryParamsResponse(params=self.keeper.params(ctx))

    def module_account(self, ctx: Context, req: query_pb2.QueryModuleAccountByNameRequest
                       ) -> query_pb2.QueryModuleAccountByNameResponse:
        if not req.name:
            raise ErrInvalidRequest.wrap("module name is empty")
        acc = self.keeper.get_account(ctx, module_address(req.name))
        if acc is None or not acc.is_module:
            raise ErrNotFound.wrap(f"account {req.name} not found")
        return query_pb2.QueryModuleAccountByNameResponse(account=acc.to_any())

    def bech32_prefix(self, _ctx: Context, _req: query_pb2.Bech32PrefixRequest) -> query_pb2.Bech32PrefixResponse:
        return query_pb2.Bech32PrefixResponse(bech32_prefix=BECH32_PREFIX)
