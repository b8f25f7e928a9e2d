"""x/did as a module: wiring only (msg routes, the query and genesis wired to the keeper).

The reference routes its msgs through the legacy router: the action is the legacy ``Type()`` and the module emits
no events of its own (did-reference §1 "Services").
"""

from __future__ import annotations

import functools

from panacea.chain.context import Context
from panacea.chain.module import Module, MsgRoute, QueryRoute
from panacea.chain.modules.did import genesis, msgs
from panacea.chain.modules.did.events import ACTION_CREATE, ACTION_DEACTIVATE, ACTION_UPDATE
from panacea.chain.modules.did.keeper import DIDKeeper
from panacea.chain.modules.did.keys import MODULE_NAME
from panacea.chain.modules.did.queries import DIDQueries
from panacea.types.pb.panacea.did.v2 import tx_pb2


class DIDModule(Module[DIDKeeper]):
    name = MODULE_NAME

    def __init__(self, keeper: DIDKeeper) -> None:
        super().__init__(keeper, genesis)

    def routes(self) -> list[MsgRoute]:
        compat = self.keeper.reference_compat
        return [
            MsgRoute(tx_pb2.MsgCreateDID, ACTION_CREATE, msgs.signers,
                     functools.partial(msgs.validate_create_did, reference_compat=compat), self.create_did),
            MsgRoute(tx_pb2.MsgUpdateDID, ACTION_UPDATE, msgs.signers,
                     functools.partial(msgs.validate_update_did, reference_compat=compat), self.update_did),
            MsgRoute(tx_pb2.MsgDeactivateDID, ACTION_DEACTIVATE, msgs.signers, msgs.validate_deactivate_did,
                     self.deactivate_did),
        ]

    def create_did(self, ctx: Context, msg: tx_pb2.MsgCreateDID) -> tx_pb2.MsgCreateDIDResponse:
        self.keeper.create_did(ctx, msg)
        return tx_pb2.MsgCreateDIDResponse()

    def update_did(self, ctx: Context, msg: tx_pb2.MsgUpdateDID) -> tx_pb2.MsgUpdateDIDResponse:
        self.keeper.update_did(ctx, msg)
        return tx_pb2.MsgUpdateDIDResponse()

    def deactivate_did(self, ctx: Context, msg: tx_pb2.MsgDeactivateDID) -> tx_pb2.MsgDeactivateDIDResponse:
        self.keeper.deactivate_did(ctx, msg)
        return tx_pb2.MsgDeactivateDIDResponse()

    def queries(self) -> list[QueryRoute]:
        return DIDQueries(self.keeper).routes()
