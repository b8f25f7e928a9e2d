"""Ante handler: the hand-framed SignDoc, what simulation accepts (the SDK's simulate, as cosmjs calls it) and the
gas it reports."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from panacea.chain.ante import sign_doc_bytes
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.tx.signing.v1beta1 import signing_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2
from tests.chain.kit import Chain, key


def test_sign_doc_bytes_match_protobuf() -> None:
    rng = random.Random(2)
    for _ in range(3000):
        body, auth = rng.randbytes(rng.choice([0, 1, 127, 128, 5000])), rng.randbytes(rng.choice([0, 5, 200]))
        chain_id = rng.choice(["", "bench", "x" * 200])
        number = rng.choice([0, 1, 2**64 - 1, rng.randrange(2**64)])
        expected = tx_pb2.SignDoc(body_bytes=body, auth_info_bytes=auth, chain_id=chain_id,
                                  account_number=number).SerializeToString()
        assert sign_doc_bytes(body, auth, chain_id, number) == expected


def _as_cosmjs_simulates(tx_bytes: bytes, mode: int = signing_pb2.SIGN_MODE_UNSPECIFIED) -> bytes:
    """The same body and fee with the sign mode left unspecified and an empty signature."""
    raw = tx_pb2.TxRaw.FromString(tx_bytes)
    auth_info = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    for info in auth_info.signer_infos:
        info.mode_info.single.mode = mode
    return tx_pb2.TxRaw(body_bytes=raw.body_bytes, auth_info_bytes=auth_info.SerializeToString(),
                        signatures=[b""] * len(raw.signatures)).SerializeToString()


@pytest.mark.parametrize("fee", [0, 2_000])
def test_simulate_with_unspecified_sign_mode_gives_the_signed_tx_gas(tmp_path: Path, fee: int) -> None:
    chain = Chain(tmp_path)
    send = bank_tx.MsgSend(from_address=chain.consumer.bech32(), to_address=key("someone").bech32(),
                           amount=[coin_pb2.Coin(denom="umed", amount="7")])
    signed = chain.tx(chain.consumer, send, gas=200_000, fee=fee)
    simulated = [chain.app.simulate(t) for t in (
        signed, _as_cosmjs_simulates(signed), _as_cosmjs_simulates(signed, signing_pb2.SIGN_MODE_DIRECT))]
    assert all(result.ok for result, _ in simulated), [r.log for r, _ in simulated]
    delivered = chain.block([signed]).tx_results[0]
    assert delivered.ok, delivered.log
    assert [gas for _, gas in simulated] == [delivered.gas_used] * 3


def test_a_delivered_tx_still_needs_sign_mode_direct(tmp_path: Path) -> None:
    chain = Chain(tmp_path)
    send = bank_tx.MsgSend(from_address=chain.consumer.bech32(), to_address=key("someone").bech32(),
                           amount=[coin_pb2.Coin(denom="umed", amount="7")])
    raw = tx_pb2.TxRaw.FromString(chain.tx(chain.consumer, send))
    auth_info = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    auth_info.signer_infos[0].mode_info.single.mode = signing_pb2.SIGN_MODE_LEGACY_AMINO_JSON
    bad = tx_pb2.TxRaw(body_bytes=raw.body_bytes, auth_info_bytes=auth_info.SerializeToString(),
                       signatures=raw.signatures).SerializeToString()
    assert chain.app.simulate(bad)[0].ok  # simulation does not look at signatures
    result = chain.block([bad]).tx_results[0]
    assert (result.code, result.log) == (4, "only SIGN_MODE_DIRECT is supported: unauthorized")


def test_a_fee_the_payer_cannot_pay_says_so_once(tmp_path: Path) -> None:
    chain = Chain(tmp_path)
    poor = key("poor")
    fund = bank_tx.MsgSend(from_address=chain.consumer.bech32(), to_address=poor.bech32(),
                           amount=[coin_pb2.Coin(denom="umed", amount="3")])
    chain.block([chain.tx(chain.consumer, fund)])
    send = bank_tx.MsgSend(from_address=poor.bech32(), to_address=chain.consumer.bech32(),
                           amount=[coin_pb2.Coin(denom="umed", amount="1")])
    result = chain.block([chain.tx(poor, send, fee=5)]).tx_results[0]
    assert (result.code, result.codespace, result.log) == (
        5, "sdk", "cannot pay the fee 5umed: 3umed is smaller than 5umed: insufficient funds")
