"""x/bank as a module: MsgSend, genesis balances and supply, balance queries."""

from __future__ import annotations

from typing import Final

from google.protobuf.message import Message

from panacea.chain import addr
from panacea.chain.coins import Coin, coins_str, valid_denom
from panacea.chain.context import Context
from panacea.chain.errors import ErrInvalidCoins, ErrInvalidRequest, ErrNotFound
from panacea.chain.events import Event
from panacea.chain.module import JSON, Module, MsgRoute, QueryRoute
from panacea.chain.modules.bank.keeper import BALANCES_PREFIX, STORE, SUPPLY_PREFIX, BankKeeper, balance_key
from panacea.chain.pagination import paginate
from panacea.types.pb.cosmos.bank.v1beta1 import bank_pb2, genesis_pb2, query_pb2, tx_pb2
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.protojson import from_json, to_json

PARAMS_KEY: Final = b"\x10params"


def coins_from_pb(coins: object) -> list[Coin]:
    out = []
    for c in coins:  # type: ignore[attr-defined]
        try:
            amount = int(c.amount or "0")
        except ValueError:
            raise ErrInvalidCoins.wrap(f"{c.amount}{c.denom}") from None
        out.append(Coin(c.denom, amount))
    return out


def validate_coins(coins: list[Coin]) -> None:
    """sdk.Coins.IsValid + IsAllPositive."""
    text = coins_str(coins)
    if not coins:
        raise ErrInvalidCoins.wrap(text)
    for i, c in enumerate(coins):
        if not valid_denom(c.denom) or c.amount <= 0:
            raise ErrInvalidCoins.wrap(text)
        if i and coins[i - 1].denom >= c.denom:
            raise ErrInvalidCoins.wrap(text)


def validate_msg_send(msg: tx_pb2.MsgSend) -> None:
    addr.parse_or(msg.from_address, detail="Invalid sender address")
    addr.parse_or(msg.to_address, detail="Invalid recipient address")
    validate_coins(coins_from_pb(msg.amount))


class BankModule(Module):
    name = "bank"

    def __init__(self, keeper: BankKeeper) -> None:
        self.keeper = keeper

    def routes(self) -> list[MsgRoute]:
        return [MsgRoute(tx_pb2.MsgSend, "send", lambda m: [m.from_address], validate_msg_send, self._send)]

    def _send(self, ctx: Context, msg: tx_pb2.MsgSend) -> Message:
        self.keeper.send_user(ctx, addr.parse(msg.from_address), addr.parse(msg.to_address), coins_from_pb(msg.amount))
        ctx.emit(Event.of("message", ("module", "bank")))
        return tx_pb2.MsgSendResponse()

    # --- genesis --------------------------------------------------------------------------------------
    def default_genesis(self) -> JSON:
        return to_json(genesis_pb2.GenesisState(params=bank_pb2.Params(default_send_enabled=True)))

    def validate_genesis(self, genesis: JSON) -> None:
        try:
            state = from_json(genesis, genesis_pb2.GenesisState)
        except ValueError as e:
            raise ErrInvalidRequest.wrap(str(e)) from None
        seen: set[str] = set()
        totals: dict[str, int] = {}
        for b in state.balances:
            addr.parse_or(b.address, detail="invalid balance address")
            if b.address in seen:
                raise ErrInvalidRequest.wrap(f"duplicate balance for address {b.address}")
            seen.add(b.address)
            coins = coins_from_pb(b.coins)
            validate_coins(coins)
            for c in coins:
                totals[c.denom] = totals.get(c.denom, 0) + c.amount
        if state.supply:
            supply = {c.denom: c.amount for c in coins_from_pb(state.supply)}
            if supply != totals:
                want = coins_str([Coin(d, a) for d, a in sorted(supply.items())])
                got = coins_str([Coin(d, a) for d, a in sorted(totals.items())])
                raise ErrInvalidRequest.wrap(f"genesis supply is incorrect, expected {want}, got {got}")

    def init_genesis(self, ctx: Context, genesis: JSON) -> None:
        state = from_json(genesis, genesis_pb2.GenesisState)
        ctx.kv(STORE).set(PARAMS_KEY, state.params.SerializeToString())
        for b in sorted(state.balances, key=lambda b: addr.parse(b.address)):
            address = addr.parse(b.address)
            self.keeper.mint_genesis(ctx, address, coins_from_pb(b.coins))
            if not self.keeper.auth.has_account(ctx, address):
                self.keeper.auth.new_account(ctx, address)

    def export_genesis(self, ctx: Context) -> JSON:
        state = genesis_pb2.GenesisState(params=self.params(ctx))
        by_addr: dict[bytes, list[Coin]] = {}
        for a, c in self.keeper.iterate_all_balances(ctx):
            by_addr.setdefault(a, []).append(c)
        for a in sorted(by_addr):
            state.balances.add(
                address=addr.encode(a), coins=[coin_pb2.Coin(denom=c.denom, amount=str(c.amount)) for c in by_addr[a]]
            )
        for c in self.keeper.all_supply(ctx):
            state.supply.add(denom=c.denom, amount=str(c.amount))
        return to_json(state)

    def params(self, ctx: Context) -> bank_pb2.Params:
        raw = ctx.kv(STORE).get(PARAMS_KEY)
        return bank_pb2.Params.FromString(raw) if raw is not None else bank_pb2.Params(default_send_enabled=True)

    # --- queries --------------------------------------------------------------------------------------
    def queries(self) -> list[QueryRoute]:
        p = "/cosmos.bank.v1beta1.Query/"
        return [
            QueryRoute(p + "Balance", query_pb2.QueryBalanceRequest, self._balance),
            QueryRoute(p + "AllBalances", query_pb2.QueryAllBalancesRequest, self._all_balances),
            QueryRoute(p + "SpendableBalances", query_pb2.QuerySpendableBalancesRequest, self._spendable),
            QueryRoute(p + "TotalSupply", query_pb2.QueryTotalSupplyRequest, self._total_supply),
            QueryRoute(p + "SupplyOf", query_pb2.QuerySupplyOfRequest, self._supply_of),
            QueryRoute(
                p + "Params",
                query_pb2.QueryParamsRequest,
                lambda ctx, _r: query_pb2.QueryParamsResponse(params=self.params(ctx)),
            ),
            QueryRoute(
                p + "DenomsMetadata",
                query_pb2.QueryDenomsMetadataRequest,
                lambda _c, _r: query_pb2.QueryDenomsMetadataResponse(),
            ),
            QueryRoute(p + "DenomMetadata", query_pb2.QueryDenomMetadataRequest, self._denom_metadata),
        ]

    def _balance(self, ctx: Context, req: query_pb2.QueryBalanceRequest) -> query_pb2.QueryBalanceResponse:
        if not req.address:
            raise ErrInvalidRequest.wrap("address cannot be empty")
        if not req.denom:
            raise ErrInvalidRequest.wrap("invalid denom")
        a = addr.parse_or(req.address, detail="invalid address")
        amount = self.keeper.balance(ctx, a, req.denom)
        return query_pb2.QueryBalanceResponse(balance=coin_pb2.Coin(denom=req.denom, amount=str(amount)))

    def _paged_balances(
        self, ctx: Context, address: str, page: pagination_pb2.PageRequest | None
    ) -> tuple[list[coin_pb2.Coin], pagination_pb2.PageResponse]:
        if not address:
            raise ErrInvalidRequest.wrap("address cannot be empty")
        a = addr.parse_or(address, detail="invalid address")
        prefix = balance_key(a)
        return paginate(ctx.kv(STORE), prefix, page, lambda _k, v: coin_pb2.Coin.FromString(v))

    def _all_balances(self, ctx: Context, req: query_pb2.QueryAllBalancesRequest) -> query_pb2.QueryAllBalancesResponse:
        items, page = self._paged_balances(ctx, req.address, req.pagination if req.HasField("pagination") else None)
        return query_pb2.QueryAllBalancesResponse(balances=items, pagination=page)

    def _spendable(
        self, ctx: Context, req: query_pb2.QuerySpendableBalancesRequest
    ) -> query_pb2.QuerySpendableBalancesResponse:
        items, page = self._paged_balances(ctx, req.address, req.pagination if req.HasField("pagination") else None)
        return query_pb2.QuerySpendableBalancesResponse(balances=items, pagination=page)

    def _total_supply(self, ctx: Context, req: query_pb2.QueryTotalSupplyRequest) -> query_pb2.QueryTotalSupplyResponse:
        items, page = paginate(
            ctx.kv(STORE),
            SUPPLY_PREFIX,
            req.pagination if req.HasField("pagination") else None,
            lambda k, v: coin_pb2.Coin(denom=k.decode(), amount=v.decode()),
        )
        return query_pb2.QueryTotalSupplyResponse(supply=items, pagination=page)

    def _supply_of(self, ctx: Context, req: query_pb2.QuerySupplyOfRequest) -> query_pb2.QuerySupplyOfResponse:
        if not req.denom:
            raise ErrInvalidRequest.wrap("invalid denom")
        return query_pb2.QuerySupplyOfResponse(
            amount=coin_pb2.Coin(denom=req.denom, amount=str(self.keeper.supply(ctx, req.denom)))
        )

    def _denom_metadata(
        self, ctx: Context, req: query_pb2.QueryDenomMetadataRequest
    ) -> query_pb2.QueryDenomMetadataResponse:
        raise ErrNotFound.wrap(f"client metadata for denom {req.denom}")


__all__ = ["BALANCES_PREFIX", "BankModule", "coins_from_pb", "validate_coins"]
