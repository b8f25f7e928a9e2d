"""Golden wire bytes of ABCI 2.0 socket messages, derived by hand from the field numbers (spec/cometbft.md §3.5).

Tag byte = (field number << 3) | wire type (0 varint, 2 length-delimited); every message on the socket is
preceded by its length as an unsigned LEB128 varint.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from panacea.chain.app import App, TxResult
from panacea.chain.store import Store
from panacea.node.abci_server import (
    AbciApplication,
    AbciProtocolError,
    FrameReader,
    decode_uvarint,
    encode_uvarint,
    exec_tx_result,
    frame,
    prepare_txs,
)
from panacea.types.events import Event
from panacea.types.pb.tendermint.abci import types_pb2 as abci

# Request{echo=1: RequestEcho{message=1: "hi"}}
ECHO_REQ = bytes.fromhex("06" "0a04" "0a02" "6869")
# Response{echo=2: ResponseEcho{message=1: "hi"}}
ECHO_RESP = bytes.fromhex("06" "1204" "0a02" "6869")
# Request{flush=2: {}} / Response{flush=3: {}}
FLUSH_REQ = bytes.fromhex("02" "1200")
FLUSH_RESP = bytes.fromhex("02" "1a00")
# Request{info=3: RequestInfo{version=1 "0.38.25", block_version=2 11, p2p_version=3 8, abci_version=4 "2.0.0"}}
INFO_REQ = bytes.fromhex("16" "1a14" "0a07" + b"0.38.25".hex() + "100b" "1808" "2205" + b"2.0.0".hex())
# Response{info=4: ResponseInfo{data=1 "panacea-dep", version=2 "0.1.0", app_version=3 1}} (height 0, no hash)
INFO_RESP_FRESH = bytes.fromhex("18" "2216" "0a0b" + b"panacea-dep".hex() + "1205" + b"0.1.0".hex() + "1801")
# Request{commit=11: {}} / Response{commit=12: ResponseCommit{retain_height=3: 0}}
COMMIT_REQ = bytes.fromhex("02" "5a00")
COMMIT_RESP = bytes.fromhex("02" "6200")
PROPOSER = bytes([1]) * 20
# Request{finalize_block=20 (tag a2 01): {txs=1 [aabb], height=5 7, time=6 {seconds=1 1700000000, nanos=2 5},
#                                        proposer_address=8 01×20}}
FINALIZE_REQ = bytes.fromhex(
    "29" "a20126"
    "0a02aabb"  # txs
    "2807"  # height 7
    "3208" "0880e2cfaa06" "1005"  # time: 1700000000 = 80 e2 cf aa 06 as a varint
    "4214" + PROPOSER.hex()
)
APP_HASH = bytes(range(32))
# Response{finalize_block=21 (tag aa 01): {tx_results=2 [ExecTxResult{data=2 01, log=3 "ok", gas_wanted=5 10,
#   gas_used=6 5, events=7 [Event{type=1 "message", attributes=2 [{key=1 "action", value=2 "send", index=3 true}]}]}],
#   app_hash=5 00..1f}}
EXEC_TX_RESULT = bytes.fromhex(
    "120101" "1a02" + b"ok".hex() + "280a" "3005"
    "3a1b" "0a07" + b"message".hex() + "1210" "0a06" + b"action".hex() + "1204" + b"send".hex() + "1801"
)
FINALIZE_RESP = bytes.fromhex("4f" "aa014c" "1228") + EXEC_TX_RESULT + bytes.fromhex("2a20") + APP_HASH


@pytest.fixture()
def application(tmp_path: Path) -> AbciApplication:
    return AbciApplication(App(Store(str(tmp_path / "app"))))


def test_uvarint_round_trip() -> None:
    assert encode_uvarint(0) == b"\x00"
    assert encode_uvarint(127) == b"\x7f"
    assert encode_uvarint(128) == b"\x80\x01"
    assert encode_uvarint(300) == b"\xac\x02"
    assert encode_uvarint(1_700_000_000) == bytes.fromhex("80e2cfaa06")
    assert decode_uvarint(b"\xac\x02\xff", 0) == (300, 2)
    assert decode_uvarint(b"\xac", 0) is None
    with pytest.raises(AbciProtocolError, match="overflows 64 bits"):
        decode_uvarint(b"\xff" * 10 + b"\x01")


def test_echo_flush_commit_frames() -> None:
    assert frame(abci.Request(echo=abci.RequestEcho(message="hi"))) == ECHO_REQ
    assert frame(abci.Response(echo=abci.ResponseEcho(message="hi"))) == ECHO_RESP
    assert frame(abci.Request(flush=abci.RequestFlush())) == FLUSH_REQ
    assert frame(abci.Response(flush=abci.ResponseFlush())) == FLUSH_RESP
    assert frame(abci.Request(commit=abci.RequestCommit())) == COMMIT_REQ
    assert frame(abci.Response(commit=abci.ResponseCommit(retain_height=0))) == COMMIT_RESP


def test_info_request_and_fresh_app_response(application: AbciApplication) -> None:
    req = abci.Request.FromString(INFO_REQ[1:])
    assert (req.info.version, req.info.block_version, req.info.p2p_version, req.info.abci_version) == (
        "0.38.25", 11, 8, "2.0.0")
    assert frame(application.handle(req)) == INFO_RESP_FRESH
    assert frame(application.handle(abci.Request.FromString(ECHO_REQ[1:]))) == ECHO_RESP
    assert frame(application.handle(abci.Request.FromString(FLUSH_REQ[1:]))) == FLUSH_RESP


def test_finalize_block_request_and_response_bytes() -> None:
    req = abci.Request.FromString(FINALIZE_REQ[1:])
    fb = req.finalize_block
    assert list(fb.txs) == [b"\xaa\xbb"]
    assert (fb.height, fb.time.seconds, fb.time.nanos, fb.proposer_address) == (7, 1_700_000_000, 5, PROPOSER)
    result = TxResult(code=0, data=b"\x01", log="ok", gas_wanted=10, gas_used=5,
                      events=[Event.of("message", ("action", "send"))])
    assert exec_tx_result(result).SerializeToString() == EXEC_TX_RESULT
    resp = abci.Response(finalize_block=abci.ResponseFinalizeBlock(tx_results=[exec_tx_result(result)],
                                                                   app_hash=APP_HASH))
    assert frame(resp) == FINALIZE_RESP


def test_frame_reader_splits_and_joins_chunks() -> None:
    stream = ECHO_REQ + FLUSH_REQ + INFO_REQ + FINALIZE_REQ
    reader = FrameReader()
    got: list[bytes] = []
    for i in range(0, len(stream), 5):  # arbitrary 5-byte chunks cut through prefixes and bodies
        got += reader.feed(stream[i : i + 5])
    assert got == [ECHO_REQ[1:], FLUSH_REQ[1:], INFO_REQ[1:], FINALIZE_REQ[1:]]
    long_body = abci.Request(echo=abci.RequestEcho(message="x" * 300)).SerializeToString()
    assert len(long_body) == 306
    assert FrameReader().feed(b"\xb2\x02" + long_body) == [long_body]


def test_prepare_proposal_drops_txs_from_the_first_that_overflows() -> None:
    txs = [b"a" * 10, b"b" * 10, b"c" * 3]
    assert prepare_txs(txs, 100) == txs
    assert prepare_txs(txs, 20) == [b"a" * 10, b"b" * 10]
    assert prepare_txs(txs, 19) == [b"a" * 10]
    assert prepare_txs(txs, 5) == []
