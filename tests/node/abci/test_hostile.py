"""A few hundred hostile ABCI frames on intruding connections (truncated and oversized varints, garbage and
unknown protobuf, consensus requests out of turn): each answered with an exception and a close, one log line,
no traceback, and the consensus connection still commits a tx afterwards (issue 10)."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import pytest

from panacea.chain.app import App
from panacea.chain.store import Store
from panacea.node.abci.server import AbciServer, encode_uvarint, frame
from panacea.types.pb.tendermint.abci import types_pb2 as abci
from tests.node.abci.test_server import CHAIN_ID, RECEIVER, T1, Client, genesis, send_tx, ts
from tests.node.kit import LogWatch


def hostile_streams() -> list[bytes]:
    """Byte streams a hostile peer may send; each one must end its connection or be answered."""
    rng = random.Random(10)
    streams = [b"\xff" * 11, b"\x80" * 9, b"\xff\xff\xff\xff\x7f", encode_uvarint(1 << 40) + b"x",
               encode_uvarint((1 << 31) + 1), b"\x05\x0a", b"\x03\xff\xff\xff", b"\x02\x00\x00",
               frame(abci.Request()), encode_uvarint(3) + b"\xa2\x06\x00",  # an unknown field number
               frame(abci.Request(finalize_block=abci.RequestFinalizeBlock(height=1, txs=[b"x" * 1000]))),
               frame(abci.Request(commit=abci.RequestCommit())),
               frame(abci.Request(init_chain=abci.RequestInitChain(chain_id="evil", app_state_bytes=b"[" * 5000))),
               frame(abci.Request(query=abci.RequestQuery(path="/cosmos.tx.v1beta1.Service/GetTx", data=b"\xff"))),
               frame(abci.Request(query=abci.RequestQuery(path="\xff" * 100, data=b"\x00" * 10_000, height=-5))),
               frame(abci.Request(check_tx=abci.RequestCheckTx(tx=b"\x00" * 100_000)))]
    streams += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))) for _ in range(200)]
    streams += [encode_uvarint(n) + bytes(rng.randrange(256) for _ in range(n)) for n in range(1, 100)]
    return streams


def test_hostile_abci_frames(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                             capfd: pytest.CaptureFixture[str]) -> None:
    watch = LogWatch(caplog, capfd)
    app_state = json.dumps(genesis()).encode()
    streams = hostile_streams()
    assert len(streams) > 300

    async def main() -> None:
        app = App(Store(str(tmp_path / "app")))
        server = AbciServer(app)
        address = str(await server.start("tcp://127.0.0.1:0"))
        consensus = await Client.connect(address)
        await consensus.call(abci.Request(init_chain=abci.RequestInitChain(
            time=ts(T1), chain_id=CHAIN_ID, app_state_bytes=app_state, initial_height=1)))
        fb = (await consensus.call(abci.Request(finalize_block=abci.RequestFinalizeBlock(
            txs=[send_tx(0, 42)], height=1, time=ts(T1 + 1))))).finalize_block
        assert [r.code for r in fb.tx_results] == [0]
        for stream in streams:  # while block 1 waits for its Commit
            c = await Client.connect(address)
            c.writer.write(stream + frame(abci.Request(flush=abci.RequestFlush())))
            await c.writer.drain()
            c.writer.write_eof()
            await asyncio.wait_for(c.reader.read(), 10)  # answered and closed, or answered and left open
            c.writer.close()
        assert (await consensus.call(abci.Request(commit=abci.RequestCommit()))).commit == abci.ResponseCommit()
        assert app.info().last_block_height == 1
        assert app.bank.balance(app.query_context(), RECEIVER.address(), "umed") == 42
        await consensus.close()
        await server.stop()
        app.store.close()

    asyncio.run(main())
    err = capfd.readouterr().err
    lines = err.splitlines()
    assert lines and all(line.startswith("abci: ") and line.endswith("; closing the connection") for line in lines)
    assert "Traceback" not in err
    watch.assert_clean()
