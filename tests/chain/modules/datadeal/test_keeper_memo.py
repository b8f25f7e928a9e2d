"""get_deal/set_deal memoise decodings by stored bytes but always hand out private copies."""

from __future__ import annotations

from panacea.chain.context import BlockInfo, Context
from panacea.chain.kv import CacheKV, MemKV
from panacea.chain.modules.auth.keeper import AuthKeeper
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2


def test_deal_copies_are_independent() -> None:
    auth = AuthKeeper()
    keeper = DatadealKeeper(auth, BankKeeper(auth), OracleKeeper())
    ctx = Context(CacheKV(MemKV()), BlockInfo(1, 0, "memo"))
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
