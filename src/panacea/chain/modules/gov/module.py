"""x/gov as a module: msg handlers (SDK 0.45 ``keeper/msg_server.go``), genesis, queries, EndBlocker."""

from __future__ import annotations

from panacea.chain import addr
from panacea.chain.context import Context
from panacea.chain.decmath import ONE
from panacea.chain.events import Event
from panacea.chain.module import JSON, Module, MsgRoute, QueryRoute
from panacea.chain.modules.gov import events as ev
from panacea.chain.modules.gov import genesis
from panacea.chain.modules.gov.content import proposal_type
from panacea.chain.modules.gov.keeper import GovKeeper
from panacea.chain.modules.gov.msgs import (
    deposit_coins,
    proposal_content,
    validate_deposit,
    validate_submit_proposal,
    validate_vote,
    validate_vote_weighted,
    weighted_options,
)
from panacea.chain.modules.gov.queries import GovQueries
from panacea.chain.modules.gov.tally import WeightedOption
from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2


def _module_message(ctx: Context, sender: str) -> None:
    ctx.emit(Event.of("message", ("module", ev.CATEGORY), ("sender", sender)))


class GovModule(Module):
    name = "gov"

    def __init__(self, keeper: GovKeeper) -> None:
        self.keeper = keeper

    def routes(self) -> list[MsgRoute]:
        return [
            MsgRoute(tx_pb2.MsgSubmitProposal, "submit_proposal", lambda m: [m.proposer],
                     validate_submit_proposal, self.submit_proposal),
            MsgRoute(tx_pb2.MsgDeposit, "deposit", lambda m: [m.depositor], validate_deposit, self.deposit),
            MsgRoute(tx_pb2.MsgVote, "vote", lambda m: [m.voter], validate_vote, self.vote),
            MsgRoute(tx_pb2.MsgVoteWeighted, "weighted_vote", lambda m: [m.voter], validate_vote_weighted,
                     self.vote_weighted),
        ]

    # --- msg server ----------------------------------------------------------------------------------------
    def submit_proposal(self, ctx: Context, msg: tx_pb2.MsgSubmitProposal) -> tx_pb2.MsgSubmitProposalResponse:
        content = proposal_content(msg)
        proposer = addr.parse_or(msg.proposer, detail="invalid proposer address")
        proposal = self.keeper.submit_proposal(ctx, content)
        started = self.keeper.add_deposit(ctx, proposal.proposal_id, proposer, deposit_coins(msg))
        _module_message(ctx, msg.proposer)
        attrs = [(ev.PROPOSAL_TYPE, proposal_type(content))]
        if started:
            attrs.append((ev.VOTING_PERIOD_START, str(proposal.proposal_id)))
        ctx.emit(Event.of(ev.SUBMIT_PROPOSAL, *attrs))
        return tx_pb2.MsgSubmitProposalResponse(proposal_id=proposal.proposal_id)

    def deposit(self, ctx: Context, msg: tx_pb2.MsgDeposit) -> tx_pb2.MsgDepositResponse:
        depositor = addr.parse_or(msg.depositor, detail="invalid depositor address")
        started = self.keeper.add_deposit(ctx, msg.proposal_id, depositor, deposit_coins(msg))
        _module_message(ctx, msg.depositor)
        if started:
            ctx.emit(Event.of(ev.PROPOSAL_DEPOSIT, (ev.VOTING_PERIOD_START, str(msg.proposal_id))))
        return tx_pb2.MsgDepositResponse()

    def vote(self, ctx: Context, msg: tx_pb2.MsgVote) -> tx_pb2.MsgVoteResponse:
        voter = addr.parse_or(msg.voter, detail="invalid voter address")
        self.keeper.add_vote(ctx, msg.proposal_id, voter, [WeightedOption(msg.option, ONE)])
        _module_message(ctx, msg.voter)
        return tx_pb2.MsgVoteResponse()

    def vote_weighted(self, ctx: Context, msg: tx_pb2.MsgVoteWeighted) -> tx_pb2.MsgVoteWeightedResponse:
        voter = addr.parse_or(msg.voter, detail="invalid voter address")
        self.keeper.add_vote(ctx, msg.proposal_id, voter, weighted_options(msg.options))
        _module_message(ctx, msg.voter)
        return tx_pb2.MsgVoteWeightedResponse()

    # --- genesis, queries, blocks ----------------------------------------------------------------------------
    def default_genesis(self) -> JSON:
        return genesis.default_genesis()

    def validate_genesis(self, state: JSON) -> None:
        genesis.validate_genesis(state)

    def init_genesis(self, ctx: Context, state: JSON) -> None:
        genesis.init_genesis(self.keeper, ctx, state)

    def export_genesis(self, ctx: Context) -> JSON:
        return genesis.export_genesis(self.keeper, ctx)

    def queries(self) -> list[QueryRoute]:
        return GovQueries(self.keeper).routes()

    def end_block(self, ctx: Context) -> None:
        self.keeper.end_block(ctx)
