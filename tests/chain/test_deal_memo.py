"""get_deal/set_deal memoise decodings by stored bytes but always hand out private copies."""

from __future__ import annotations

from typing import Any

from panacea.chain.modules.datadeal import keys
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2


class _KV:
    def __init__(self) -> None:
        self.data: dict[bytes, bytes] = {}

    def get(self, key: bytes) -> bytes | None:
        return self.data.get(key)

    def set(self, key: bytes, value: bytes) -> None:
        self.data[key] = value


class _Ctx:
    def __init__(self) -> None:
        self.store = _KV()

    def kv(self, name: bytes) -> _KV:
        assert name == keys.STORE
        return self.store


def test_deal_copies_are_independent() -> None:
    keeper = DatadealKeeper.__new__(DatadealKeeper)
    ctx: Any = _Ctx()
    deal = deal_pb2.Deal(id=7, max_num_data=3, cur_num_data=1)
    keeper.set_deal(ctx, deal)
    deal.cur_num_data = 99  # the caller's message is not the memoised one
    first = keeper.get_deal(ctx, 7)
    assert first.cur_num_data == 1
    first.cur_num_data = 2  # mutating a read leaves the stored state and later reads alone
    assert keeper.get_deal(ctx, 7).cur_num_data == 1
    keeper.set_deal(ctx, first)
    again = keeper.get_deal(ctx, 7)
    assert again.cur_num_data == 2 and again is not first
    assert again.SerializeToString(deterministic=True) == first.SerializeToString(deterministic=True)
