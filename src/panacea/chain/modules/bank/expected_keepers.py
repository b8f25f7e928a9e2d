"""What x/bank needs from x/auth (the Cosmos ``expected_keepers`` pattern)."""

from __future__ import annotations

from typing import Protocol

from panacea.chain.context import Context
from panacea.chain.modules.auth.keeper import Account


class AccountKeeper(Protocol):
    def get_account(self, ctx: Context, address: bytes) -> Account | None: ...

    def has_account(self, ctx: Context, address: bytes) -> bool: ...

    def new_account(self, ctx: Context, address: bytes) -> Account: ...
