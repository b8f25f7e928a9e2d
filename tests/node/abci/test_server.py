"""An ABCI conversation with the server over real sockets, as CometBFT 0.38 holds it (spec/cometbft.md §3)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import timestamp_pb2

from panacea.chain.app import App, TxResult
from panacea.chain.context import BlockInfo
from panacea.chain.genesis import add_account
from panacea.chain.store import Store
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.crypto.merkle import Proof, verify_proof
from panacea.node.abci.server import (
    PROOF_OP_TYPE,
    AbciApplication,
    AbciProtocolError,
    AbciServer,
    FrameReader,
    decode_uvarint,
    encode_uvarint,
    exec_tx_result,
    frame,
    parse_address,
    prepare_txs,
)
from panacea.node.rpc.api import RpcError
from panacea.node.txservice import GET_TX_PATH
from panacea.types.coins import Coin
from panacea.types.events import Event
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2
from panacea.types.pb.tendermint.abci import types_pb2 as abci

CHAIN_ID = "panacea-abci-test"
T1 = 1_700_000_000
SENDER = PrivateKey(hashlib.sha256(b"abci-sender").digest())
RECEIVER = PrivateKey(hashlib.sha256(b"abci-receiver").digest())
FUNDS = 10**9
ACCOUNT_NUMBER = 2  # the default genesis creates two module accounts first


class Client:
    """A minimal CometBFT-side socket client: writes framed Requests, reads framed Responses."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.frames = FrameReader()
        self.pending: list[bytes] = []

    @classmethod
    async def connect(cls, address: str) -> Client:
        a = parse_address(address)
        if a.scheme == "unix":
            r, w = await asyncio.open_unix_connection(a.path)
        else:
            r, w = await asyncio.open_connection(a.host, a.port)
        return cls(r, w)

    async def send(self, *reqs: abci.Request) -> None:
        self.writer.write(b"".join(frame(r) for r in reqs))
        await self.writer.drain()

    async def recv(self, n: int) -> list[abci.Response]:
        while len(self.pending) < n:
            data = await asyncio.wait_for(self.reader.read(65536), 10)
            if not data:
                raise ConnectionError(f"closed after {len(self.pending)} of {n} responses")
            self.pending += self.frames.feed(data)
        got, self.pending = self.pending[:n], self.pending[n:]
        return [abci.Response.FromString(b) for b in got]

    async def call(self, req: abci.Request) -> abci.Response:
        """A synchronous call as CometBFT makes it: request + Flush, answered by response + ResponseFlush."""
        await self.send(req, abci.Request(flush=abci.RequestFlush()))
        resp, flush = await self.recv(2)
        assert flush.WhichOneof("value") == "flush"
        return resp

    async def close(self) -> None:
        self.writer.close()
        await self.writer.wait_closed()


@contextmanager
def scratch_store() -> Iterator[Store]:
    with tempfile.TemporaryDirectory() as d, Store(d) as store:
        yield store


def genesis() -> dict[str, Any]:
    with scratch_store() as store:
        state = App(store).default_genesis()
    add_account(state, SENDER.bech32(), [Coin("umed", FUNDS)])
    return state


def send_tx(sequence: int, amount: int, account_number: int = ACCOUNT_NUMBER) -> bytes:
    msg = bank_tx.MsgSend(from_address=SENDER.bech32(), to_address=RECEIVER.bech32(),
                          amount=[{"denom": "umed", "amount": str(amount)}])
    return build_tx([msg], [Signer(SENDER, account_number, sequence)], CHAIN_ID, gas=200_000)


def ts(seconds: int) -> timestamp_pb2.Timestamp:
    return timestamp_pb2.Timestamp(seconds=seconds)


def run(tmp_path: Path, body: Callable[[AbciServer, str], Awaitable[None]], address: str = "tcp://127.0.0.1:0") -> None:
    async def main() -> None:
        app = App(Store(str(tmp_path / "app")))
        server = AbciServer(app)
        bound = await server.start(address)
        try:
            await body(server, str(bound))
        finally:
            await server.stop()
            app.store.close()

    asyncio.run(main())


def info_req() -> abci.Request:
    return abci.Request(info=abci.RequestInfo(version="0.38.25", block_version=11, p2p_version=8, abci_version="2.0.0"))


def test_handshake_init_finalize_commit_query_check(tmp_path: Path) -> None:
    state = genesis()
    app_state = json.dumps(state).encode()

    async def body(server: AbciServer, address: str) -> None:
        query = await Client.connect(address)  # CometBFT's dial order: query, snapshot, mempool, consensus
        snapshot = await Client.connect(address)
        mempool = await Client.connect(address)
        consensus = await Client.connect(address)

        info = (await query.call(info_req())).info
        assert (info.data, info.version, info.app_version, info.last_block_height, info.last_block_app_hash) == (
            "panacea-dep", "0.1.0", 1, 0, b"")
        assert (await snapshot.call(abci.Request(list_snapshots=abci.RequestListSnapshots()))).list_snapshots == (
            abci.ResponseListSnapshots())

        init = (await consensus.call(abci.Request(init_chain=abci.RequestInitChain(
            time=ts(T1), chain_id=CHAIN_ID, app_state_bytes=app_state, initial_height=1)))).init_chain
        assert len(init.app_hash) == 32
        assert list(init.validators) == []

        tx = send_tx(0, 1234)
        prep = (await consensus.call(abci.Request(prepare_proposal=abci.RequestPrepareProposal(
            max_tx_bytes=1 << 20, txs=[tx], height=1, time=ts(T1 + 1))))).prepare_proposal
        assert list(prep.txs) == [tx]
        proc = (await consensus.call(abci.Request(process_proposal=abci.RequestProcessProposal(
            txs=[tx], height=1, time=ts(T1 + 1))))).process_proposal
        assert proc.status == abci.ResponseProcessProposal.ACCEPT

        fb = (await consensus.call(abci.Request(finalize_block=abci.RequestFinalizeBlock(
            txs=[tx, b"not a tx"], height=1, time=ts(T1 + 1), proposer_address=b"\x07" * 20)))).finalize_block
        assert [r.code for r in fb.tx_results] == [0, 2]
        ok = fb.tx_results[0]
        assert ok.gas_wanted == 200_000 and ok.gas_used > 0
        assert abci.Event(type="message", attributes=[abci.EventAttribute(key="action", value="send", index=True)]) \
            in ok.events
        assert all(a.index for e in ok.events for a in e.attributes)
        assert fb.tx_results[1].codespace == "sdk"
        assert len(fb.app_hash) == 32 and fb.app_hash != init.app_hash

        # The same genesis and block through the App directly give the same app hash (determinism).
        with scratch_store() as store:
            direct = App(store)
            assert direct.init_chain(CHAIN_ID, state, time_ns=T1 * 10**9) == init.app_hash
            result = direct.finalize_block(BlockInfo(1, (T1 + 1) * 10**9, CHAIN_ID, b"\x07" * 20),
                                           [tx, b"not a tx"])
            assert result.app_hash == fb.app_hash

        assert (await consensus.call(abci.Request(commit=abci.RequestCommit()))).commit == abci.ResponseCommit()
        info = (await query.call(info_req())).info
        assert (info.last_block_height, info.last_block_app_hash) == (1, fb.app_hash)

        balance_req = bank_query.QueryBalanceRequest(address=RECEIVER.bech32(), denom="umed").SerializeToString()
        q = (await query.call(abci.Request(query=abci.RequestQuery(
            path="/cosmos.bank.v1beta1.Query/Balance", data=balance_req)))).query
        assert (q.code, q.height) == (0, 1)
        assert bank_query.QueryBalanceResponse.FromString(q.value).balance.amount == "1234"
        bad = (await query.call(abci.Request(query=abci.RequestQuery(path="/no.such/Path")))).query
        assert (bad.code, bad.codespace, bad.log) == (6, "sdk", "unknown query path: /no.such/Path: unknown request")

        proved = (await query.call(abci.Request(query=abci.RequestQuery(
            path="/store/acc/key", data=b"\x01" + SENDER.address(), prove=True)))).query
        [op] = proved.proof_ops.ops
        assert (op.type, op.key) == (PROOF_OP_TYPE, b"acc/\x01" + SENDER.address())
        assert proved.value  # the sender's account exists: a membership proof against the block's app hash
        assert verify_proof(fb.app_hash, op.key, proved.value, Proof.from_bytes(op.data))
        assert not verify_proof(fb.app_hash, op.key, proved.value + b"x", Proof.from_bytes(op.data))

        ctx_new = (await mempool.call(abci.Request(check_tx=abci.RequestCheckTx(tx=send_tx(1, 5))))).check_tx
        assert (ctx_new.code, ctx_new.gas_wanted) == (0, 200_000)
        stale = (await mempool.call(abci.Request(check_tx=abci.RequestCheckTx(tx=send_tx(0, 5))))).check_tx
        assert (stale.code, stale.codespace) == (32, "sdk")
        assert stale.log.startswith("account sequence mismatch, expected 2, got 0")
        recheck = (await mempool.call(abci.Request(check_tx=abci.RequestCheckTx(
            tx=send_tx(2, 5), type=abci.RECHECK)))).check_tx
        assert recheck.code == 0
        for c in (query, snapshot, mempool, consensus):
            await c.close()

    run(tmp_path, body)


def test_responses_follow_request_order_and_flush(tmp_path: Path) -> None:
    async def body(server: AbciServer, address: str) -> None:
        c = await Client.connect(address)
        await c.send(abci.Request(echo=abci.RequestEcho(message="a")), info_req(),
                     abci.Request(echo=abci.RequestEcho(message="b")), abci.Request(flush=abci.RequestFlush()),
                     abci.Request(echo=abci.RequestEcho(message="c")), abci.Request(flush=abci.RequestFlush()))
        got = await c.recv(6)
        assert [r.WhichOneof("value") for r in got] == ["echo", "info", "echo", "flush", "echo", "flush"]
        assert [got[0].echo.message, got[2].echo.message, got[4].echo.message] == ["a", "b", "c"]
        # One request split over many writes is answered once it is complete.
        raw = frame(abci.Request(echo=abci.RequestEcho(message="split"))) + frame(abci.Request(flush={}))
        for i in range(len(raw)):
            c.writer.write(raw[i : i + 1])
            await c.writer.drain()
        echo, _ = await c.recv(2)
        assert echo.echo.message == "split"
        await c.close()

    run(tmp_path, body)


def test_handler_error_answers_exception_and_closes_only_that_connection(tmp_path: Path) -> None:
    async def body(server: AbciServer, address: str) -> None:
        bystander = await Client.connect(address)
        bad = await Client.connect(address)
        await bad.send(abci.Request(echo=abci.RequestEcho(message="first")),
                       abci.Request(commit=abci.RequestCommit()), abci.Request(flush=abci.RequestFlush()))
        echo, exc = await bad.recv(2)
        assert echo.echo.message == "first"
        assert exc.exception.error == "ValueError: commit without finalize_block"
        assert await asyncio.wait_for(bad.reader.read(), 5) == b""  # closed by the server
        assert (await bystander.call(info_req())).info.last_block_height == 0
        garbage = await Client.connect(address)
        garbage.writer.write(b"\x03\xff\xff\xff")
        await garbage.writer.drain()
        [resp] = await garbage.recv(1)
        assert resp.exception.error.startswith("DecodeError")
        await bystander.close()

    run(tmp_path, body)


def test_uncommitted_block_is_dropped_when_the_consensus_connection_goes(tmp_path: Path) -> None:
    app_state = json.dumps(genesis()).encode()

    async def body(server: AbciServer, address: str) -> None:
        first = await Client.connect(address)
        await first.call(abci.Request(init_chain=abci.RequestInitChain(time=ts(T1), chain_id=CHAIN_ID,
                                                                      app_state_bytes=app_state, initial_height=1)))
        fb = (await first.call(abci.Request(finalize_block=abci.RequestFinalizeBlock(
            txs=[send_tx(0, 1)], height=1, time=ts(T1 + 1))))).finalize_block
        await first.close()
        for _ in range(100):
            if not server.connections:
                break
            await asyncio.sleep(0.01)
        second = await Client.connect(address)  # CometBFT restarted: the app is still at height 0
        assert (await second.call(info_req())).info.last_block_height == 0
        await second.call(abci.Request(init_chain=abci.RequestInitChain(time=ts(T1), chain_id=CHAIN_ID,
                                                                       app_state_bytes=app_state, initial_height=1)))
        again = (await second.call(abci.Request(finalize_block=abci.RequestFinalizeBlock(
            txs=[send_tx(0, 1)], height=1, time=ts(T1 + 1))))).finalize_block
        assert again.app_hash == fb.app_hash
        await second.call(abci.Request(commit=abci.RequestCommit()))
        assert (await second.call(info_req())).info.last_block_height == 1
        await second.close()

    run(tmp_path, body)


def test_consensus_role_stays_with_the_first_connection(tmp_path: Path) -> None:
    """Issue 10 bug 5: an intruder's bad FinalizeBlock and its close never touch the block in flight."""
    app_state = json.dumps(genesis()).encode()

    async def body(server: AbciServer, address: str) -> None:
        consensus, intruder = await Client.connect(address), await Client.connect(address)
        await consensus.call(abci.Request(init_chain=abci.RequestInitChain(
            time=ts(T1), chain_id=CHAIN_ID, app_state_bytes=app_state, initial_height=1)))
        fb = (await consensus.call(abci.Request(finalize_block=abci.RequestFinalizeBlock(
            txs=[send_tx(0, 1)], height=1, time=ts(T1 + 1))))).finalize_block
        assert (await intruder.call(info_req())).info.last_block_height == 0  # other requests are served
        await intruder.send(abci.Request(finalize_block=abci.RequestFinalizeBlock(height=9)),
                            abci.Request(flush=abci.RequestFlush()))
        [exc] = await intruder.recv(1)
        assert exc.exception.error == ("AbciProtocolError: consensus requests are served on one connection only, "
                                       "and another connection holds that role")
        assert await asyncio.wait_for(intruder.reader.read(), 5) == b""  # closed by the server
        assert (await consensus.call(abci.Request(commit=abci.RequestCommit()))).commit == abci.ResponseCommit()
        assert server.application.app.info().last_block_app_hash == fb.app_hash
        await consensus.close()
        for _ in range(100):
            if server.consensus is None:
                break
            await asyncio.sleep(0.01)
        successor = await Client.connect(address)  # the role is free again once its holder has gone
        fb2 = (await successor.call(abci.Request(finalize_block=abci.RequestFinalizeBlock(
            txs=[], height=2, time=ts(T1 + 2))))).finalize_block
        assert len(fb2.app_hash) == 32 and server.consensus is not None
        await successor.close()

    run(tmp_path, body)


class TxIndex:
    """CometBFT's ``tx`` / ``block`` RPC for one indexed tx (what ``[abci] comet-rpc`` answers)."""

    def __init__(self, tx: bytes) -> None:
        self.tx, self.calls, self.release = tx, 0, asyncio.Event()

    async def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        await self.release.wait()
        if method == "block":
            return {"block": {"header": {"time": "2023-11-14T22:13:21.5Z"}}}
        if base64.b64decode(params["hash"]) != hashlib.sha256(self.tx).digest():
            raise RpcError(-32603, "Internal error", f"tx ({base64.b64decode(params['hash']).hex().upper()}) not found")
        return {"hash": hashlib.sha256(self.tx).hexdigest().upper(), "height": "3", "index": 0,
                "tx_result": {"code": 0, "gas_wanted": "200000", "gas_used": "61000", "log": "[]"},
                "tx": base64.b64encode(self.tx).decode()}


def test_get_tx_query_is_answered_from_the_tx_index_without_blocking_others(tmp_path: Path) -> None:
    tx = send_tx(0, 5)
    index = TxIndex(tx)

    async def main() -> None:
        app = App(Store(str(tmp_path / "app")))
        server = AbciServer(app, tx_index=index)
        address = str(await server.start("tcp://127.0.0.1:0"))
        query, other = await Client.connect(address), await Client.connect(address)
        await query.send(*(abci.Request(query=abci.RequestQuery(path=GET_TX_PATH, data=service_pb2.GetTxRequest(
            hash=h).SerializeToString())) for h in (hashlib.sha256(tx).hexdigest(), "ab" * 32, "zz")),
                         abci.Request(echo=abci.RequestEcho(message="after")), abci.Request(flush=abci.RequestFlush()))
        while index.calls == 0:
            await asyncio.sleep(0.01)
        assert (await other.call(abci.Request(echo=abci.RequestEcho(message="meanwhile")))).echo.message == "meanwhile"
        index.release.set()
        found, missing, bad, echo, _ = await query.recv(5)
        got = service_pb2.GetTxResponse.FromString(found.query.value)
        assert (found.query.code, got.tx_response.txhash, got.tx_response.height) == (
            0, hashlib.sha256(tx).hexdigest().upper(), 3)
        assert (got.tx_response.timestamp, got.tx_response.gas_used, got.tx.SerializeToString()) == (
            "2023-11-14T22:13:21Z", 61000, tx)
        assert (missing.query.code, missing.query.codespace, missing.query.log) == (
            22, "sdk", f"rpc error: code = NotFound desc = tx not found: {'ab' * 32}: key not found")
        assert (bad.query.code, bad.query.log) == (
            18, "rpc error: code = InvalidArgument desc = invalid tx hash 'zz': not hex: invalid request")
        assert echo.echo.message == "after"  # the order of one connection's answers holds
        for c in (query, other):
            await c.close()
        await server.stop()
        app.store.close()

    asyncio.run(main())


class Unreachable:
    async def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        raise RpcError(-32603, "Internal error", "CometBFT RPC at http://127.0.0.1:9/ unreachable: refused")


def test_tx_queries_fail_as_query_errors_never_as_a_closed_connection(application: AbciApplication) -> None:
    """A failed tx lookup must not close the query connection: CometBFT stops when one of its connections dies."""
    req = abci.Request(query=abci.RequestQuery(path=GET_TX_PATH, data=service_pb2.GetTxRequest(
        hash="ab" * 32).SerializeToString()))
    assert application.deferred(info_req()) is None
    without = application.deferred(req)
    assert without is not None
    q = asyncio.run(without).query
    assert (q.code, q.codespace, q.log) == (6, "sdk", f"{GET_TX_PATH} needs the node's RPC: unknown request")
    application.tx_index = Unreachable()
    unreachable = application.deferred(req)
    assert unreachable is not None
    q = asyncio.run(unreachable).query
    assert (q.code, q.log) == (
        18, "Internal error: CometBFT RPC at http://127.0.0.1:9/ unreachable: refused: invalid request")


def test_unix_socket_and_address_errors(tmp_path: Path) -> None:
    sock = tmp_path / "abci.sock"

    async def body(server: AbciServer, address: str) -> None:
        assert address == f"unix://{sock}"
        c = await Client.connect(address)
        assert (await c.call(abci.Request(echo=abci.RequestEcho(message="unix")))).echo.message == "unix"
        await c.close()

    run(tmp_path, body, f"unix://{sock}")
    assert not sock.exists()
    for bad in ("tcp://127.0.0.1", "unix://", "tcp://:80", "tcp://h:99999"):
        with pytest.raises(ValueError, match="invalid ABCI address"):
            parse_address(bad)


# --- golden wire bytes of ABCI 2.0 socket messages, derived by hand from the field numbers (spec/cometbft.md §3.5):
# tag byte = (field number << 3) | wire type; every message is preceded by its length as an unsigned varint.
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
