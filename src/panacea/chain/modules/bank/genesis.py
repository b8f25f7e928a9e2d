"""x/bank genesis: params, balances (the supply follows them) and the optional supply check (SDK 0.45)."""

from __future__ import annotations

from panacea.chain import addr
from panacea.chain.coins import Coin, coins_from_pb, coins_str, coins_to_pb, validate_coins
from panacea.chain.context import Context
from panacea.chain.module import JSON
from panacea.chain.modules.bank.errors import ErrInvalidRequest
from panacea.chain.modules.bank.keeper import BankKeeper, default_params
from panacea.types.pb.cosmos.bank.v1beta1 import genesis_pb2
from panacea.types.protojson import from_json, to_json


def default_genesis() -> JSON:
    return to_json(genesis_pb2.GenesisState(params=default_params()))


def validate_genesis(genesis: JSON) -> None:
    """Valid, unique balance addresses, valid coins, and the supply (when given) equal to their sum."""
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


def init_genesis(ctx: Context, keeper: BankKeeper, genesis: JSON) -> None:
    """Balances in address order; an address without an account gets one."""
    state = from_json(genesis, genesis_pb2.GenesisState)
    keeper.set_params(ctx, state.params)
    for b in sorted(state.balances, key=lambda b: addr.parse(b.address)):
        address = addr.parse(b.address)
        keeper.mint_genesis(ctx, address, coins_from_pb(b.coins))
        if not keeper.auth.has_account(ctx, address):
            keeper.auth.new_account(ctx, address)


def export_genesis(ctx: Context, keeper: BankKeeper) -> JSON:
    state = genesis_pb2.GenesisState(params=keeper.params(ctx))
    by_addr: dict[bytes, list[Coin]] = {}
    for a, c in keeper.iterate_all_balances(ctx):
        by_addr.setdefault(a, []).append(c)
    for a in sorted(by_addr):
        state.balances.add(address=addr.encode(a), coins=coins_to_pb(by_addr[a]))
    state.supply.extend(coins_to_pb(keeper.all_supply(ctx)))
    return to_json(state)
