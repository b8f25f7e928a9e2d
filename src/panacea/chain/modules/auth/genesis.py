"""x/auth genesis: accounts, the next account number, params and the module accounts (SDK 0.45 ``genesis.go``)."""

from __future__ import annotations

from google.protobuf import any_pb2

from panacea.chain import addr
from panacea.chain.context import Context
from panacea.chain.module import JSON
from panacea.chain.modules.auth.errors import ErrInvalidRequest
from panacea.chain.modules.auth.keeper import Account, AuthKeeper, account_from_any, default_params
from panacea.chain.modules.auth.keys import MODULE_ACCOUNTS
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2, genesis_pb2
from panacea.types.protojson import from_json, to_json


def default_genesis() -> JSON:
    return to_json(genesis_pb2.GenesisState(params=default_params()))


def _parse(genesis: JSON) -> genesis_pb2.GenesisState:
    return from_json(genesis, genesis_pb2.GenesisState)


def _base(a: any_pb2.Any) -> auth_pb2.BaseAccount:
    if a.type_url.endswith("ModuleAccount"):
        return auth_pb2.ModuleAccount.FromString(a.value).base_account
    return auth_pb2.BaseAccount.FromString(a.value)


def validate_genesis(genesis: JSON) -> None:
    """Valid, unique addresses (SDK ``ValidateGenAccounts``); numbers are assigned at init, as in the SDK."""
    try:
        state = _parse(genesis)
    except ValueError as e:
        raise ErrInvalidRequest.wrap(str(e)) from None
    seen: set[str] = set()
    for a in state.accounts:
        account_from_any(a, b"")
        base = _base(a)
        addr.parse_or(base.address, detail="invalid account address")
        if base.address in seen:
            raise ErrInvalidRequest.wrap(f"duplicate account found in genesis state; address: {base.address}")
        seen.add(base.address)


def init_genesis(ctx: Context, keeper: AuthKeeper, genesis: JSON) -> None:
    """Module accounts first, then the genesis accounts in (account number, address) order, each given the next
    number like the SDK's ``NewAccount`` (``add-genesis-account`` writes every number as 0); an exported genesis,
    numbered that same way, comes back with the numbers it had."""
    state = _parse(genesis)
    keeper.set_params(ctx, state.params if state.HasField("params") else default_params())
    keeper.set_next_account_number(ctx, 0)
    for name, perms in MODULE_ACCOUNTS:
        keeper.get_or_create_module_account(ctx, name, perms)
    accounts = [account_from_any(a, addr.parse(_base(a).address)) for a in state.accounts]
    for acc in sorted(accounts, key=lambda a: (a.number, a.address)):
        if keeper.has_account(ctx, acc.address):
            continue
        keeper.set_account(ctx, Account(acc.address, keeper.next_account_number(ctx), acc.sequence, acc.pubkey,
                                        acc.module_name, acc.permissions))


def export_genesis(ctx: Context, keeper: AuthKeeper) -> JSON:
    state = genesis_pb2.GenesisState(params=keeper.params(ctx))
    for acc in keeper.iterate_accounts(ctx):
        state.accounts.append(acc.to_any())
    return to_json(state)
