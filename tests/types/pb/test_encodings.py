"""Golden encodings computed by hand from the field numbers (tag = field << 3 | wire type)."""

from __future__ import annotations

import base64

from google.protobuf import any_pb2, json_format

from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2
from panacea.types.pb.cosmos.tx.signing.v1beta1 import signing_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as datadeal_tx_pb2
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2
from panacea.types.pb.tendermint.abci import types_pb2 as abci


def _hex(*parts: str) -> bytes:
    return bytes.fromhex("".join(parts))


def test_coin() -> None:
    coin = coin_pb2.Coin(denom="umed", amount="100")
    golden = _hex("0a04", b"umed".hex(), "1203", b"100".hex())
    assert golden == bytes.fromhex("0a04756d65641203313030")
    assert coin.SerializeToString() == golden
    assert coin_pb2.Coin.FromString(golden) == coin


def test_unsigned_certificate_layout() -> None:
    cert = consent_pb2.UnsignedCertificate(
        unique_id="uid", oracle_address="oa", deal_id=300, provider_address="pa", data_hash="dh"
    )
    golden = _hex("0a03756964", "12026f61", "18ac02", "22027061", "2a026468")
    assert cert.SerializeToString() == golden


def test_unsigned_certificate_offsets_of_reference_test_vector() -> None:
    # chain-reference §2.7: with unique_id "uniqueID" and a 46-char address, deal_id starts at offset 58.
    address = "panacea1" + "q" * 38
    bz = consent_pb2.UnsignedCertificate(
        unique_id="uniqueID", oracle_address=address, deal_id=1, provider_address=address, data_hash="h"
    ).SerializeToString()
    assert bz[:10] == b"\x0a\x08uniqueID"
    assert bz[10:12] == b"\x12\x2e"
    assert bz[58:60] == b"\x18\x01"


def test_empty_fields_are_omitted() -> None:
    assert consent_pb2.UnsignedCertificate(deal_id=1).SerializeToString() == b"\x18\x01"
    assert deal_pb2.Deal().SerializeToString() == b""


def test_deal_status_field() -> None:
    deal = deal_pb2.Deal(id=1, status=deal_pb2.DEAL_STATUS_ACTIVE)
    assert deal.SerializeToString() == _hex("0801", "5001")  # field 10 varint: tag 0x50


def test_tx_raw_and_sign_doc() -> None:
    raw = tx_pb2.TxRaw(body_bytes=b"\x01\x02", auth_info_bytes=b"\x03", signatures=[b"\xaa", b""])
    assert raw.SerializeToString() == _hex("0a020102", "120103", "1a01aa", "1a00")
    doc = tx_pb2.SignDoc(body_bytes=b"\x01", auth_info_bytes=b"\x02", chain_id="panacea-3", account_number=7)
    assert doc.SerializeToString() == _hex("0a0101", "120102", "1a09", b"panacea-3".hex(), "2007")
    # Tx and TxRaw are wire-identical when the body/auth_info bytes are the encodings of Tx's fields.
    body = tx_pb2.TxBody(memo="m")
    auth = tx_pb2.AuthInfo(fee=tx_pb2.Fee(gas_limit=1))
    tx = tx_pb2.Tx(body=body, auth_info=auth, signatures=[b"\x01"])
    raw2 = tx_pb2.TxRaw(
        body_bytes=body.SerializeToString(), auth_info_bytes=auth.SerializeToString(), signatures=[b"\x01"]
    )
    assert tx.SerializeToString() == raw2.SerializeToString()


def test_tx_body_with_msg_send_and_extension_option() -> None:
    send = bank_tx_pb2.MsgSend(
        from_address="a", to_address="b", amount=[coin_pb2.Coin(denom="umed", amount="1")]
    )
    send_bz = _hex("0a0161", "120162", "1a09", "0a04756d6564", "120131")
    assert send.SerializeToString() == send_bz
    url = b"/cosmos.bank.v1beta1.MsgSend"
    assert len(url) == 0x1C
    any_bz = _hex("0a1c", url.hex(), "1211", send_bz.hex())
    body = tx_pb2.TxBody(
        messages=[any_pb2.Any(type_url=url.decode(), value=send_bz)],
        memo="m",
        extension_options=[any_pb2.Any(type_url="/x")],
    )
    # field 1023, wire type 2: tag 8186 = uvarint fa 3f
    assert body.SerializeToString() == _hex("0a31", any_bz.hex(), "12016d", "fa3f04", "0a022f78")


def test_auth_info_signer_single_direct() -> None:
    key = bytes([2]) + bytes(range(32))
    pub = any_pb2.Any(
        type_url="/cosmos.crypto.secp256k1.PubKey", value=keys_pb2.PubKey(key=key).SerializeToString()
    )
    info = tx_pb2.AuthInfo(
        signer_infos=[
            tx_pb2.SignerInfo(
                public_key=pub,
                mode_info=tx_pb2.ModeInfo(single=tx_pb2.ModeInfo.Single(mode=signing_pb2.SIGN_MODE_DIRECT)),
                sequence=5,
            )
        ],
        fee=tx_pb2.Fee(amount=[coin_pb2.Coin(denom="umed", amount="10")], gas_limit=200000),
    )
    pub_bz = _hex("0a1f", b"/cosmos.crypto.secp256k1.PubKey".hex(), "1223", "0a21", key.hex())
    signer_bz = _hex("0a", f"{len(pub_bz):02x}", pub_bz.hex(), "1204", "0a020801", "1805")
    fee_bz = _hex("0a0a", "0a04756d6564", "12023130", "10c09a0c")
    golden = _hex("0a", f"{len(signer_bz):02x}", signer_bz.hex(), "12", f"{len(fee_bz):02x}", fee_bz.hex())
    assert info.SerializeToString() == golden


def test_abci_request_flush_and_info() -> None:
    assert abci.Request(flush=abci.RequestFlush()).SerializeToString() == b"\x12\x00"
    info = abci.Request(
        info=abci.RequestInfo(version="0.38.25", block_version=11, p2p_version=8, abci_version="2.0.0")
    )
    golden = _hex("1a14", "0a07", b"0.38.25".hex(), "100b", "1808", "2205", b"2.0.0".hex())
    assert info.SerializeToString() == golden
    parsed = abci.Request.FromString(golden)
    assert parsed.WhichOneof("value") == "info"
    assert parsed.info.block_version == 11


def test_abci_responses() -> None:
    assert abci.Response(flush=abci.ResponseFlush()).SerializeToString() == b"\x1a\x00"
    echo = abci.Response(echo=abci.ResponseEcho(message="hello"))
    assert echo.SerializeToString() == _hex("1207", "0a05", b"hello".hex())
    app_hash = bytes([0x11]) * 32
    fin = abci.Response(finalize_block=abci.ResponseFinalizeBlock(app_hash=app_hash))
    # Response field 21 (tag 170 = uvarint aa 01); ResponseFinalizeBlock.app_hash is field 5
    assert fin.SerializeToString() == _hex("aa01", "22", "2a20", app_hash.hex())


def test_abci_finalize_block_tx_result_with_event() -> None:
    event = abci.Event(type="message", attributes=[abci.EventAttribute(key="action", value="x", index=True)])
    result = abci.ExecTxResult(gas_used=5, events=[event])
    attr_bz = _hex("0a06", b"action".hex(), "120178", "1801")
    event_bz = _hex("0a07", b"message".hex(), "12", f"{len(attr_bz):02x}", attr_bz.hex())
    result_bz = _hex("3005", "3a", f"{len(event_bz):02x}", event_bz.hex())
    assert result.SerializeToString() == result_bz
    fin = abci.ResponseFinalizeBlock(tx_results=[result], app_hash=b"\x01")
    assert fin.SerializeToString() == _hex("12", f"{len(result_bz):02x}", result_bz.hex(), "2a0101")


def test_abci_json_names_keep_snake_case_gas_fields() -> None:
    d = json_format.MessageToDict(abci.ExecTxResult(gas_wanted=1, gas_used=2))
    assert d == {"gas_wanted": "1", "gas_used": "2"}


def test_deal_proto3_json() -> None:
    deal = deal_pb2.Deal(
        id=1,
        address="panacea1deal",
        data_schema=["https://schema"],
        presentation_definition=b"{}",
        budget=coin_pb2.Coin(denom="umed", amount="10000"),
        max_num_data=10,
        cur_num_data=0,
        consumer_address="panacea1consumer",
        agreement_terms=[deal_pb2.AgreementTerm(id=1, required=True, title="t", description="d")],
        status=deal_pb2.DEAL_STATUS_ACTIVE,
        consumer_service_endpoint="http://consumer",
    )
    d = json_format.MessageToDict(deal, preserving_proto_field_name=True)
    assert d == {
        "id": "1",
        "address": "panacea1deal",
        "data_schema": ["https://schema"],
        "presentation_definition": base64.b64encode(b"{}").decode(),
        "budget": {"denom": "umed", "amount": "10000"},
        "max_num_data": "10",
        "consumer_address": "panacea1consumer",
        "agreement_terms": [{"id": 1, "required": True, "title": "t", "description": "d"}],
        "status": "DEAL_STATUS_ACTIVE",
        "consumer_service_endpoint": "http://consumer",
    }
    assert json_format.ParseDict(d, deal_pb2.Deal()) == deal


def test_msg_create_deal_camel_case_json_parses() -> None:
    # the shape cosmpy sends (cosmos-rest.md §3)
    parsed = json_format.ParseDict(
        {
            "dataSchema": ["s"],
            "budget": {"denom": "umed", "amount": "1000000"},
            "maxNumData": "10",
            "consumerAddress": "panacea1c",
            "agreementTerms": [{"id": 1, "required": True, "title": "t", "description": "d"}],
            "consumerServiceEndpoint": "http://c",
        },
        datadeal_tx_pb2.MsgCreateDeal(),
    )
    assert parsed.max_num_data == 10
    assert parsed.agreement_terms[0].required


def test_oracle_update_time_and_dec_strings() -> None:
    oracle = oracle_pb2.Oracle(oracle_address="a", oracle_commission_rate="100000000000000000")
    oracle.update_time.FromSeconds(1)
    assert oracle.SerializeToString() == _hex("0a0161", "22020801", "2a12", b"100000000000000000".hex())


def test_full_names_are_upstream() -> None:
    assert datadeal_tx_pb2.MsgCreateDeal.DESCRIPTOR.full_name == "panacea.datadeal.v2.MsgCreateDeal"
    assert abci.Request.DESCRIPTOR.full_name == "tendermint.abci.Request"
    assert tx_pb2.TxRaw.DESCRIPTOR.full_name == "cosmos.tx.v1beta1.TxRaw"
