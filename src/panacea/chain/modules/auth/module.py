"""x/auth as a module: genesis of accounts, account queries."""

from __future__ import annotations

from typing import Final

from google.protobuf import any_pb2

from panacea.chain import addr
from panacea.chain.context import Context
from panacea.chain.errors import ErrInvalidRequest, ErrNotFound
from panacea.chain.module import JSON, Module, QueryRoute
from panacea.chain.modules.auth.keeper import (
    ACCOUNT_PREFIX,
    FEE_COLLECTOR,
    GOV_MODULE,
    STORE,
    AuthKeeper,
    account_from_any,
)
from panacea.chain.pagination import paginate
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2, genesis_pb2, query_pb2
from panacea.types.protojson import from_json, to_json

PARAMS_KEY: Final = b"\x10params"
MODULE_ACCOUNTS: tuple[tuple[str, tuple[str, ...]], ...] = ((FEE_COLLECTOR, ()), (GOV_MODULE, ("burner",)))


def default_params() -> auth_pb2.Params:
    return auth_pb2.Params(
        max_memo_characters=256,
        tx_sig_limit=7,
        tx_size_cost_per_byte=10,
        sig_verify_cost_ed25519=590,
        sig_verify_cost_secp256k1=1000,
    )


class AuthModule(Module):
    name = "auth"

    def __init__(self, keeper: AuthKeeper) -> None:
        self.keeper = keeper

    def default_genesis(self) -> JSON:
        return to_json(genesis_pb2.GenesisState(params=default_params()))

    def _parse(self, genesis: JSON) -> genesis_pb2.GenesisState:
        return from_json(genesis, genesis_pb2.GenesisState)

    def validate_genesis(self, genesis: JSON) -> None:
        try:
            state = self._parse(genesis)
        except ValueError as e:
            raise ErrInvalidRequest.wrap(str(e)) from None
        seen: set[str] = set()
        numbers: set[int] = set()
        for a in state.accounts:
            acc = account_from_any(a, b"")
            base = (
                auth_pb2.ModuleAccount.FromString(a.value).base_account
                if a.type_url.endswith("ModuleAccount")
                else auth_pb2.BaseAccount.FromString(a.value)
            )
            addr.parse_or(base.address, detail="invalid account address")
            if base.address in seen:
                raise ErrInvalidRequest.wrap(f"duplicate account found in genesis state; address: {base.address}")
            if acc.number in numbers:
                raise ErrInvalidRequest.wrap(f"duplicate account number {acc.number} in genesis state")
            seen.add(base.address)
            numbers.add(acc.number)

    def init_genesis(self, ctx: Context, genesis: JSON) -> None:
        state = self._parse(genesis)
        ctx.kv(STORE).set(
            PARAMS_KEY, (state.params if state.HasField("params") else default_params()).SerializeToString()
        )
        top = -1
        for a in state.accounts:
            base = (
                auth_pb2.ModuleAccount.FromString(a.value).base_account
                if a.type_url.endswith("ModuleAccount")
                else auth_pb2.BaseAccount.FromString(a.value)
            )
            acc = account_from_any(a, addr.parse(base.address))
            self.keeper.set_account(ctx, acc)
            top = max(top, acc.number)
        self.keeper.set_next_account_number(ctx, top + 1)
        for name, perms in MODULE_ACCOUNTS:
            self.keeper.get_or_create_module_account(ctx, name, perms)

    def export_genesis(self, ctx: Context) -> JSON:
        state = genesis_pb2.GenesisState(params=self.params(ctx))
        for acc in self.keeper.iterate_accounts(ctx):
            state.accounts.append(acc.to_any())
        return to_json(state)

    def params(self, ctx: Context) -> auth_pb2.Params:
        raw = ctx.kv(STORE).get(PARAMS_KEY)
        return auth_pb2.Params.FromString(raw) if raw is not None else default_params()

    # --- queries --------------------------------------------------------------------------------------
    def queries(self) -> list[QueryRoute]:
        p = "/cosmos.auth.v1beta1.Query/"
        return [
            QueryRoute(p + "Account", query_pb2.QueryAccountRequest, self._account),
            QueryRoute(p + "Accounts", query_pb2.QueryAccountsRequest, self._accounts),
            QueryRoute(
                p + "Params",
                query_pb2.QueryParamsRequest,
                lambda ctx, _req: query_pb2.QueryParamsResponse(params=self.params(ctx)),
            ),
            QueryRoute(p + "ModuleAccountByName", query_pb2.QueryModuleAccountByNameRequest, self._module_account),
            QueryRoute(
                p + "Bech32Prefix",
                query_pb2.Bech32PrefixRequest,
                lambda _ctx, _req: query_pb2.Bech32PrefixResponse(bech32_prefix="panacea"),
            ),
        ]

    def _account(self, ctx: Context, req: query_pb2.QueryAccountRequest) -> query_pb2.QueryAccountResponse:
        if not req.address:
            raise ErrInvalidRequest.wrap("Address cannot be empty")
        acc = self.keeper.get_account(ctx, addr.parse_or(req.address, detail="invalid address"))
        if acc is None:
            raise ErrNotFound.wrap(f"account {req.address} not found")
        return query_pb2.QueryAccountResponse(account=acc.to_any())

    def _accounts(self, ctx: Context, req: query_pb2.QueryAccountsRequest) -> query_pb2.QueryAccountsResponse:
        items, page = paginate(
            ctx.kv(STORE),
            ACCOUNT_PREFIX,
            req.pagination if req.HasField("pagination") else None,
            lambda _k, v: any_pb2.Any.FromString(v),
        )
        return query_pb2.QueryAccountsResponse(accounts=items, pagination=page)

    def _module_account(
        self, ctx: Context, req: query_pb2.QueryModuleAccountByNameRequest
    ) -> query_pb2.QueryModuleAccountByNameResponse:
        if not req.name:
            raise ErrInvalidRequest.wrap("module name is empty")
        from panacea.crypto.address import module_address

        acc = self.keeper.get_account(ctx, module_address(req.name))
        if acc is None or not acc.is_module:
            raise ErrNotFound.wrap(f"account {req.name} not found")
        return query_pb2.QueryModuleAccountByNameResponse(account=acc.to_any())
