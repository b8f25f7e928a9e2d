"""x/gov keeper (SDK 0.45 semantics, validators fixed by genesis): the only writer of the ``gov/`` store
(its layout: :mod:`panacea.chain.modules.gov.keys`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Final

from google.protobuf import timestamp_pb2

from panacea.chain import addr
from panacea.chain.coins import Coin, coins_add, coins_all_gte, coins_from_pb, coins_str, coins_to_pb
from panacea.chain.context import Context
from panacea.chain.decmath import ONE, ZERO
from panacea.chain.errors import ChainError
from panacea.chain.events import Event
from panacea.chain.kv import prefix_end
from panacea.chain.modules.gov import events as ev
from panacea.chain.modules.gov.content import Content, unpack_content
from panacea.chain.modules.gov.errors import (
    ErrInactiveProposal,
    ErrInvalidGenesis,
    ErrInvalidProposalContent,
    ErrInvalidVote,
    ErrSettingParameter,
    ErrUnknownProposal,
    ErrUnknownSubspace,
    not_validator,
)
from panacea.chain.modules.gov.expected_keepers import AccountKeeper, BankKeeper, OracleProposals
from panacea.chain.modules.gov.keys import (
    ACTIVE_QUEUE_PREFIX,
    DEPOSIT_PARAMS_KEY,
    FEE_COLLECTOR,
    GOV_MODULE,
    GOV_PERMISSIONS,
    INACTIVE_QUEUE_PREFIX,
    PROPOSAL_ID_KEY,
    PROPOSALS_PREFIX,
    STORE,
    TALLY_PARAMS_KEY,
    VALIDATORS_PREFIX,
    VOTING_PARAMS_KEY,
    be64,
    deposits_prefix,
    length_prefixed,
    proposal_key,
    votes_prefix,
)
from panacea.chain.modules.gov.params import (
    KEY_DEPOSIT_PARAMS,
    KEY_TALLY_PARAMS,
    KEY_VOTING_PARAMS,
    DepositParams,
    ParamError,
    TallyParams,
    VotingParams,
    update_deposit_params,
    update_tally_params,
    update_voting_params,
)
from panacea.chain.modules.gov.tally import TallyOutcome, ValidatorVote, WeightedOption, empty_result, tally
from panacea.types.anyutil import pack_any
from panacea.types.dec import dec_from_wire, dec_to_json, dec_to_wire
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2
from panacea.types.pb.cosmos.params.v1beta1 import params_pb2
from panacea.types.pb.panacea.oracle.v2 import proposal_pb2

NANOS: Final = 1_000_000_000
GO_ZERO_TIME_SECONDS: Final = -62_135_596_800  # time.Time{} (0001-01-01T00:00:00Z): unset voting times

OPEN_STATUSES: Final = (gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD, gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD)


def timestamp(ns: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=ns // NANOS, nanos=ns % NANOS)


def timestamp_ns(t: timestamp_pb2.Timestamp) -> int:
    return t.seconds * NANOS + t.nanos


def vote_options(vote: gov_pb2.Vote) -> list[WeightedOption]:
    return [WeightedOption(o.option, dec_from_wire(o.weight)) for o in vote.options]


def valid_weighted_option(o: WeightedOption) -> bool:
    """types.ValidWeightedVoteOption."""
    return ZERO < o.weight <= ONE and o.option in (gov_pb2.VOTE_OPTION_YES, gov_pb2.VOTE_OPTION_ABSTAIN,
                                                   gov_pb2.VOTE_OPTION_NO, gov_pb2.VOTE_OPTION_NO_WITH_VETO)


def option_str(o: WeightedOption) -> str:
    """WeightedVoteOption.String(): Go's json.Marshal (``option`` is omitempty)."""
    fields = {"option": o.option} if o.option else {}
    return json.dumps({**fields, "weight": dec_to_json(o.weight)}, separators=(",", ":"))


def options_str(options: Sequence[WeightedOption]) -> str:
    return "\n".join(option_str(o) for o in options)


class GovKeeper:
    def __init__(self, auth: AccountKeeper, bank: BankKeeper, oracle: OracleProposals) -> None:
        self.auth = auth
        self.bank = bank
        self.oracle = oracle

    # --- params ----------------------------------------------------------------------------------------
    def deposit_params(self, ctx: Context) -> DepositParams:
        raw = ctx.kv(STORE).get(DEPOSIT_PARAMS_KEY)
        return DepositParams.from_pb(gov_pb2.DepositParams.FromString(raw)) if raw is not None else DepositParams()

    def set_deposit_params(self, ctx: Context, params: DepositParams) -> None:
        ctx.kv(STORE).set(DEPOSIT_PARAMS_KEY, params.to_pb().SerializeToString(deterministic=True))

    def voting_params(self, ctx: Context) -> VotingParams:
        raw = ctx.kv(STORE).get(VOTING_PARAMS_KEY)
        return VotingParams.from_pb(gov_pb2.VotingParams.FromString(raw)) if raw is not None else VotingParams()

    def set_voting_params(self, ctx: Context, params: VotingParams) -> None:
        ctx.kv(STORE).set(VOTING_PARAMS_KEY, params.to_pb().SerializeToString(deterministic=True))

    def tally_params(self, ctx: Context) -> TallyParams:
        raw = ctx.kv(STORE).get(TALLY_PARAMS_KEY)
        return TallyParams.from_pb(gov_pb2.TallyParams.FromString(raw)) if raw is not None else TallyParams()

    def set_tally_params(self, ctx: Context, params: TallyParams) -> None:
        ctx.kv(STORE).set(TALLY_PARAMS_KEY, params.to_pb().SerializeToString(deterministic=True))

    # --- validators (departure: fixed by genesis, power stands in for bonded tokens) ---------------------
    def set_validator(self, ctx: Context, address: bytes, power: int) -> None:
        ctx.kv(STORE).set(VALIDATORS_PREFIX + length_prefixed(address), str(power).encode())

    def validator_power(self, ctx: Context, address: bytes) -> int | None:
        raw = ctx.kv(STORE).get(VALIDATORS_PREFIX + length_prefixed(address))
        return int(raw.decode()) if raw is not None else None

    def validators(self, ctx: Context) -> list[tuple[bytes, int]]:
        """(address, power) in address-key order."""
        kv = ctx.kv(STORE)
        return [(k[2:], int(v.decode())) for k, v in kv.iterate(VALIDATORS_PREFIX, prefix_end(VALIDATORS_PREFIX))]

    # --- proposal ids ------------------------------------------------------------------------------------
    def next_proposal_id(self, ctx: Context) -> int:
        raw = ctx.kv(STORE).get(PROPOSAL_ID_KEY)
        if raw is None:
            raise ErrInvalidGenesis.wrap("initial proposal ID hasn't been set")
        return int.from_bytes(raw, "big")

    def set_next_proposal_id(self, ctx: Context, proposal_id: int) -> None:
        ctx.kv(STORE).set(PROPOSAL_ID_KEY, be64(proposal_id))

    # --- proposals ---------------------------------------------------------------------------------------
    def get_proposal(self, ctx: Context, proposal_id: int) -> gov_pb2.Proposal | None:
        raw = ctx.kv(STORE).get(proposal_key(proposal_id))
        return gov_pb2.Proposal.FromString(raw) if raw is not None else None

    def set_proposal(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        ctx.kv(STORE).set(proposal_key(proposal.proposal_id), proposal.SerializeToString(deterministic=True))

    def delete_proposal(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        self._dequeue(ctx, INACTIVE_QUEUE_PREFIX, proposal.proposal_id, timestamp_ns(proposal.deposit_end_time))
        self._dequeue(ctx, ACTIVE_QUEUE_PREFIX, proposal.proposal_id, timestamp_ns(proposal.voting_end_time))
        ctx.kv(STORE).delete(proposal_key(proposal.proposal_id))

    def proposals(self, ctx: Context) -> list[gov_pb2.Proposal]:
        kv = ctx.kv(STORE)
        return [gov_pb2.Proposal.FromString(v) for _k, v in kv.iterate(PROPOSALS_PREFIX, prefix_end(PROPOSALS_PREFIX))]

    def _open_proposal(self, ctx: Context, proposal_id: int, statuses: tuple[int, ...]) -> gov_pb2.Proposal:
        proposal = self.get_proposal(ctx, proposal_id)
        if proposal is None:
            raise ErrUnknownProposal.wrap(str(proposal_id))
        if proposal.status not in statuses:
            raise ErrInactiveProposal.wrap(str(proposal_id))
        return proposal

    # --- queues ------------------------------------------------------------------------------------------
    def enqueue(self, ctx: Context, queue: bytes, proposal_id: int, time_ns: int) -> None:
        ctx.kv(STORE).set(queue + be64(time_ns) + be64(proposal_id), be64(proposal_id))

    def _dequeue(self, ctx: Context, queue: bytes, proposal_id: int, time_ns: int) -> None:
        if time_ns >= 0:  # the zero Go time (unset) never reached a queue
            ctx.kv(STORE).delete(queue + be64(time_ns) + be64(proposal_id))

    def _due(self, ctx: Context, queue: bytes, now_ns: int) -> list[int]:
        """Queued ids whose time is <= now, ordered by (time, id)."""
        kv = ctx.kv(STORE)
        return [int.from_bytes(v, "big") for _k, v in kv.iterate(queue, prefix_end(queue + be64(now_ns)))]

    # --- submit / deposit --------------------------------------------------------------------------------
    def submit_proposal(self, ctx: Context, content: Content) -> gov_pb2.Proposal:
        """SubmitProposal: the content handler first runs in a discarded branch to vet the content."""
        branch, _ = ctx.branch()
        try:
            self.execute_content(branch, content)
        except ChainError as e:
            raise ErrInvalidProposalContent.wrap(e.log) from None
        proposal_id = self.next_proposal_id(ctx)
        now = ctx.time_ns
        deposit_end = now + self.deposit_params(ctx).max_deposit_period_ns
        zero = timestamp_pb2.Timestamp(seconds=GO_ZERO_TIME_SECONDS)
        proposal = gov_pb2.Proposal(
            proposal_id=proposal_id, content=pack_any(content), status=gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD,
            final_tally_result=empty_result(), submit_time=timestamp(now), deposit_end_time=timestamp(deposit_end),
            voting_start_time=zero, voting_end_time=zero)
        self.set_proposal(ctx, proposal)
        self.enqueue(ctx, INACTIVE_QUEUE_PREFIX, proposal_id, deposit_end)
        self.set_next_proposal_id(ctx, proposal_id + 1)
        ctx.emit(Event.of(ev.SUBMIT_PROPOSAL, (ev.PROPOSAL_ID, str(proposal_id))))
        return proposal

    def activate_voting_period(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        now = ctx.time_ns
        end = now + self.voting_params(ctx).voting_period_ns
        proposal.voting_start_time.CopyFrom(timestamp(now))
        proposal.voting_end_time.CopyFrom(timestamp(end))
        proposal.status = gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
        self.set_proposal(ctx, proposal)
        self._dequeue(ctx, INACTIVE_QUEUE_PREFIX, proposal.proposal_id, timestamp_ns(proposal.deposit_end_time))
        self.enqueue(ctx, ACTIVE_QUEUE_PREFIX, proposal.proposal_id, end)

    def add_deposit(self, ctx: Context, proposal_id: int, depositor: bytes, amount: list[Coin]) -> bool:
        """AddDeposit; True when this deposit moved the proposal into its voting period."""
        proposal = self._open_proposal(ctx, proposal_id, OPEN_STATUSES)
        self.auth.get_or_create_module_account(ctx, GOV_MODULE, GOV_PERMISSIONS)
        self.bank.send_to_module(ctx, depositor, GOV_MODULE, amount)
        total = coins_add(coins_from_pb(proposal.total_deposit), amount)
        del proposal.total_deposit[:]
        proposal.total_deposit.extend(coins_to_pb(total))
        self.set_proposal(ctx, proposal)
        activated = False
        if proposal.status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD \
                and coins_all_gte(total, self.deposit_params(ctx).min_deposit):
            self.activate_voting_period(ctx, proposal)
            activated = True
        deposit = self.get_deposit(ctx, proposal_id, depositor)
        before = coins_from_pb(deposit.amount) if deposit is not None else ()
        ctx.emit(Event.of(ev.PROPOSAL_DEPOSIT, (ev.AMOUNT, coins_str(amount)), (ev.PROPOSAL_ID, str(proposal_id))))
        self.set_deposit(ctx, gov_pb2.Deposit(proposal_id=proposal_id, depositor=addr.encode(depositor),
                                              amount=coins_to_pb(coins_add(before, amount))))
        return activated

    def get_deposit(self, ctx: Context, proposal_id: int, depositor: bytes) -> gov_pb2.Deposit | None:
        raw = ctx.kv(STORE).get(deposits_prefix(proposal_id) + length_prefixed(depositor))
        return gov_pb2.Deposit.FromString(raw) if raw is not None else None

    def set_deposit(self, ctx: Context, deposit: gov_pb2.Deposit) -> None:
        key = deposits_prefix(deposit.proposal_id) + length_prefixed(addr.parse(deposit.depositor))
        ctx.kv(STORE).set(key, deposit.SerializeToString(deterministic=True))

    def deposits(self, ctx: Context, proposal_id: int) -> list[gov_pb2.Deposit]:
        prefix = deposits_prefix(proposal_id)
        return [gov_pb2.Deposit.FromString(v) for _k, v in ctx.kv(STORE).iterate(prefix, prefix_end(prefix))]

    def refund_deposits(self, ctx: Context, proposal_id: int) -> None:
        self._pay_out_deposits(ctx, proposal_id, None)

    def _pay_out_deposits(self, ctx: Context, proposal_id: int, recipient: bytes | None) -> None:
        """Return each deposit to its depositor (recipient None) or send it to ``recipient``; delete it."""
        gov_address = self.auth.get_or_create_module_account(ctx, GOV_MODULE, GOV_PERMISSIONS).address
        kv = ctx.kv(STORE)
        for deposit in self.deposits(ctx, proposal_id):
            depositor = addr.parse(deposit.depositor)
            target = recipient if recipient is not None else depositor
            self.bank.send(ctx, gov_address, target, list(coins_from_pb(deposit.amount)))
            kv.delete(deposits_prefix(proposal_id) + length_prefixed(depositor))

    # --- votes -------------------------------------------------------------------------------------------
    def add_vote(self, ctx: Context, proposal_id: int, voter: bytes, options: Sequence[WeightedOption]) -> None:
        self._open_proposal(ctx, proposal_id, (gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD,))
        for o in options:
            if not valid_weighted_option(o):
                raise ErrInvalidVote.wrap(option_str(o))
        voter_bech32 = addr.encode(voter)
        if self.validator_power(ctx, voter) is None:
            raise not_validator(voter_bech32)
        self.set_vote(ctx, gov_pb2.Vote(
            proposal_id=proposal_id, voter=voter_bech32,
            options=[gov_pb2.WeightedVoteOption(option=o.option, weight=dec_to_wire(o.weight)) for o in options]))
        ctx.emit(Event.of(ev.PROPOSAL_VOTE, (ev.OPTION, options_str(options)), (ev.PROPOSAL_ID, str(proposal_id))))

    def get_vote(self, ctx: Context, proposal_id: int, voter: bytes) -> gov_pb2.Vote | None:
        raw = ctx.kv(STORE).get(votes_prefix(proposal_id) + length_prefixed(voter))
        return with_legacy_option(gov_pb2.Vote.FromString(raw)) if raw is not None else None

    def set_vote(self, ctx: Context, vote: gov_pb2.Vote) -> None:
        """The deprecated single ``option`` is never stored (SDK 0.45 SetVote)."""
        stored = gov_pb2.Vote(proposal_id=vote.proposal_id, voter=vote.voter, options=vote.options)
        key = votes_prefix(vote.proposal_id) + length_prefixed(addr.parse(vote.voter))
        ctx.kv(STORE).set(key, stored.SerializeToString(deterministic=True))

    def votes(self, ctx: Context, proposal_id: int) -> list[gov_pb2.Vote]:
        prefix = votes_prefix(proposal_id)
        return [with_legacy_option(gov_pb2.Vote.FromString(v))
                for _k, v in ctx.kv(STORE).iterate(prefix, prefix_end(prefix))]

    # --- tally and end block -----------------------------------------------------------------------------
    def tally(self, ctx: Context, proposal: gov_pb2.Proposal, *, consume_votes: bool) -> TallyOutcome:
        """Votes of non-validators count for nothing; ``consume_votes`` deletes them all like the SDK."""
        powers = dict(self.validators(ctx))
        counted = []
        kv = ctx.kv(STORE)
        for vote in self.votes(ctx, proposal.proposal_id):
            voter = addr.parse(vote.voter)
            if voter in powers:
                counted.append(ValidatorVote(powers[voter], vote_options(vote)))
            if consume_votes:
                kv.delete(votes_prefix(proposal.proposal_id) + length_prefixed(voter))
        return tally(counted, sum(powers.values()), self.tally_params(ctx))

    def end_block(self, ctx: Context) -> None:
        now = ctx.time_ns
        for proposal_id in self._due(ctx, INACTIVE_QUEUE_PREFIX, now):
            proposal = self._queued(ctx, proposal_id)
            self.delete_proposal(ctx, proposal)
            self.refund_deposits(ctx, proposal_id)  # Departure: the SDK burns them (we have no burn).
            ctx.emit(Event.of(ev.INACTIVE_PROPOSAL, (ev.PROPOSAL_ID, str(proposal_id)),
                              (ev.PROPOSAL_RESULT, ev.DROPPED)))
        for proposal_id in self._due(ctx, ACTIVE_QUEUE_PREFIX, now):
            self._close_voting(ctx, self._queued(ctx, proposal_id))

    def _queued(self, ctx: Context, proposal_id: int) -> gov_pb2.Proposal:
        proposal = self.get_proposal(ctx, proposal_id)
        if proposal is None:
            raise AssertionError(f"proposal {proposal_id} does not exist")  # the SDK panics here too
        return proposal

    def _close_voting(self, ctx: Context, proposal: gov_pb2.Proposal) -> None:
        proposal_id = proposal.proposal_id
        outcome = self.tally(ctx, proposal, consume_votes=True)
        if outcome.vetoed:
            # Departure: the SDK burns vetoed deposits; they go to the fee collector instead.
            fee_collector = self.auth.get_or_create_module_account(ctx, FEE_COLLECTOR).address
            self._pay_out_deposits(ctx, proposal_id, fee_collector)
        else:
            # Departure: the SDK also burns on a missed quorum; here every non-vetoed deposit is refunded.
            self.refund_deposits(ctx, proposal_id)
        if not outcome.passes:
            proposal.status, result = gov_pb2.PROPOSAL_STATUS_REJECTED, ev.REJECTED
        elif self._execute_branched(ctx, unpack_content(proposal.content)):
            proposal.status, result = gov_pb2.PROPOSAL_STATUS_PASSED, ev.PASSED
        else:
            proposal.status, result = gov_pb2.PROPOSAL_STATUS_FAILED, ev.FAILED
        proposal.final_tally_result.CopyFrom(outcome.result)
        self.set_proposal(ctx, proposal)
        self._dequeue(ctx, ACTIVE_QUEUE_PREFIX, proposal_id, timestamp_ns(proposal.voting_end_time))
        ctx.emit(Event.of(ev.ACTIVE_PROPOSAL, (ev.PROPOSAL_ID, str(proposal_id)), (ev.PROPOSAL_RESULT, result)))

    def _execute_branched(self, ctx: Context, content: Content) -> bool:
        """Run a passed proposal's handler; its writes and events are kept only if it succeeds."""
        branch, cache = ctx.branch()
        try:
            self.execute_content(branch, content)
        except ChainError:
            return False
        cache.write()
        ctx.events.extend(branch.events)
        return True

    # --- proposal handlers (the SDK's gov router) --------------------------------------------------------
    def execute_content(self, ctx: Context, content: Content) -> None:
        if isinstance(content, proposal_pb2.OracleUpgradeProposal):
            self.oracle.apply_upgrade_proposal(ctx, content)
        elif isinstance(content, params_pb2.ParameterChangeProposal):
            for change in content.changes:
                self._change_param(ctx, change)

    def _change_param(self, ctx: Context, change: params_pb2.ParamChange) -> None:
        """x/params handleParameterChangeProposal for the two subspaces this chain has."""
        key, value = change.key, change.value
        if change.subspace not in ("oracle", "gov"):
            raise ErrUnknownSubspace.wrap(change.subspace)
        try:
            if change.subspace == "oracle":
                self.oracle.param_change(ctx, key, value)
            else:
                self._change_gov_param(ctx, key, value)
        except ParamError as e:
            raise setting_failed(key, value, str(e)) from None
        except ChainError as err:
            raise err if err.is_(ErrSettingParameter) else setting_failed(key, value, err.log) from None

    def _change_gov_param(self, ctx: Context, key: str, value: str) -> None:
        if key == KEY_DEPOSIT_PARAMS:
            deposit = update_deposit_params(self.deposit_params(ctx), value)
            deposit.validate()
            self.set_deposit_params(ctx, deposit)
        elif key == KEY_VOTING_PARAMS:
            voting = update_voting_params(self.voting_params(ctx), value)
            voting.validate()
            self.set_voting_params(ctx, voting)
        elif key == KEY_TALLY_PARAMS:
            tally_params = update_tally_params(self.tally_params(ctx), value)
            tally_params.validate()
            self.set_tally_params(ctx, tally_params)
        else:
            raise ParamError(f"parameter {key} not registered")  # the SDK panics (Subspace.Update)


def setting_failed(key: str, value: str, cause: str) -> ChainError:
    return ErrSettingParameter.wrap(f"key: {key}, value: {value}, err: {cause}")


def with_legacy_option(vote: gov_pb2.Vote) -> gov_pb2.Vote:
    """populateLegacyOption: a single full-weight option is mirrored into the deprecated field."""
    if len(vote.options) == 1 and dec_from_wire(vote.options[0].weight) == ONE:
        vote.option = vote.options[0].option
    return vote
