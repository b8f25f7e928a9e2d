"""x/datadeal as a module: wiring only (msg routes, queries and genesis wired to the keeper)."""

from __future__ import annotations

from panacea.chain.context import Context
from panacea.chain.module import Module, MsgRoute, QueryRoute
from panacea.chain.modules.datadeal import genesis, msgs
from panacea.chain.modules.datadeal.events import MODULE_MESSAGE
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.chain.modules.datadeal.keys import MODULE_NAME
from panacea.chain.modules.datadeal.queries import DatadealQueries
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2


class DatadealModule(Module[DatadealKeeper]):
    name = MODULE_NAME

    def __init__(self, keeper: DatadealKeeper) -> None:
        super().__init__(keeper, genesis)

    def routes(self) -> list[MsgRoute]:
        return [
            MsgRoute(tx_pb2.MsgCreateDeal, "CreateDeal", msgs.create_deal_signers, msgs.validate_create_deal,
                     self.create_deal),
            MsgRoute(tx_pb2.MsgDeactivateDeal, "DeactivateDeal", msgs.deactivate_deal_signers,
                     msgs.validate_deactivate_deal, self.deactivate_deal),
            MsgRoute(tx_pb2.MsgSubmitConsent, "SubmitConsent", msgs.submit_consent_signers,
                     msgs.validate_submit_consent, self.submit_consent),
        ]

    def create_deal(self, ctx: Context, msg: tx_pb2.MsgCreateDeal) -> tx_pb2.MsgCreateDealResponse:
        return tx_pb2.MsgCreateDealResponse(deal_id=self.keeper.create_deal(ctx, msg))

    def deactivate_deal(self, ctx: Context, msg: tx_pb2.MsgDeactivateDeal) -> tx_pb2.MsgDeactivateDealResponse:
        self.keeper.deactivate_deal(ctx, msg)
        return tx_pb2.MsgDeactivateDealResponse()

    def submit_consent(self, ctx: Context, msg: tx_pb2.MsgSubmitConsent) -> tx_pb2.MsgSubmitConsentResponse:
        self.keeper.submit_consent(ctx, msg.consent)
        ctx.emit(MODULE_MESSAGE)  # after the reward transfers (§2.10)
        return tx_pb2.MsgSubmitConsentResponse()

    def queries(self) -> list[QueryRoute]:
        return DatadealQueries(self.keeper).routes()
