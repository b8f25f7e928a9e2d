"""The Panacea state machine behind ABCI-shaped methods; both engines drive exactly this object.

Life of a block: ``finalize_block`` runs begin-block hooks, every tx (ante in one branch, messages in a
second) and end-block hooks into a block cache and returns the app hash that ``commit`` then persists.
Queries only ever read committed versions.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

import orjson
from google.protobuf.message import DecodeError

from panacea.chain.ante import AnteHandler, DecodedTx, check_min_gas_price, decode_tx
from panacea.chain.context import BlockInfo, Context
from panacea.chain.errors import ChainError, ErrInvalidRequest, ErrPanic, ErrTxDecode, ErrUnknownRequest, query_log
from panacea.chain.events import Event
from panacea.chain.gas import GasMeter, OutOfGas
from panacea.chain.kv import CacheKV, CommittedKV
from panacea.chain.module import JSON, Module, MsgRoute, QueryRoute
from panacea.chain.modules.auth.keeper import AuthKeeper
from panacea.chain.modules.auth.module import AuthModule
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.chain.modules.bank.module import BankModule
from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.chain.modules.datadeal.module import DatadealModule
from panacea.chain.modules.did.keeper import DIDKeeper
from panacea.chain.modules.did.module import DIDModule
from panacea.chain.modules.gov.keeper import GovKeeper
from panacea.chain.modules.gov.module import GovModule
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.chain.modules.oracle.module import OracleModule
from panacea.chain.store import Store
from panacea.crypto.merkle import Proof
from panacea.types.grpc_status import UNKNOWN, simulate_message, status_log
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2

APP_VERSION: Final = 1
APP_NAME: Final = "panacea-dep"
STORE_PREFIXES: Final = {
    "acc": b"acc/", "bank": b"bank/", "datadeal": b"datadeal/", "oracle": b"oracle/", "gov": b"gov/", "did": b"did/"
}
META_CHAIN_ID: Final = b"chain_id"
META_INITIAL_HEIGHT: Final = b"initial_height"
SIMULATE_PATH: Final = "/cosmos.tx.v1beta1.Service/Simulate"
# ABCI ProofOp type of our Merkle proofs; the op's key is the full tree key (see proven_key).
PROOF_OP_TYPE: Final = "panacea:smt"
MEMPOOL_DECODED_MAX: Final = 100_000  # decoded txs kept from CheckTx for their block (bounded; cleared when full)
# What a malformed tx can make decoding or keepers raise; turned into results, never a halted chain.
_BAD_TX: Final = (ValueError, ArithmeticError, KeyError, IndexError, TypeError, DecodeError)


class TxResult:
    """One tx's outcome. A successful tx's ``log`` (the SDK's ABCIMessageLogs JSON) is built from its
    per-message events only when first read: block execution never needs it, only clients do."""

    __slots__ = ("_log", "_msg_events", "code", "codespace", "data", "events", "gas_used", "gas_wanted")

    def __init__(
        self,
        code: int = 0,
        codespace: str = "",
        log: str = "",
        data: bytes = b"",
        gas_wanted: int = 0,
        gas_used: int = 0,
        events: list[Event] | None = None,
        *,
        msg_events: list[list[Event]] | None = None,
    ) -> None:
        self.code = code
        self.codespace = codespace
        self._log: str | None = log if msg_events is None else None
        self._msg_events = msg_events
        self.data = data
        self.gas_wanted = gas_wanted
        self.gas_used = gas_used
        self.events: list[Event] = events if events is not None else []

    @property
    def log(self) -> str:
        if self._log is None:
            assert self._msg_events is not None
            self._log = _messages_log(self._msg_events)
            self._msg_events = None
        return self._log

    @log.setter
    def log(self, value: str) -> None:
        self._log = value
        self._msg_events = None

    @property
    def ok(self) -> bool:
        return self.code == 0

    def _fields(self) -> tuple[object, ...]:
        return (self.code, self.codespace, self.log, self.data, self.gas_wanted, self.gas_used, self.events)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, TxResult)
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        return (
            f"TxResult(code={self.code!r}, codespace={self.codespace!r}, log={self.log!r}, data={self.data!r}, "
            f"gas_wanted={self.gas_wanted!r}, gas_used={self.gas_used!r}, events={self.events!r})"
        )


@dataclass
class BlockResult:
    tx_results: list[TxResult]
    events: list[Event]
    app_hash: bytes


@dataclass
class QueryResult:
    code: int = 0
    codespace: str = ""
    log: str = ""
    key: bytes = b""
    value: bytes = b""
    height: int = 0
    proof: Proof | None = None


@dataclass(frozen=True)
class AppInfo:
    data: str
    version: str
    app_version: int
    last_block_height: int
    last_block_app_hash: bytes


def _error_result(e: ChainError, gas_wanted: int, gas_used: int) -> TxResult:
    return TxResult(code=e.code, codespace=e.codespace, log=e.log, gas_wanted=gas_wanted, gas_used=gas_used)


class App:
    def __init__(self, store: Store, *, min_gas_price: Decimal = Decimal(0),
                 did_reference_compat: bool = False) -> None:
        """``did_reference_compat``: the DID module behaves as the reference where our departures differ
        (docs/decisions.md "DIDs"); every node of a chain must agree on it, like on any consensus rule."""
        self.store = store
        self.min_gas_price = min_gas_price
        self.auth = AuthKeeper()
        self.bank = BankKeeper(self.auth)
        self.oracle = OracleKeeper()
        self.datadeal = DatadealKeeper(self.auth, self.bank, self.oracle)
        self.gov = GovKeeper(self.auth, self.bank, self.oracle)
        self.did = DIDKeeper(reference_compat=did_reference_compat)
        self.modules: list[Module[Any]] = [
            AuthModule(self.auth),
            BankModule(self.bank),
            OracleModule(self.oracle),
            DatadealModule(self.datadeal),
            GovModule(self.gov),
            DIDModule(self.did),  # genesis after the others, as the reference's follows aol (§5 point 5)
        ]
        self.routes: dict[str, MsgRoute] = {r.type_url: r for m in self.modules for r in m.routes()}
        self.query_routes: dict[str, QueryRoute] = {q.path: q for m in self.modules for q in m.queries()}
        self.ante = AnteHandler(self.auth, self.bank)
        raw_chain_id = store.get_meta(META_CHAIN_ID)
        self.chain_id = raw_chain_id.decode() if raw_chain_id else ""
        self._pending: CacheKV | None = None  # the block being executed (or genesis not yet committed)
        self._pending_height = 0
        self._prepared: Any = None
        self._check: CacheKV = CacheKV(CommittedKV(store))
        self._mempool_decoded: dict[bytes, DecodedTx] = {}
        self.last_block = BlockInfo(height=store.version, time_ns=0, chain_id=self.chain_id)

    # --- info / genesis ---------------------------------------------------------------------------
    def info(self) -> AppInfo:
        h = self.store.version
        return AppInfo(
            data=APP_NAME,
            version="0.1.0",
            app_version=APP_VERSION,
            last_block_height=h,
            last_block_app_hash=self.store.root_hash() if h else b"",
        )

    def default_genesis(self) -> JSON:
        return {m.name: m.default_genesis() for m in self.modules}

    def validate_genesis(self, app_state: JSON) -> None:
        unknown = sorted(set(app_state) - {m.name for m in self.modules})
        if unknown:
            raise ValueError(f"unknown genesis section(s): {', '.join(unknown)}")
        for m in self.modules:
            try:
                m.validate_genesis(app_state.get(m.name, m.default_genesis()))
            except ChainError as e:
                raise ValueError(f"invalid {m.name} genesis: {e.log}") from None

    def init_chain(self, chain_id: str, app_state: JSON, *, initial_height: int = 1, time_ns: int = 0) -> bytes:
        """Stage genesis; it is committed with the first block (CometBFT may re-run this). Returns the
        root of the genesis state, which becomes the app hash of the first block's header."""
        if self.store.version:
            raise ValueError(f"chain already initialised at height {self.store.version}")
        self.validate_genesis(app_state)
        self.chain_id = chain_id
        self._pending = CacheKV(CommittedKV(self.store))
        self._pending_height = initial_height - 1
        ctx = Context(self._pending, BlockInfo(initial_height, time_ns, chain_id))
        for m in self.modules:
            m.init_genesis(ctx, app_state.get(m.name, m.default_genesis()))
        return self.store.prepare(self._pending.writes, initial_height).root

    def export_genesis(self, height: int | None = None) -> JSON:
        ctx = self.query_context(height)
        return {m.name: m.export_genesis(ctx) for m in self.modules}

    # --- mempool ------------------------------------------------------------------------------------
    def check_tx(self, tx_bytes: bytes, *, recheck: bool = False) -> TxResult:
        block = BlockInfo(self.store.version + 1, self.last_block.time_ns, self.chain_id)
        cached = self._mempool_decoded.pop(tx_bytes, None) if recheck else None
        tx = cached if cached is not None else self._decode(tx_bytes)
        if isinstance(tx, TxResult):
            return tx
        gas = GasMeter(tx.gas_limit)
        ctx = Context(self._check, block, gas, check_tx=True)
        try:
            if not recheck:
                check_min_gas_price(tx, self.min_gas_price)
            branch, cache = ctx.branch()
            self.ante.run(branch, tx, recheck=recheck)
            cache.write()
        except ChainError as e:
            return _error_result(e, tx.gas_limit, gas.consumed)
        except OutOfGas as oog:
            return TxResult(code=11, codespace="sdk", log=oog.log(), gas_wanted=tx.gas_limit, gas_used=gas.consumed)
        except _BAD_TX as bad:
            return _error_result(ErrInvalidRequest.wrap(f"invalid transaction: {bad}"), tx.gas_limit, gas.consumed)
        if len(self._mempool_decoded) >= MEMPOOL_DECODED_MAX:
            self._mempool_decoded.clear()
        self._mempool_decoded[tx_bytes] = tx
        return TxResult(gas_wanted=tx.gas_limit, gas_used=gas.consumed)

    def _decode(self, tx_bytes: bytes) -> DecodedTx | TxResult:
        """Decode + ValidateBasic; any failure is a tx result, never an exception."""
        try:
            return decode_tx(tx_bytes, self.routes)
        except ChainError as e:
            return _error_result(e, 0, 0)
        except _BAD_TX as bad:
            return _error_result(ErrTxDecode.wrap(f"invalid transaction: {bad}"), 0, 0)

    # --- blocks ---------------------------------------------------------------------------------------
    def finalize_block(self, block: BlockInfo, txs: Sequence[bytes]) -> BlockResult:
        with _no_cyclic_gc():
            return self._finalize_block(block, txs)

    def _finalize_block(self, block: BlockInfo, txs: Sequence[bytes]) -> BlockResult:
        expected = self.store.version + 1 if self.store.version else None
        if expected is not None and block.height != expected:
            raise ValueError(f"finalize_block at height {block.height}, expected {expected}")
        if self._pending is None or self._pending_height >= block.height:
            if self._pending is not None and self._pending_height >= block.height:
                raise ValueError("finalize_block called twice for the same height without commit")
            self._pending = CacheKV(CommittedKV(self.store))
        if not self.chain_id:
            self.chain_id = block.chain_id
        block = BlockInfo(block.height, block.time_ns, self.chain_id, block.proposer)
        pending = self._pending
        self._pending_height = block.height
        block_events: list[Event] = []
        ctx = Context(pending, block)
        for m in self.modules:
            m.begin_block(ctx)
        block_events.extend(ctx.events)
        results = [self._deliver(pending, block, tx) for tx in txs]
        ctx = Context(pending, block)
        for m in self.modules:
            m.end_block(ctx)
        block_events.extend(ctx.events)
        self._prepared = self.store.prepare(pending.writes, block.height)
        self.last_block = block
        return BlockResult(results, block_events, self._prepared.root)

    def _deliver(self, pending: CacheKV, block: BlockInfo, tx_bytes: bytes) -> TxResult:
        # A tx that passed CheckTx here was already decoded and validated: decoding is a pure function of
        # the bytes, so reusing that result changes nothing but the time spent.
        cached = self._mempool_decoded.pop(tx_bytes, None)
        tx = cached if cached is not None else self._decode(tx_bytes)
        if isinstance(tx, TxResult):
            return tx
        return self._run_tx(pending, block, tx, simulate=False)

    def _run_tx(self, parent: CacheKV, block: BlockInfo, tx: DecodedTx, *, simulate: bool) -> TxResult:
        """Ante, then the messages, each phase kept only if it all passes (a savepoint on ``parent``)."""
        gas_limit = tx.gas_limit
        gas = GasMeter(None if simulate else gas_limit)
        ctx = Context(parent, block, gas)
        parent.savepoint()
        try:
            self.ante.run(ctx, tx, simulate=simulate)
        except ChainError as e:
            parent.rollback()
            return _error_result(e, gas_limit, gas.consumed)
        except _BAD_TX as bad:  # never halt the chain on a bad tx
            parent.rollback()
            return _error_result(ErrInvalidRequest.wrap(f"invalid transaction: {bad}"), gas_limit, gas.consumed)
        except OutOfGas as oog:
            parent.rollback()
            return TxResult(code=11, codespace="sdk", log=oog.log(), gas_wanted=gas_limit, gas_used=gas.consumed)
        except BaseException:
            parent.rollback()
            raise
        parent.release()
        emitted = ctx.events
        n_ante = len(emitted)
        events = emitted[:]
        msg_data: list[bytes] = []  # TxMsgData, encoded entry by entry
        msg_events: list[list[Event]] = []
        parent.savepoint()
        try:
            for route, msg in tx.msgs:
                before = len(emitted)
                response = route.handle(ctx, msg)
                own = [route.action_event]
                own += emitted[before:]
                msg_data.append(route.msg_data(response.SerializeToString()))
                msg_events.append(own)
                events += own
        except ChainError as e:
            parent.rollback()
            failed = _error_result(_with_msg_index(e, len(msg_events)), gas_limit, gas.consumed)
            failed.events = events[:n_ante]
            return failed
        except OutOfGas as oog:
            parent.rollback()
            return TxResult(
                code=11,
                codespace="sdk",
                log=oog.log(),
                gas_wanted=gas_limit,
                gas_used=gas.consumed,
                events=events[:n_ante],
            )
        except _BAD_TX as bad:  # a keeper bug must not halt the chain
            parent.rollback()
            return TxResult(
                code=ErrPanic.code,
                codespace=ErrPanic.codespace,
                log=f"recovered: {bad}: {ErrPanic.message}",
                gas_wanted=gas_limit,
                gas_used=gas.consumed,
                events=events[:n_ante],
            )
        except BaseException:
            parent.rollback()
            raise
        parent.release()
        return TxResult(
            code=0,
            data=b"".join(msg_data),
            gas_wanted=gas_limit,
            gas_used=gas.consumed,
            events=events,
            msg_events=msg_events,
        )

    def commit(self) -> int:
        """Persist the finalized block; returns the committed height."""
        with _no_cyclic_gc():
            return self._commit()

    def _commit(self) -> int:
        if self._prepared is None or self._pending is None:
            raise ValueError("commit without finalize_block")
        meta: dict[bytes, bytes] = {}
        if not self.store.version:
            meta[META_CHAIN_ID] = self.chain_id.encode()
        self.store.commit_prepared(self._prepared, meta)
        self._prepared = None
        self._pending = None
        self._check = CacheKV(CommittedKV(self.store))
        return self.store.version

    def abort_block(self) -> None:
        """Drop a finalized but uncommitted block (the consensus engine went away; it will replay it)."""
        self._pending = None
        self._prepared = None
        self._pending_height = 0

    # --- queries --------------------------------------------------------------------------------------
    def query_context(self, height: int | None = None) -> Context:
        """A read-only context on committed state at ``height`` (latest when None or 0), for keeper reads."""
        version = height if height else self.store.version
        if version > self.store.version:
            raise ErrInvalidRequest.wrap("cannot query with height in the future; please provide a valid height")
        return Context(CommittedKV(self.store, version), BlockInfo(version, self.last_block.time_ns, self.chain_id))

    def query(self, path: str, data: bytes = b"", height: int = 0, prove: bool = False) -> QueryResult:
        try:
            if not self.store.version:
                raise ErrInvalidRequest.wrap("the chain has no committed block yet")
            version = height or self.store.version
            if path.startswith("/store/") and path.endswith("/key"):
                return self._query_store(path, data, version, prove)
            if path == SIMULATE_PATH:
                return self._query_simulate(data, version)
            route = self.query_routes.get(path)
            if route is None:
                raise ErrUnknownRequest.wrap(f"unknown query path: {path}")
            try:
                req = route.request_type.FromString(data)
            except DecodeError:
                raise ErrInvalidRequest.wrap("invalid request") from None
            ctx = self.query_context(version)
            try:
                resp = route.handle(ctx, req)
            except ChainError as handler_error:  # a gRPC handler's error: the SDK's status form (cosmjs reads it)
                return QueryResult(code=handler_error.code, codespace=handler_error.codespace,
                                   log=query_log(handler_error), height=height)
            return QueryResult(value=resp.SerializeToString(), height=version)
        except ChainError as e:
            return QueryResult(code=e.code, codespace=e.codespace, log=e.log, height=height)

    def _query_store(self, path: str, key: bytes, version: int, prove: bool) -> QueryResult:
        name = path[len("/store/") : -len("/key")]
        prefix = STORE_PREFIXES.get(name)
        if prefix is None:
            raise ErrUnknownRequest.wrap(f"no such store: {name}")
        if version > self.store.version:
            raise ErrInvalidRequest.wrap("cannot query with height in the future; please provide a valid height")
        full = prefix + key
        value = self.store.get(full, version)
        return QueryResult(
            key=key, value=value or b"", height=version, proof=self.store.prove(full, version) if prove else None
        )

    def simulate(self, tx_bytes: bytes) -> tuple[TxResult, int]:
        """Run a tx on the mempool (CheckTx) state without keeping anything; returns (result, gas)."""
        tx = self._decode(tx_bytes)
        if isinstance(tx, TxResult):
            return tx, 0
        block = BlockInfo(self.store.version + 1, self.last_block.time_ns, self.chain_id)
        result = self._run_tx(CacheKV(self._check), block, tx, simulate=True)  # like the SDK: on checkState
        return result, result.gas_used

    def _query_simulate(self, data: bytes, version: int) -> QueryResult:
        try:
            req = service_pb2.SimulateRequest.FromString(data)
        except DecodeError:
            raise ErrTxDecode.wrap("invalid simulate request") from None
        result, gas = self.simulate(req.tx_bytes)
        if not result.ok:  # the SDK's tx service: status Unknown, the tx's log and its gas
            log = status_log(UNKNOWN, simulate_message(result.log, result.gas_wanted, result.gas_used))
            return QueryResult(code=result.code, codespace=result.codespace, log=log, height=version)
        resp = service_pb2.SimulateResponse()
        resp.gas_info.gas_used = gas
        resp.gas_info.gas_wanted = result.gas_wanted
        resp.result.data = result.data
        resp.result.log = result.log
        return QueryResult(value=resp.SerializeToString(), height=version)


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Blocks allocate many short-lived, acyclic objects: the cyclic collector only costs time there."""
    collect = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collect:
            gc.enable()


def proven_key(path: str, key: bytes) -> bytes:
    """The tree key a ``/store/<name>/key`` proof is about: the module's prefix ‖ the queried key."""
    name = path[len("/store/") : -len("/key")] if path.startswith("/store/") and path.endswith("/key") else ""
    return STORE_PREFIXES.get(name, b"") + key


def _messages_log(msg_events: list[list[Event]]) -> str:
    """ABCIMessageLogs JSON of a successful tx: one entry per message with its merged events."""
    return orjson.dumps(
        [{"msg_index": i, "log": "", "events": _log_events(events)} for i, events in enumerate(msg_events)]
    ).decode()


def _log_events(events: list[Event]) -> list[dict[str, object]]:
    """ABCIMessageLog events: attributes of the same type are merged, like the SDK's StringifyEvents."""
    merged: dict[str, list[dict[str, str]]] = {}
    order: list[str] = []
    for ev in events:
        if ev.type not in merged:
            merged[ev.type] = []
            order.append(ev.type)
        merged[ev.type].extend({"key": k, "value": v} for k, v in ev.attributes)
    return [{"type": t, "attributes": merged[t]} for t in sorted(order)]


def _with_msg_index(e: ChainError, i: int) -> ChainError:
    return ChainError(e.codespace, e.code, f"failed to execute message; message index: {i}: {e.log}")
