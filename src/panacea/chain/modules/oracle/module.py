"""x/oracle as a module: wiring only (msg routes, queries, genesis and the upgrade BeginBlocker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf.message import Message

from panacea.chain.context import Context
from panacea.chain.module import Module, MsgRoute, QueryRoute
from panacea.chain.modules.oracle import genesis, msgs
from panacea.chain.modules.oracle.events import MODULE_MESSAGE
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.chain.modules.oracle.keys import MODULE_NAME
from panacea.chain.modules.oracle.queries import OracleQueries
from panacea.types.pb.panacea.oracle.v2 import tx_pb2


def _oracle_signer(msg: Any) -> list[str]:
    return [msg.oracle_address]


class OracleModule(Module[OracleKeeper]):
    name = MODULE_NAME

    def __init__(self, keeper: OracleKeeper) -> None:
        super().__init__(keeper, genesis)

    def routes(self) -> list[MsgRoute]:
        k = self.keeper
        return [
            MsgRoute(tx_pb2.MsgRegisterOracle, "RegisterOracle", _oracle_signer, msgs.validate_register_oracle,
                     _handler(k.register_oracle, tx_pb2.MsgRegisterOracleResponse)),
            MsgRoute(tx_pb2.MsgApproveOracleRegistration, "ApproveOracleRegistration", msgs.approval_signers,
                     msgs.validate_approve_oracle_registration,
                     _handler(k.approve_oracle_registration, tx_pb2.MsgApproveOracleRegistrationResponse)),
            MsgRoute(tx_pb2.MsgUpdateOracleInfo, "UpdateOracleInfo", _oracle_signer, msgs.validate_update_oracle_info,
                     _handler(k.update_oracle_info, tx_pb2.MsgUpdateOracleInfoResponse)),
            # REF (§3.8): the UpgradeOracle msg server emits no message{module} event.
            MsgRoute(tx_pb2.MsgUpgradeOracle, "UpgradeOracle", _oracle_signer, msgs.validate_upgrade_oracle,
                     _handler(k.upgrade_oracle, tx_pb2.MsgUpgradeOracleResponse, module_event=False)),
            MsgRoute(tx_pb2.MsgApproveOracleUpgrade, "ApproveOracleUpgrade", msgs.approval_signers,
                     msgs.validate_approve_oracle_upgrade,
                     _handler(k.approve_oracle_upgrade, tx_pb2.MsgApproveOracleUpgradeResponse)),
        ]

    def queries(self) -> list[QueryRoute]:
        return OracleQueries(self.keeper).routes()

    def begin_block(self, ctx: Context) -> None:
        self.keeper.begin_block(ctx)


def _handler(run: Callable[[Context, Any], None], response: type[Message], *,
             module_event: bool = True) -> Callable[[Context, Any], Message]:
    """The msg server: keeper call, then ``message{module=oracle}`` like the reference."""
    def handle(ctx: Context, msg: Any) -> Message:
        run(ctx, msg)
        if module_event:
            ctx.emit(MODULE_MESSAGE)
        return response()
    return handle
