"""What x/datadeal needs from x/auth, x/bank and x/oracle (the Cosmos ``expected_keepers`` pattern)."""

from __future__ import annotations

from typing import Protocol

from panacea.chain.coins import Coin
from panacea.chain.context import Context
from panacea.chain.modules.auth.keeper import Account
from panacea.chain.modules.bank.keeper import Payer
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2


class AccountKeeper(Protocol):
    def get_account(self, ctx: Context, address: bytes) -> Account | None: ...

    def set_account(self, ctx: Context, account: Account) -> None: ...

    def new_module_account(self, ctx: Context, name: str, permissions: tuple[str, ...] = ()) -> Account: ...


class BankKeeper(Protocol):
    def send(self, ctx: Context, sender: bytes, recipient: bytes, coins: list[Coin]) -> None: ...

    def all_balances(self, ctx: Context, address: bytes) -> list[Coin]: ...

    def payer(self, ctx: Context, sender: bytes) -> Payer: ...


class OracleKeeper(Protocol):
    def get_params(self, ctx: Context) -> genesis_pb2.Params: ...

    def params_view(self, ctx: Context) -> genesis_pb2.Params: ...

    def verify_oracle_signature(self, ctx: Context, message: bytes, signature: bytes,
                                params: genesis_pb2.Params | None = None) -> bool: ...

    def get_oracle(self, ctx: Context, address: str) -> oracle_pb2.Oracle: ...

    def oracle_view(self, ctx: Context, address: str) -> oracle_pb2.Oracle: ...
