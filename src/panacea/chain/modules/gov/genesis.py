"""Gov genesis: the cosmos.gov.v1beta1 GenesisState in protobuf JSON plus our ``validators`` key
(departure: the voting set is fixed by genesis, ``[{"address": "panacea1…", "power": "10"}]``)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Final

from panacea.chain import addr
from panacea.chain.coins import Coin, coins_add, coins_from_pb, coins_str, coins_valid
from panacea.chain.context import Context
from panacea.chain.decmath import ONE, ZERO
from panacea.chain.errors import ChainError
from panacea.chain.module import JSON
from panacea.chain.modules.gov.errors import ErrInvalidGenesis
from panacea.chain.modules.gov.keeper import GovKeeper, timestamp_ns
from panacea.chain.modules.gov.keys import ACTIVE_QUEUE_PREFIX, GOV_MODULE, GOV_PERMISSIONS, INACTIVE_QUEUE_PREFIX
from panacea.chain.modules.gov.params import DepositParams, TallyParams, VotingParams
from panacea.types.dec import dec_to_json
from panacea.types.pb.cosmos.gov.v1beta1 import genesis_pb2, gov_pb2
from panacea.types.protojson import from_json, to_json

VALIDATORS: Final = "validators"


@dataclass(frozen=True)
class GenesisValidator:
    address: str
    power: int


def default_genesis() -> JSON:
    state = genesis_pb2.GenesisState(starting_proposal_id=1, deposit_params=DepositParams().to_pb(),
                                     voting_params=VotingParams().to_pb(), tally_params=TallyParams().to_pb())
    return {**to_json(state), VALIDATORS: []}


def parse_genesis(genesis: JSON) -> tuple[genesis_pb2.GenesisState, list[GenesisValidator]]:
    rest = copy.deepcopy(genesis)
    raw_validators = rest.pop(VALIDATORS, [])
    if not isinstance(raw_validators, list):
        raise ErrInvalidGenesis.wrap("validators must be a list")
    validators = [_parse_validator(v) for v in raw_validators]
    try:
        state = from_json(rest, genesis_pb2.GenesisState)
    except ValueError as e:
        raise ErrInvalidGenesis.wrap(f"failed to unmarshal gov genesis state: {e}") from None
    return state, validators


def _parse_validator(v: object) -> GenesisValidator:
    if not isinstance(v, dict) or not isinstance(v.get("address"), str) or not isinstance(v.get("power"), str) \
            or set(v) != {"address", "power"}:
        raise ErrInvalidGenesis.wrap(f"invalid validator entry {v!r}: want {{\"address\", \"power\"}} strings")
    power = v["power"]
    if not power.isdigit() or int(power) <= 0:
        raise ErrInvalidGenesis.wrap(f"validator {v['address']} power must be a positive integer, is {power!r}")
    addr.parse_or(v["address"], ErrInvalidGenesis.error(), f"invalid validator address {v['address']!r}")
    return GenesisValidator(v["address"], int(power))


def validate_genesis(genesis: JSON) -> None:
    """SDK 0.45 ValidateGenesis plus the validator set (unique valid addresses, positive powers)."""
    state, validators = parse_genesis(genesis)
    tally = TallyParams.from_pb(state.tally_params)
    if tally.threshold < ZERO or tally.threshold > ONE:
        raise ErrInvalidGenesis.wrap("governance vote threshold should be positive and less or equal to one, "
                                     f"is {dec_to_json(tally.threshold)}")
    if tally.veto_threshold < ZERO or tally.veto_threshold > ONE:
        raise ErrInvalidGenesis.wrap("governance vote veto threshold should be positive and less or equal to one, "
                                     f"is {dec_to_json(tally.veto_threshold)}")
    min_deposit = coins_from_pb(state.deposit_params.min_deposit)
    if not coins_valid(min_deposit):
        raise ErrInvalidGenesis.wrap(
            f"governance deposit amount must be a valid sdk.Coins amount, is {coins_str(min_deposit)}")
    seen: set[bytes] = set()
    for v in validators:
        a = addr.parse(v.address)
        if a in seen:
            raise ErrInvalidGenesis.wrap(f"duplicate validator {v.address}")
        seen.add(a)


def init_genesis(ctx: Context, keeper: GovKeeper, genesis: JSON) -> None:
    state, validators = parse_genesis(genesis)
    keeper.set_next_proposal_id(ctx, state.starting_proposal_id)
    keeper.set_deposit_params(ctx, DepositParams.from_pb(state.deposit_params))
    keeper.set_voting_params(ctx, VotingParams.from_pb(state.voting_params))
    keeper.set_tally_params(ctx, TallyParams.from_pb(state.tally_params))
    gov_account = keeper.auth.get_or_create_module_account(ctx, GOV_MODULE, GOV_PERMISSIONS)
    total: tuple[Coin, ...] = ()
    for deposit in state.deposits:
        keeper.set_deposit(ctx, deposit)
        total = coins_add(total, coins_from_pb(deposit.amount))
    for vote in state.votes:
        keeper.set_vote(ctx, vote)
    for proposal in state.proposals:
        if proposal.status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD:
            keeper.enqueue(ctx, INACTIVE_QUEUE_PREFIX, proposal.proposal_id, timestamp_ns(proposal.deposit_end_time))
        elif proposal.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD:
            keeper.enqueue(ctx, ACTIVE_QUEUE_PREFIX, proposal.proposal_id, timestamp_ns(proposal.voting_end_time))
        keeper.set_proposal(ctx, proposal)
    for v in validators:
        keeper.set_validator(ctx, addr.parse(v.address), v.power)
    balance = tuple(keeper.bank.all_balances(ctx, gov_account.address))
    if balance != total:
        # The SDK panics: deposits and the module balance disagree after an export/import.
        raise ErrInvalidGenesis.wrap(
            f"expected module account was {coins_str(balance)} but we got {coins_str(total)}")


def export_genesis(ctx: Context, keeper: GovKeeper) -> JSON:
    proposals = keeper.proposals(ctx)
    try:
        starting_id = keeper.next_proposal_id(ctx)
    except ChainError:
        starting_id = 0  # the SDK ignores the error here too
    state = genesis_pb2.GenesisState(
        starting_proposal_id=starting_id,
        deposit_params=keeper.deposit_params(ctx).to_pb(), voting_params=keeper.voting_params(ctx).to_pb(),
        tally_params=keeper.tally_params(ctx).to_pb(), proposals=proposals)
    for p in proposals:
        state.deposits.extend(keeper.deposits(ctx, p.proposal_id))
        state.votes.extend(keeper.votes(ctx, p.proposal_id))
    validators = [{"address": addr.encode(a), "power": str(power)} for a, power in keeper.validators(ctx)]
    return {**to_json(state), VALIDATORS: validators}
