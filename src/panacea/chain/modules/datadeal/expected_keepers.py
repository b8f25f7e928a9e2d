"""What x/datadeal needs from x/oracle (the Cosmos ``expected_keepers`` pattern)."""

from __future__ import annotations

from typing import Protocol

from panacea.chain.context import Context
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2


class OracleKeeper(Protocol):
    def get_params(self, ctx: Context) -> genesis_pb2.Params: ...

    def params_view(self, ctx: Context) -> genesis_pb2.Params: ...

    def verify_oracle_signature(self, ctx: Context, message: bytes, signature: bytes,
                                params: genesis_pb2.Params | None = None) -> bool: ...

    def get_oracle(self, ctx: Context, address: str) -> oracle_pb2.Oracle: ...

    def oracle_view(self, ctx: Context, address: str) -> oracle_pb2.Oracle: ...
