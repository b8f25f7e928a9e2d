"""x/gov as a module: wiring only (msg routes to the msg server, queries, genesis, the EndBlocker)."""

from __future__ import annotations

from panacea.chain.context import Context
from panacea.chain.module import Module, MsgRoute, QueryRoute
from panacea.chain.modules.gov import genesis, msgs
from panacea.chain.modules.gov.keeper import GovKeeper
from panacea.chain.modules.gov.keys import MODULE_NAME
from panacea.chain.modules.gov.msg_server import GovMsgServer
from panacea.chain.modules.gov.queries import GovQueries
from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2


class GovModule(Module[GovKeeper]):
    name = MODULE_NAME

    def __init__(self, keeper: GovKeeper) -> None:
        super().__init__(keeper, genesis)
        self.msg_server = GovMsgServer(keeper)

    def routes(self) -> list[MsgRoute]:
        server = self.msg_server
        return [
            MsgRoute(tx_pb2.MsgSubmitProposal, "submit_proposal", msgs.submit_proposal_signers,
                     msgs.validate_submit_proposal, server.submit_proposal),
            MsgRoute(tx_pb2.MsgDeposit, "deposit", msgs.deposit_signers, msgs.validate_deposit, server.deposit),
            MsgRoute(tx_pb2.MsgVote, "vote", msgs.vote_signers, msgs.validate_vote, server.vote),
            MsgRoute(tx_pb2.MsgVoteWeighted, "weighted_vote", msgs.vote_signers, msgs.validate_vote_weighted,
                     server.vote_weighted),
        ]

    def queries(self) -> list[QueryRoute]:
        return GovQueries(self.keeper).routes()

    def end_block(self, ctx: Context) -> None:
        self.keeper.end_block(ctx)
