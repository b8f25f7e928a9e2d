"""Building and signing Cosmos txs (SIGN_MODE_DIRECT) offline, as cosmpy and cosmjs do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from google.protobuf import any_pb2
from google.protobuf.message import Message

from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import sign_tx_bytes
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2
from panacea.types.pb.cosmos.tx.signing.v1beta1 import signing_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2

DEFAULT_GAS = 200_000
FEE_DENOM = "umed"


@dataclass(frozen=True)
class Signer:
    key: PrivateKey
    account_number: int
    sequence: int


def pack(msg: Message) -> any_pb2.Any:
    return any_pb2.Any(type_url="/" + msg.DESCRIPTOR.full_name, value=msg.SerializeToString())


def build_tx(msgs: Sequence[Message], signers: Sequence[Signer], chain_id: str, *, gas: int = DEFAULT_GAS,
             fee: int = 0, memo: str = "", timeout_height: int = 0, with_pubkey: bool = True,
             signatures: Sequence[bytes] | None = None) -> bytes:
    """Encode and sign a TxRaw; ``signatures`` overrides signing (simulation with empty signatures)."""
    body = tx_pb2.TxBody(messages=[pack(m) for m in msgs], memo=memo, timeout_height=timeout_height)
    auth_info = tx_pb2.AuthInfo()
    for s in signers:
        info = auth_info.signer_infos.add(sequence=s.sequence)
        if with_pubkey:
            info.public_key.type_url = "/cosmos.crypto.secp256k1.PubKey"
            info.public_key.value = keys_pb2.PubKey(key=s.key.public_key().compressed).SerializeToString()
        info.mode_info.single.mode = signing_pb2.SIGN_MODE_DIRECT
    auth_info.fee.gas_limit = gas
    if fee:
        auth_info.fee.amount.add(denom=FEE_DENOM, amount=str(fee))
    body_bytes = body.SerializeToString()
    auth_bytes = auth_info.SerializeToString()
    if signatures is None:
        signatures = [
            sign_tx_bytes(s.key, tx_pb2.SignDoc(body_bytes=body_bytes, auth_info_bytes=auth_bytes, chain_id=chain_id,
                                                account_number=s.account_number).SerializeToString())
            for s in signers
        ]
    return tx_pb2.TxRaw(body_bytes=body_bytes, auth_info_bytes=auth_bytes, signatures=signatures).SerializeToString()
