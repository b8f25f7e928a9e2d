"""x/bank as a module: wiring only (the MsgSend route, queries and genesis wired to the keeper)."""

from __future__ import annotations

from panacea.chain import addr
from panacea.chain.coins import coins_from_pb
from panacea.chain.context import Context
from panacea.chain.module import Module, MsgRoute, QueryRoute
from panacea.chain.modules.bank import genesis, msgs
from panacea.chain.modules.bank.events import MODULE_MESSAGE
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.bank.keys import MODULE_NAME
from panacea.chain.modules.bank.queries import BankQueries
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2


class BankModule(Module[BankKeeper]):
    name = MODULE_NAME

    def __init__(self, keeper: BankKeeper) -> None:
        super().__init__(keeper, genesis)

    def routes(self) -> list[MsgRoute]:
        return [MsgRoute(tx_pb2.MsgSend, "send", msgs.send_signers, msgs.validate_send, self.send)]

    def send(self, ctx: Context, msg: tx_pb2.MsgSend) -> tx_pb2.MsgSendResponse:
        self.keeper.send_user(ctx, addr.parse(msg.from_address), addr.parse(msg.to_address), coins_from_pb(msg.amount))
        ctx.emit(MODULE_MESSAGE)
        return tx_pb2.MsgSendResponse()

    def queries(self) -> list[QueryRoute]:
        return BankQueries(self.keeper).routes()
