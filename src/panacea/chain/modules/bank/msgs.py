"""ValidateBasic and signers of MsgSend (SDK 0.45 ``x/bank/types/msgs.go``)."""

from __future__ import annotations

from panacea.chain import addr
from panacea.chain.coins import coins_from_pb, validate_coins
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2


def send_signers(msg: tx_pb2.MsgSend) -> list[str]:
    return [msg.from_address]


def validate_send(msg: tx_pb2.MsgSend) -> None:
    addr.parse_or(msg.from_address, detail="Invalid sender address")
    addr.parse_or(msg.to_address, detail="Invalid recipient address")
    validate_coins(coins_from_pb(msg.amount))
