"""The hot path frames a few protobuf messages by hand; each must equal protobuf's bytes exactly."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from google.protobuf.internal import encoder

from panacea.chain.ante import sign_doc_bytes
from panacea.chain.app import App
from panacea.chain.modules.auth import keeper as auth_keeper
from panacea.chain.modules.auth.keeper import Account
from panacea.chain.modules.bank import keeper as bank_keeper
from panacea.chain.store import Store
from panacea.types.coins import Coin
from panacea.types.events import Event
from panacea.types.lp import encode_uvarint
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2


def test_uvarint_matches_protobuf() -> None:
    for v in [*range(0, 20000), 2**63, 2**64 - 1]:
        assert encode_uvarint(v) == encoder._VarintBytes(v)


def test_account_encoding_matches_protobuf_and_decodes_back() -> None:
    rng = random.Random(1)
    for _ in range(3000):
        address = rng.randbytes(rng.choice([20, 32]))
        acc = Account(address, rng.choice([0, 1, 127, 128, 2**64 - 1, rng.randrange(2**64)]),
                      rng.choice([0, 1, 127, 128, 300, 2**64 - 1, rng.randrange(2**64)]),
                      rng.choice([None, b"", rng.randbytes(33)]), rng.choice(["", "deal1"]),
                      rng.choice([(), ("burner",)]))
        raw = auth_keeper._encode_account(acc)
        assert raw == acc.to_any().SerializeToString()
        auth_keeper._decoded.clear()
        decoded = auth_keeper._decode_account(raw, address)
        if not acc.module_name and not acc.permissions:
            assert decoded == acc


def test_balance_encoding_matches_protobuf_and_decodes_back() -> None:
    rng = random.Random(2)
    denoms = ["umed", "", "ibc/" + "A" * 64, "x" * 200, "dénom", "u1"]
    amounts = [0, 1, -1, 127, 128, 10**15, -(10**30), 2**256 - 1]
    for _ in range(2000):
        denom, amount = rng.choice(denoms), rng.choice([*amounts, rng.randrange(-(2**80), 2**80)])
        raw = bank_keeper._encode_coin(denom, amount)
        assert raw == coin_pb2.Coin(denom=denom, amount=str(amount)).SerializeToString()
        bank_keeper._amounts.clear()
        assert bank_keeper._amount(raw) == amount  # decoded
        assert bank_keeper._amount(bank_keeper._encode_coin(denom, amount)) == amount  # remembered


def test_sign_doc_bytes_match_protobuf() -> None:
    rng = random.Random(2)
    for _ in range(3000):
        body, auth = rng.randbytes(rng.choice([0, 1, 127, 128, 5000])), rng.randbytes(rng.choice([0, 5, 200]))
        chain_id = rng.choice(["", "bench", "x" * 200])
        number = rng.choice([0, 1, 2**64 - 1, rng.randrange(2**64)])
        expected = tx_pb2.SignDoc(body_bytes=body, auth_info_bytes=auth, chain_id=chain_id,
                                  account_number=number).SerializeToString()
        assert sign_doc_bytes(body, auth, chain_id, number) == expected


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


def test_event_coin_and_account_are_values() -> None:
    """Plain classes (natively compiled ``__init__``) with value semantics; immutability is static
    (``Final`` attributes, checked by mypy)."""
    e = Event("transfer", ("recipient", "r", "amount", "1umed"))
    same = Event.of("transfer", ("recipient", "r"), ("amount", "1umed"))
    assert e == same == Event.from_pairs("transfer", [("recipient", "r"), ("amount", "1umed")])
    assert hash(e) == hash(same) and e != Event("transfer", ()) and e != ("transfer",)
    assert e.attributes == (("recipient", "r"), ("amount", "1umed")) and Event("x", ()).attributes == ()
    assert repr(e) == "Event(type='transfer', attributes=(('recipient', 'r'), ('amount', '1umed')))"
    with pytest.raises(ValueError, match="event 'transfer': attributes must come in key, value pairs"):
        Event("transfer", ("recipient",))
    assert sorted([Coin("umed", 5), Coin("aaa", 9), Coin("umed", 2)]) == [Coin("aaa", 9), Coin("umed", 2),
                                                                         Coin("umed", 5)]
    assert Coin("umed", 1) <= Coin("umed", 1) < Coin("umed", 2) and Coin("b", 0) > Coin("a", 9) >= Coin("a", 9)
    assert hash(Coin("umed", 3)) == hash(Coin("umed", 3)) and repr(Coin("umed", 3)) == "Coin(denom='umed', amount=3)"
    acc = Account(b"\x01" * 20, 4, 2, None)
    assert acc == Account(b"\x01" * 20, 4, 2) and hash(acc) == hash(Account(b"\x01" * 20, 4, 2))
    moved = acc.replace(pubkey=None, module_name="deal1", permissions=())
    assert (moved.number, moved.sequence, moved.module_name, moved.is_module) == (4, 2, "deal1", True)
    assert acc != moved and not acc.is_module
