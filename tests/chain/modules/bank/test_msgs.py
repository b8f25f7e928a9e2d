"""MsgSend ValidateBasic: the SDK's texts in the SDK's order."""

from __future__ import annotations

import pytest

from panacea.chain.modules.bank.msgs import send_signers, validate_send
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from tests.chain.kit import error_of, key

A, B = key("a").bech32(), key("b").bech32()


def send(*coins: tuple[str, str], sender: str = A, recipient: str = B) -> tx_pb2.MsgSend:
    return tx_pb2.MsgSend(from_address=sender, to_address=recipient,
                          amount=[coin_pb2.Coin(denom=d, amount=a) for d, a in coins])


def test_valid_send_and_signers() -> None:
    msg = send(("uatom", "1"), ("umed", "2"))
    validate_send(msg)
    assert send_signers(msg) == [A]


@pytest.mark.parametrize(("msg", "log"), [
    (send(("umed", "1"), sender="bad"),
     "Invalid sender address (decoding bech32 failed: invalid bech32 string length 3): invalid address"),
    (send(("umed", "1"), recipient=""),
     "Invalid recipient address (empty address string is not allowed): invalid address"),
    (send(), ": invalid coins"),
    (send(("umed", "x")), "xumed: invalid coins"),
    (send(("umed", "0")), "0umed: invalid coins"),
    (send(("umed", "-1")), "-1umed: invalid coins"),
    (send(("umed", "2"), ("uatom", "1")), "2umed,1uatom: invalid coins"),
    (send(("umed", "1"), ("umed", "1")), "1umed,1umed: invalid coins"),
    (send(("u", "2")), "2u: invalid coins"),
])
def test_invalid_sends(msg: tx_pb2.MsgSend, log: str) -> None:
    e = error_of(validate_send, msg)
    assert (e.codespace, e.log) == ("sdk", log)
