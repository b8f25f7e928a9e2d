"""x/oracle genesis: validate, init, export (chain-reference §3.13)."""

from __future__ import annotations

from typing import Final

from panacea.chain.context import Context
from panacea.chain.errors import ChainError, ErrInvalidRequest
from panacea.chain.module import JSON
from panacea.chain.modules.oracle.errors import plain
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.chain.modules.oracle.validation import (
    default_params,
    validate_oracle,
    validate_oracle_registration,
    validate_oracle_upgrade,
    validate_params,
    validate_upgrade_info,
)
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2
from panacea.types.protojson import from_json, to_json

UPGRADE_INFO_FIELD: Final = "oracle_upgrade_info"


def default_genesis() -> JSON:
    return _to_json(genesis_pb2.GenesisState(params=default_params()))


def parse(genesis: JSON) -> genesis_pb2.GenesisState:
    try:
        return from_json(genesis, genesis_pb2.GenesisState)
    except ValueError as e:
        raise plain(f"failed to unmarshal oracle genesis state: {e}") from None


def validate_genesis(genesis: JSON) -> None:
    """GenesisState.Validate: oracles, registrations, upgrades, upgrade info, then params."""
    state = parse(genesis)
    for oracle in state.oracles:
        validate_oracle(oracle)
    for registration in state.oracle_registrations:
        validate_oracle_registration(registration)
    for upgrade in state.oracle_upgrades:
        validate_oracle_upgrade(upgrade)
    if state.HasField(UPGRADE_INFO_FIELD):
        validate_upgrade_info(state.oracle_upgrade_info)
    try:
        validate_params(state.params)
    except ChainError as e:
        raise ErrInvalidRequest.wrap(e.log) from None


def init_genesis(ctx: Context, keeper: OracleKeeper, genesis: JSON) -> None:
    """Stores everything as given; does not validate (the reference fixtures rely on that)."""
    state = parse(genesis)
    for oracle in state.oracles:
        keeper.set_oracle(ctx, oracle)  # an absent update_time becomes Go's zero time
    for registration in state.oracle_registrations:
        keeper.set_oracle_registration(ctx, registration)
    for upgrade in state.oracle_upgrades:
        keeper.set_oracle_upgrade(ctx, upgrade)
    if state.HasField(UPGRADE_INFO_FIELD):
        keeper.set_oracle_upgrade_info(ctx, state.oracle_upgrade_info)
    keeper.set_params(ctx, state.params)


def export_genesis(ctx: Context, keeper: OracleKeeper) -> JSON:
    state = genesis_pb2.GenesisState(
        oracles=keeper.all_oracles(ctx),
        oracle_registrations=keeper.all_oracle_registrations(ctx),
        oracle_upgrades=keeper.all_oracle_upgrades(ctx),
        params=keeper.get_params(ctx))
    # Departure: the reference panics when no upgrade info is stored; we export null (spec §3.13).
    info = keeper.find_oracle_upgrade_info(ctx)
    if info is not None:
        state.oracle_upgrade_info.CopyFrom(info)
    return _to_json(state)


def _to_json(state: genesis_pb2.GenesisState) -> JSON:
    out = to_json(state)
    out.setdefault(UPGRADE_INFO_FIELD, None)  # Go's nullable pointer renders as null
    return out
