"""MsgRoute's hand-framed TxMsgData entries (and the uvarint they use): byte-for-byte what protobuf writes."""

from __future__ import annotations

import random
from pathlib import Path

from google.protobuf.internal import encoder

from panacea.chain.app import App
from panacea.chain.store import Store
from panacea.types.lp import encode_uvarint
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2


def test_uvarint_matches_protobuf() -> None:
    for v in [*range(0, 20000), 2**63, 2**64 - 1]:
        assert encode_uvarint(v) == encoder._VarintBytes(v)


def test_msg_data_entries_match_protobuf(tmp_path: Path) -> None:
    store = Store(str(tmp_path))
    try:
        routes = list(App(store).routes.values())
    finally:
        store.close()
    rng = random.Random(3)
    for _ in range(2000):
        sizes = [0, 3, 127, 128, 500]
        picks = [(rng.choice(routes), rng.randbytes(rng.choice(sizes))) for _ in range(rng.randint(0, 4))]
        expected = abci_pb2.TxMsgData()
        for route, data in picks:
            expected.data.add(msg_type=route.action, data=data)
        assert b"".join(route.msg_data(data) for route, data in picks) == expected.SerializeToString()
