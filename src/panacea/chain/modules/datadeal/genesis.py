"""x/datadeal genesis: validate, init, export (spec §2.11)."""

from __future__ import annotations

from typing import Final

from panacea.chain.context import Context
from panacea.chain.errors import ErrInvalidRequest
from panacea.chain.module import JSON
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.chain.modules.datadeal.msgs import validate_consent, validate_deal
from panacea.types.pb.panacea.datadeal.v2 import genesis_pb2
from panacea.types.protojson import from_json, to_json

DEFAULT_NEXT_DEAL_NUMBER: Final = 1


def default_genesis() -> JSON:
    return to_json(genesis_pb2.GenesisState(next_deal_number=DEFAULT_NEXT_DEAL_NUMBER))


def parse_genesis(genesis: JSON) -> genesis_pb2.GenesisState:
    try:
        return from_json(genesis, genesis_pb2.GenesisState)
    except ValueError as e:
        raise ErrInvalidRequest.wrap(str(e)) from None


def validate_genesis(genesis: JSON) -> None:
    """Every deal and consent on its own; next_deal_number is not checked against the deal ids (REF)."""
    state = parse_genesis(genesis)
    for deal in state.deals:
        validate_deal(deal)
    for consent in state.consents:
        validate_consent(consent)


def init_genesis(ctx: Context, keeper: DatadealKeeper, genesis: JSON) -> None:
    """Store records only: no accounts are created and no funds move."""
    state = parse_genesis(genesis)
    for deal in state.deals:
        keeper.set_deal(ctx, deal)
    keeper.set_next_deal_number(ctx, state.next_deal_number)
    for consent in state.consents:
        keeper.set_consent(ctx, consent)


def export_genesis(ctx: Context, keeper: DatadealKeeper) -> JSON:
    state = genesis_pb2.GenesisState(next_deal_number=keeper.get_next_deal_number(ctx))
    state.deals.extend(keeper.iterate_deals(ctx))
    state.consents.extend(keeper.iterate_consents(ctx))
    return to_json(state)
