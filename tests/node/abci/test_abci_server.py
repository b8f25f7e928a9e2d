"""An ABCI conversation with the server over real sockets, as CometBFT 0.38 holds it (spec/cometbft.md §3)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from google.protobuf import timestamp_pb2

from panacea.chain.app import App
from panacea.chain.context import BlockInfo
from panacea.chain.genesis import add_account
from panacea.chain.store import Store, verify_proof
from panacea.chain.store.proof import Proof
from panacea.client.tx import Signer, build_tx
from panacea.crypto.keys import PrivateKey
from panacea.node.abci_server import PROOF_OP_TYPE, AbciServer, FrameReader, frame, parse_address
from panacea.types.coins import Coin
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
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
