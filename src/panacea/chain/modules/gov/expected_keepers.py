"""What x/gov needs from x/auth, x/bank and x/oracle (the Cosmos ``expected_keepers`` pattern)."""

from __future__ import annotations

from typing import Protocol

from panacea.chain.coins import Coin
from panacea.chain.context import Context
from panacea.chain.modules.auth.keeper import Account
from panacea.types.pb.panacea.oracle.v2 import proposal_pb2


class AccountKeeper(Protocol):
    def get_or_create_module_account(self, ctx: Context, name: str, permissions: tuple[str, ...] = ()) -> Account: ...


class BankKeeper(Protocol):
    def send(self, ctx: Context, sender: bytes, recipient: bytes, coins: list[Coin]) -> None: ...

    def send_to_module(self, ctx: Context, sender: bytes, module: str, coins: list[Coin]) -> None: ...

    def all_balances(self, ctx: Context, address: bytes) -> list[Coin]: ...


class OracleProposals(Protocol):
    """What gov needs from the oracle keeper (the SDK's proposal router entries for ``oracle``)."""

    def apply_upgrade_proposal(self, ctx: Context, proposal: proposal_pb2.OracleUpgradeProposal) -> None: ...

    def param_change(self, ctx: Context, key: str, value_json: str) -> None: ...
