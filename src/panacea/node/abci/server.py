"""ABCI 2.0 socket server: serves `panacea.chain.app.App` to a real CometBFT 0.38 node (spec/cometbft.md §3).

Wire: every message is a uvarint length followed by a ``tendermint.abci.Request`` (in) or ``Response`` (out).
CometBFT dials 4 connections (consensus, mempool, query, snapshot); nothing names them, so every connection
dispatches on the request type. All requests run on the event loop thread, one at a time, which gives the
same global serialisation as CometBFT's reference server; only a tx-service query (GetTx, GetTxsEvent: it
reads CometBFT's tx index over its RPC and no app state) is awaited, pausing that connection alone. Responses
go out in request order and the socket is written whenever the received bytes are used up (so also at every
Flush). A handler exception answers ``Response.exception`` and closes that connection, as CometBFT's own
servers do; the process keeps running. The consensus role belongs to the first connection that sends a
consensus request until it closes: another connection's consensus request is refused the same way and never
touches the block in flight.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from google.protobuf import timestamp_pb2

from panacea.chain.app import PROOF_OP_TYPE, App, QueryResult, TxResult, proven_key
from panacea.chain.context import BlockInfo
from panacea.node import txservice
from panacea.node.rpc.api import Rpc
from panacea.types import lp
from panacea.types.events import Event
from panacea.types.pb.tendermint.abci import types_pb2 as abci
from panacea.types.pb.tendermint.crypto import proof_pb2

MAX_MESSAGE_BYTES = 1 << 31  # libs/protoio: CometBFT's own limit
"""ProofOp.type of a state-tree proof: key = full store key (module prefix ‖ key), data = Proof.to_bytes()."""

CONSENSUS_REQUESTS = frozenset({"init_chain", "prepare_proposal", "process_proposal", "extend_vote",
                                "verify_vote_extension", "finalize_block", "commit"})


class AbciProtocolError(Exception):
    """The peer sent bytes that are not a framed ABCI request."""


# --- framing -----------------------------------------------------------------------------------------------
encode_uvarint = lp.encode_uvarint


def decode_uvarint(buf: bytes | bytearray | memoryview, pos: int = 0) -> tuple[int, int] | None:
    """(value, position after it), or None when ``buf`` ends inside the varint."""
    try:
        return lp.decode_uvarint(buf, pos)
    except lp.TruncatedError:
        return None
    except ValueError:
        raise AbciProtocolError("uvarint length prefix overflows 64 bits") from None


def frame(message: abci.Request | abci.Response) -> bytes:
    body = message.SerializeToString()
    return encode_uvarint(len(body)) + body


class FrameReader:
    """Accumulates stream bytes and yields complete message bodies."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        bodies: list[bytes] = []
        pos = 0
        while True:
            head = decode_uvarint(self._buf, pos)
            if head is None:
                break
            length, start = head
            if length > MAX_MESSAGE_BYTES:
                raise AbciProtocolError(f"message of {length} bytes exceeds the {MAX_MESSAGE_BYTES} byte limit")
            if start + length > len(self._buf):
                break
            bodies.append(bytes(self._buf[start : start + length]))
            pos = start + length
        if pos:
            del self._buf[:pos]
        return bodies


# --- conversions ---------------------------------------------------------------------------------------------
def timestamp_ns(ts: timestamp_pb2.Timestamp) -> int:
    return ts.seconds * 1_000_000_000 + ts.nanos


def abci_events(events: list[Event]) -> list[abci.Event]:
    """Every attribute is indexed (the kv indexer stores only index=true; spec §5)."""
    return [
        abci.Event(type=e.type, attributes=[abci.EventAttribute(key=k, value=v, index=True) for k, v in e.attributes])
        for e in events
    ]


def exec_tx_result(r: TxResult) -> abci.ExecTxResult:
    return abci.ExecTxResult(code=r.code, data=r.data, log=r.log, gas_wanted=r.gas_wanted, gas_used=r.gas_used,
                             events=abci_events(r.events), codespace=r.codespace)


def check_tx_response(r: TxResult) -> abci.ResponseCheckTx:
    return abci.ResponseCheckTx(code=r.code, data=r.data, log=r.log, gas_wanted=r.gas_wanted, gas_used=r.gas_used,
                                events=abci_events(r.events), codespace=r.codespace)


def query_response(r: QueryResult, path: str) -> abci.ResponseQuery:
    resp = abci.ResponseQuery(code=r.code, log=r.log, key=r.key, value=r.value, height=r.height,
                              codespace=r.codespace)
    if r.proof is not None:
        resp.proof_ops.CopyFrom(proof_ops(path, r.key, r.proof.to_bytes()))
    return resp


def proof_ops(path: str, key: bytes, proof: bytes) -> proof_pb2.ProofOps:
    """``/store/<name>/key`` proofs are over the full store key (module prefix ‖ key)."""
    return proof_pb2.ProofOps(ops=[proof_pb2.ProofOp(type=PROOF_OP_TYPE, key=proven_key(path, key), data=proof)])


def prepare_txs(txs: list[bytes], max_tx_bytes: int) -> list[bytes]:
    """The proposal keeps the mempool order; txs from the first one that would exceed the limit are dropped."""
    out: list[bytes] = []
    total = 0
    for tx in txs:
        total += len(tx)
        if max_tx_bytes >= 0 and total > max_tx_bytes:
            break
        out.append(tx)
    return out


# --- the application side ------------------------------------------------------------------------------------
class AbciApplication:
    """Maps ABCI requests onto App calls, one request at a time; only the tx-service queries do I/O."""

    def __init__(self, app: App, tx_index: Rpc | None = None) -> None:
        self.app = app
        self.tx_index = tx_index  # CometBFT's RPC, for the tx service queries (GetTx, GetTxsEvent)
        self._handlers: dict[str, Callable[[abci.Request], abci.Response]] = {
            "echo": lambda r: abci.Response(echo=abci.ResponseEcho(message=r.echo.message)),
            "flush": lambda r: abci.Response(flush=abci.ResponseFlush()),
            "info": self._info,
            "init_chain": self._init_chain,
            "query": self._query,
            "check_tx": self._check_tx,
            "commit": self._commit,
            "list_snapshots": lambda r: abci.Response(list_snapshots=abci.ResponseListSnapshots()),
            "offer_snapshot": lambda r: abci.Response(offer_snapshot=abci.ResponseOfferSnapshot()),
            "load_snapshot_chunk": lambda r: abci.Response(load_snapshot_chunk=abci.ResponseLoadSnapshotChunk()),
            "apply_snapshot_chunk": lambda r: abci.Response(apply_snapshot_chunk=abci.ResponseApplySnapshotChunk()),
            "prepare_proposal": self._prepare_proposal,
            "process_proposal": lambda r: abci.Response(
                process_proposal=abci.ResponseProcessProposal(status=abci.ResponseProcessProposal.ACCEPT)),
            "extend_vote": lambda r: abci.Response(extend_vote=abci.ResponseExtendVote()),
            "verify_vote_extension": lambda r: abci.Response(
                verify_vote_extension=abci.ResponseVerifyVoteExtension(
                    status=abci.ResponseVerifyVoteExtension.ACCEPT)),
            "finalize_block": self._finalize_block,
        }

    def handle(self, req: abci.Request) -> abci.Response:
        """The response to one request; raises on a request the app cannot serve (-> Response.exception)."""
        kind = req.WhichOneof("value")
        if kind is None:
            raise AbciProtocolError("empty ABCI request")
        return self._handlers[kind](req)

    def deferred(self, req: abci.Request) -> Coroutine[Any, Any, abci.Response] | None:
        """A tx-service query, answered from CometBFT's tx index (awaits its RPC); None for every other request."""
        if req.WhichOneof("value") != "query" or req.query.path not in txservice.TX_SERVICE_PATHS:
            return None
        return self._tx_query(req.query)

    async def _tx_query(self, r: abci.RequestQuery) -> abci.Response:
        if self.tx_index is None:  # a query error, never a closed connection (CometBFT would stop)
            result = QueryResult(code=6, codespace="sdk", log=f"{r.path} needs the node's RPC: unknown request")
        else:
            result = await txservice.abci_query(self.tx_index, r.path, r.data, self.app.store.version)
        return abci.Response(query=query_response(result, r.path))

    def _info(self, req: abci.Request) -> abci.Response:
        i = self.app.info()
        return abci.Response(info=abci.ResponseInfo(data=i.data, version=i.version, app_version=i.app_version,
                                                    last_block_height=i.last_block_height,
                                                    last_block_app_hash=i.last_block_app_hash))

    def _init_chain(self, req: abci.Request) -> abci.Response:
        r = req.init_chain
        if r.app_state_bytes.strip():
            try:
                app_state = json.loads(r.app_state_bytes)
            except (json.JSONDecodeError, UnicodeDecodeError) as e:
                raise ValueError(f"genesis app_state is not valid JSON: {e}") from None
            if not isinstance(app_state, dict):
                raise ValueError("genesis app_state must be a JSON object")
        else:
            app_state = self.app.default_genesis()
        app_hash = self.app.init_chain(r.chain_id, app_state, initial_height=max(r.initial_height, 1),
                                       time_ns=timestamp_ns(r.time))
        return abci.Response(init_chain=abci.ResponseInitChain(app_hash=app_hash))

    def _query(self, req: abci.Request) -> abci.Response:
        r = req.query
        result = self.app.query(r.path, r.data, r.height, r.prove)
        return abci.Response(query=query_response(result, r.path))

    def _check_tx(self, req: abci.Request) -> abci.Response:
        r = req.check_tx
        result = self.app.check_tx(r.tx, recheck=r.type == abci.RECHECK)
        return abci.Response(check_tx=check_tx_response(result))

    def _prepare_proposal(self, req: abci.Request) -> abci.Response:
        r = req.prepare_proposal
        return abci.Response(prepare_proposal=abci.ResponsePrepareProposal(
            txs=prepare_txs(list(r.txs), r.max_tx_bytes)))

    def _finalize_block(self, req: abci.Request) -> abci.Response:
        r = req.finalize_block
        block = BlockInfo(r.height, timestamp_ns(r.time), self.app.chain_id, r.proposer_address)
        result = self.app.finalize_block(block, list(r.txs))
        return abci.Response(finalize_block=abci.ResponseFinalizeBlock(
            events=abci_events(result.events), tx_results=[exec_tx_result(t) for t in result.tx_results],
            app_hash=result.app_hash))

    def _commit(self, req: abci.Request) -> abci.Response:
        self.app.commit()
        return abci.Response(commit=abci.ResponseCommit(retain_height=0))

    def abort_uncommitted(self) -> None:
        """Forget a block finalized but never committed (CometBFT went away); it replays it on reconnect."""
        self.app.abort_block()


# --- sockets ---------------------------------------------------------------------------------------------------
class _Connection(asyncio.Protocol):
    """One peer connection: requests answered in order; a tx-service query pauses only this connection."""

    def __init__(self, server: AbciServer) -> None:
        self.server = server
        self.reader = FrameReader()
        self.transport: asyncio.Transport | None = None
        self.pending: deque[bytes] = deque()
        self.broken = ""  # a framing error, answered once the requests before it are
        self.waiting: asyncio.Future[abci.Response] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.server.connections.add(self)

    def data_received(self, data: bytes) -> None:
        if self.closed or self.broken:
            return
        try:
            self.pending.extend(self.reader.feed(data))
        except AbciProtocolError as e:
            self.broken = str(e)
        if self.waiting is None:
            self._drain()

    def _drain(self) -> None:
        out = bytearray()
        while self.pending and not self.closed:
            try:
                req = abci.Request.FromString(self.pending.popleft())
                if req.WhichOneof("value") in CONSENSUS_REQUESTS and not self.server.claim_consensus(self):
                    raise AbciProtocolError("consensus requests are served on one connection only, "
                                            "and another connection holds that role")
                deferred = self.server.application.deferred(req)
                if deferred is not None:
                    self._write(out)
                    self.waiting = asyncio.ensure_future(deferred)
                    self.waiting.add_done_callback(self._resume)
                    return
                out += frame(self.server.application.handle(req))
            except Exception as e:  # any handler failure ends this connection, never the process
                self._fail(out, f"{type(e).__name__}: {e}")
                return
        if self.broken and not self.closed:
            self._fail(out, self.broken)
            return
        self._write(out)

    def _resume(self, done: asyncio.Future[abci.Response]) -> None:
        self.waiting = None
        if done.cancelled():
            return
        error = done.exception()  # retrieved even when closed: asyncio would log it otherwise
        if self.closed:
            return
        if error is not None:
            self._fail(bytearray(), f"{type(error).__name__}: {error}")
            return
        self._write(bytearray(frame(done.result())))
        self._drain()

    def _write(self, out: bytearray) -> None:
        if out and self.transport is not None and not self.closed:
            self.transport.write(bytes(out))

    def _fail(self, out: bytearray, error: str) -> None:
        print(f"abci: {error}; closing the connection", file=sys.stderr, flush=True)
        out += frame(abci.Response(exception=abci.ResponseException(error=error)))
        self._write(out)
        self.closed = True
        assert self.transport is not None
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.server.connections.discard(self)
        if self.waiting is not None:
            self.waiting.cancel()
        self.server.release_consensus(self)


@dataclass(frozen=True)
class AbciAddress:
    scheme: str  # "tcp" | "unix"
    host: str = ""
    port: int = 0
    path: str = ""

    def __str__(self) -> str:
        return f"unix://{self.path}" if self.scheme == "unix" else f"tcp://{self.host}:{self.port}"


def parse_address(address: str) -> AbciAddress:
    """``tcp://host:port``, ``host:port`` or ``unix://path`` (clear ValueError otherwise)."""
    if address.startswith("unix://"):
        path = address[len("unix://") :]
        if not path:
            raise ValueError(f"invalid ABCI address {address!r}: empty socket path")
        return AbciAddress("unix", path=path)
    rest = address[len("tcp://") :] if address.startswith("tcp://") else address
    host, sep, port = rest.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"invalid ABCI address {address!r}: want tcp://host:port or unix://path")
    return AbciAddress("tcp", host=host.strip("[]"), port=int(port))


class AbciServer:
    """Listens on one address; every accepted connection speaks ABCI to the same AbciApplication."""

    def __init__(self, app: App, tx_index: Rpc | None = None) -> None:
        self.application = AbciApplication(app, tx_index)
        self.connections: set[_Connection] = set()
        self.consensus: _Connection | None = None  # the first connection that sent a consensus request
        self._server: asyncio.Server | None = None
        self.address: AbciAddress | None = None

    def claim_consensus(self, conn: _Connection) -> bool:
        """True when ``conn`` holds the consensus role (taking it if free): one connection's block at a time."""
        if self.consensus is None:
            self.consensus = conn
        return self.consensus is conn

    def release_consensus(self, conn: _Connection) -> None:
        """The consensus connection went away: forget its uncommitted block and free the role."""
        if self.consensus is conn:
            self.consensus = None
            self.application.abort_uncommitted()

    async def start(self, address: str) -> AbciAddress:
        """Bind and listen; returns the bound address (port 0 resolved)."""
        addr = parse_address(address)
        loop = asyncio.get_running_loop()
        if addr.scheme == "unix":
            if os.path.exists(addr.path):
                Path(addr.path).unlink()
            self._server = await loop.create_unix_server(lambda: _Connection(self), addr.path)
            self.address = addr
        else:
            self._server = await loop.create_server(lambda: _Connection(self), addr.host, addr.port)
            port = self._server.sockets[0].getsockname()[1]
            self.address = AbciAddress("tcp", host=addr.host, port=port)
        return self.address

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for c in list(self.connections):
            if c.transport is not None:
                c.transport.close()
        await self._server.wait_closed()
        self._server = None
        if self.address is not None and self.address.scheme == "unix" and os.path.exists(self.address.path):
            Path(self.address.path).unlink()
