"""x/gov msg server (SDK 0.45 ``keeper/msg_server.go``): each handler calls the keeper, then emits
``message{module=governance, sender}`` and the handler's own event, in the SDK's order."""

from __future__ import annotations

from panacea.chain import addr
from panacea.chain.context import Context
from panacea.chain.decmath import ONE
from panacea.chain.events import Event, module_message
from panacea.chain.modules.gov import events as ev
from panacea.chain.modules.gov.content import proposal_type
from panacea.chain.modules.gov.keeper import GovKeeper
from panacea.chain.modules.gov.msgs import deposit_coins, proposal_content, weighted_options
from panacea.chain.modules.gov.tally import WeightedOption
from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2


class GovMsgServer:
    def __init__(self, keeper: GovKeeper) -> None:
        self.keeper = keeper

    def submit_proposal(self, ctx: Context, msg: tx_pb2.MsgSubmitProposal) -> tx_pb2.MsgSubmitProposalResponse:
        content = proposal_content(msg)
        proposer = addr.parse_or(msg.proposer, detail="invalid proposer address")
        proposal = self.keeper.submit_proposal(ctx, content)
        started = self.keeper.add_deposit(ctx, proposal.proposal_id, proposer, deposit_coins(msg))
        ctx.emit(module_message(ev.CATEGORY, msg.proposer))
        attrs = [(ev.PROPOSAL_TYPE, proposal_type(content))]
        if started:
            attrs.append((ev.VOTING_PERIOD_START, str(proposal.proposal_id)))
        ctx.emit(Event.of(ev.SUBMIT_PROPOSAL, *attrs))
        return tx_pb2.MsgSubmitProposalResponse(proposal_id=proposal.proposal_id)

    def deposit(self, ctx: Context, msg: tx_pb2.MsgDeposit) -> tx_pb2.MsgDepositResponse:
        depositor = addr.parse_or(msg.depositor, detail="invalid depositor address")
        started = self.keeper.add_deposit(ctx, msg.proposal_id, depositor, deposit_coins(msg))
        ctx.emit(module_message(ev.CATEGORY, msg.depositor))
        if started:
            ctx.emit(Event.of(ev.PROPOSAL_DEPOSIT, (ev.VOTING_PERIOD_START, str(msg.proposal_id))))
        return tx_pb2.MsgDepositResponse()

    def vote(self, ctx: Context, msg: tx_pb2.MsgVote) -> tx_pb2.MsgVoteResponse:
        voter = addr.parse_or(msg.voter, detail="invalid voter address")
        self.keeper.add_vote(ctx, msg.proposal_id, voter, [WeightedOption(msg.option, ONE)])
        ctx.emit(module_message(ev.CATEGORY, msg.voter))
        return tx_pb2.MsgVoteResponse()

    def vote_weighted(self, ctx: Context, msg: tx_pb2.MsgVoteWeighted) -> tx_pb2.MsgVoteWeightedResponse:
        voter = addr.parse_or(msg.voter, detail="invalid voter address")
        self.keeper.add_vote(ctx, msg.proposal_id, voter, weighted_options(msg.options))
        ctx.emit(module_message(ev.CATEGORY, msg.voter))
        return tx_pb2.MsgVoteWeightedResponse()
