"""x/auth as a module: wiring only (no msgs; genesis and queries wired to the keeper)."""

from __future__ import annotations

from panacea.chain.module import Module, QueryRoute
from panacea.chain.modules.auth import genesis
from panacea.chain.modules.auth.keeper import AuthKeeper
from panacea.chain.modules.auth.queries import AuthQueries


class AuthModule(Module[AuthKeeper]):
    name = "auth"

    def __init__(self, keeper: AuthKeeper) -> None:
        super().__init__(keeper, genesis)

    def queries(self) -> list[QueryRoute]:
        return AuthQueries(self.keeper).routes()
