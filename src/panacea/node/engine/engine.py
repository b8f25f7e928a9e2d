"""The embedded engine: one in-process validator driving the App the way CometBFT 0.38 does.

Per height (crash-safe at every step, spec/cometbft.md §3.2): build the block from the mempool → persist
it as the pending proposal → sign the precommit (FilePV guard) → save block + seen commit → FinalizeBlock
→ save results and tx index → App.commit → mempool update and recheck → publish events. On start the
handshake re-runs InitChain when the app is empty and replays every stored block the app has not
committed. All App calls run on one worker thread, in order; the asyncio loop serves the RPC meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from panacea.chain.app import App, AppInfo, QueryResult, TxResult
from panacea.chain.context import BlockInfo
from panacea.chain.store import Store
from panacea.node.cometbft.results import BlockResults, ExecResult, TxRecord, event_data_new_block, event_data_tx
from panacea.node.engine.blockstore import BlockStore
from panacea.node.engine.eventbus import EventBus, flatten_events
from panacea.node.engine.mempool import Mempool, MempoolError
from panacea.node.engine.privval import Ed25519Key, PrivValidator, load_or_generate_node_key
from panacea.node.home import Home, NodeConfig
from panacea.types.cometbft.encoding import EMPTY_HASH, hexu, tx_hash, txs_hash
from panacea.types.cometbft.genesis import GenesisDoc
from panacea.types.cometbft.types import (
    BLOCK_ID_FLAG_COMMIT,
    Block,
    BlockID,
    Commit,
    CommitSig,
    Header,
    Validator,
    consensus_params_hash,
    results_hash,
    validators_hash,
)

T = TypeVar("T")
MS = 1_000_000


class EngineError(Exception):
    """The node cannot start or continue (one line, no traceback)."""


def exec_result(r: TxResult) -> ExecResult:
    return ExecResult(code=r.code, data=r.data, log=r.log, gas_wanted=r.gas_wanted, gas_used=r.gas_used,
                      events=list(r.events), codespace=r.codespace)


@dataclass
class _Produced:
    block: Block
    block_id: BlockID
    results: BlockResults
    hashes: list[bytes]


class Engine:
    def __init__(self, home: Home, config: NodeConfig | None = None) -> None:
        self.home = home
        self.config = config if config is not None else home.load_config()
        self.genesis = GenesisDoc.load(str(home.genesis_file))
        self.chain_id = self.genesis.chain_id
        if not home.priv_validator_key_file.exists():
            raise EngineError(f"no validator key at {home.priv_validator_key_file} (run `panacead init` first)")
        self.privval = PrivValidator.load(home.priv_validator_key_file, home.priv_validator_state_file)
        self.node_key: Ed25519Key = load_or_generate_node_key(home.node_key_file)
        self.validators = self.genesis.validators or (Validator(self.privval.pub_key, 10),)
        total = sum(v.power for v in self.validators)
        mine = sum(v.power for v in self.validators if v.pub_key == self.privval.pub_key)
        if mine * 3 <= total * 2:
            raise EngineError(
                f"the embedded engine signs alone: validator {hexu(self.privval.address)} must hold more than 2/3 "
                f"of the genesis voting power ({mine} of {total})"
            )
        self.validators_hash = validators_hash(self.validators)
        self.consensus_hash = consensus_params_hash(self.genesis.max_bytes, self.genesis.max_gas)
        home.app_db.mkdir(parents=True, exist_ok=True)
        self.store = Store(str(home.app_db))
        self.app = App(self.store, min_gas_price=self.config.min_gas_price)
        self.blocks = BlockStore(home.blocks_db)
        self.mempool = Mempool(self.config.mempool_size)
        self.bus = EventBus()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="app")
        self.app_version = 0
        self.genesis_app_hash = b""
        self._last_results: tuple[int, bytes, bytes] | None = None  # (height, app hash, LastResultsHash)
        self.height = 0  # last committed height
        self.last_block_time_ns = 0
        self._check_queue: list[tuple[bytes, asyncio.Future[ExecResult]]] = []
        self._check_task: asyncio.Task[None] | None = None
        self._waiters: dict[bytes, list[asyncio.Future[TxRecord]]] = {}
        self._txs_available = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False
        self.started = asyncio.Event()
        self.on_block: list[Callable[[int, bytes], None]] = []
        self.listen: dict[str, str] = {}  # "rpc" / "api" → the address really bound (set by the node's servers)

    # --- the app thread ------------------------------------------------------------------------------------
    async def run_app(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def info(self) -> AppInfo:
        return self.app.info()

    async def query(self, path: str, data: bytes, height: int, prove: bool) -> QueryResult:
        return await self.run_app(self.app.query, path, data, height, prove)

    # --- start / stop ------------------------------------------------------------------------------------
    async def start(self) -> None:
        await self.run_app(self._handshake)
        self._loop_task = asyncio.create_task(self._block_loop(), name="block-loop")
        self.started.set()

    async def stop(self) -> None:
        self._stopping = True
        self._txs_available.set()
        if self._loop_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
        await self.run_app(self._close)
        self.executor.shutdown(wait=True)

    def _close(self) -> None:
        self.blocks.close()
        self.store.close()

    def _handshake(self) -> None:
        """consensus/replay.go: InitChain on an empty app, then replay stored blocks the app lacks."""
        info = self.app.info()
        self.app_version = info.app_version
        app_height, store_height = info.last_block_height, self.blocks.height
        if app_height > store_height:
            raise EngineError(f"app block height {app_height} is higher than the block store height {store_height}")
        if app_height == 0:
            try:
                root = self.app.init_chain(self.chain_id, self.genesis.app_state,
                                           initial_height=self.genesis.initial_height,
                                           time_ns=self.genesis.genesis_time_ns)
            except ValueError as e:
                raise EngineError(f"InitChain failed: {e}") from None
            self.genesis_app_hash = root or self.genesis.app_hash
        first = self.blocks.base
        if store_height and app_height and app_height < first:
            raise EngineError(f"app height {app_height} is below the block store base {first}")
        for h in range(max(app_height + 1, first if store_height else 1), store_height + 1):
            block = self.blocks.block(h)
            if block is None:
                raise EngineError(f"block {h} is missing from the block store")
            self._execute(block, replay=True)
            print(f"replayed block {h}", file=sys.stderr)
        self.height = store_height
        if store_height:
            last = self.blocks.block(store_height)
            results = self.blocks.results(store_height)
            assert last is not None
            if results is None or results.app_hash != self.store.root_hash():
                raise EngineError(f"app hash after replay does not match the stored results of height {store_height}")
            self.last_block_time_ns = last.header.time_ns
        pending = self.blocks.pending()
        if pending is not None and Block.from_bytes(pending).header.height != self.height + 1:
            self.blocks.save_pending(b"")

    # --- mempool -------------------------------------------------------------------------------------------
    async def check_tx(self, tx: bytes) -> ExecResult:
        """CheckTx without touching the mempool (the `check_tx` RPC)."""
        return exec_result(await self.run_app(self.app.check_tx, tx))

    async def broadcast(self, tx: bytes) -> ExecResult:
        """CheckTx; a passing tx enters the mempool. Raises MempoolError when CheckTx could not run."""
        if not tx:
            raise MempoolError("tx is empty")
        if len(tx) > self.genesis.max_bytes > 0:
            raise MempoolError(f"tx too large. Max size is {self.genesis.max_bytes}, but got {len(tx)}")
        fut: asyncio.Future[ExecResult] = asyncio.get_running_loop().create_future()
        self._check_queue.append((tx, fut))
        if self._check_task is None or self._check_task.done():
            self._check_task = asyncio.create_task(self._drain_checks())
        return await fut

    async def _drain_checks(self) -> None:
        while self._check_queue:
            batch, self._check_queue = self._check_queue, []
            try:
                outcomes = await self.run_app(self._check_batch, [tx for tx, _ in batch])
            except Exception as e:  # the app thread failed: report to every caller
                outcomes = [MempoolError(str(e)) for _ in batch]
            for (_, fut), outcome in zip(batch, outcomes, strict=True):
                if fut.done():
                    continue
                if isinstance(outcome, Exception):
                    fut.set_exception(outcome)
                else:
                    fut.set_result(outcome)
            if len(self.mempool):
                self._txs_available.set()

    def _check_batch(self, txs: list[bytes]) -> list[ExecResult | Exception]:
        out: list[ExecResult | Exception] = []
        pool = self.mempool
        for tx in txs:
            h = tx_hash(tx)
            if len(pool) >= pool.size:
                out.append(MempoolError(f"mempool is full: number of txs {len(pool)} (max: {pool.size})"))
                continue
            if not pool.cache_push(h):
                out.append(MempoolError("tx already exists in cache"))
                continue
            result = self.app.check_tx(tx)
            if result.code == 0:
                pool.add(h, tx, result.gas_wanted)
            else:
                pool.cache.pop(h, None)
            out.append(exec_result(result))
        return out

    def _recheck(self, included: list[bytes]) -> None:
        pool = self.mempool
        for h in included:
            pool.remove(h)
            pool.cache_push(h)
        with pool.lock:
            remaining = list(pool.txs.items())
        for h, entry in remaining:
            if self.app.check_tx(entry.tx, recheck=True).code != 0:
                pool.remove(h)
                pool.cache.pop(h, None)

    # --- blocks --------------------------------------------------------------------------------------------
    async def _block_loop(self) -> None:
        cfg = self.config
        last = time.monotonic()
        while not self._stopping:
            now = time.monotonic()
            if not len(self.mempool):
                self._txs_available.clear()
                timeout = last + cfg.empty_block_interval_ms / 1000 - now
                if timeout > 0 and self.height:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._txs_available.wait(), timeout)
                    if self._stopping:
                        break
            wait = last + cfg.block_interval_ms / 1000 - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if self._stopping:
                break
            if not len(self.mempool) and time.monotonic() - last < cfg.empty_block_interval_ms / 1000 and self.height:
                continue
            last = time.monotonic()
            produced = await self.run_app(self._produce)
            self._after_block(produced)

    def _produce(self) -> _Produced:
        height = self.height + 1 if self.height else self.genesis.initial_height
        block: Block | None = None
        pending = self.blocks.pending()
        if pending:
            candidate = Block.from_bytes(pending)
            if candidate.header.height == height:
                block, encoded = candidate, pending
        if block is None:
            block = self._propose(height)
            encoded = block.to_bytes()
            self.blocks.save_pending(encoded)
        block_id = block.block_id(encoded)
        vote_time = max(time.time_ns(), block.header.time_ns + MS)
        signature, vote_time = self.privval.sign_vote(self.chain_id, height, 0, block_id, vote_time)
        mine = CommitSig(BLOCK_ID_FLAG_COMMIT, self.privval.address, vote_time, signature)
        # one entry per validator, in the set's order (as CometBFT's commits; light clients check it)
        commit = Commit(height, 0, block_id, tuple(mine if v.pub_key == self.privval.pub_key else CommitSig.absent()
                                                   for v in self.validators))
        self.blocks.save_block(block, encoded, block_id, commit)
        return self._execute(block, block_id=block_id)

    def _propose(self, height: int) -> Block:
        txs = tuple(self.mempool.reap(self.config.max_block_txs, self.genesis.max_bytes - 1024, self.genesis.max_gas))
        if height == self.genesis.initial_height:
            time_ns = self.genesis.genesis_time_ns
            last_block_id, last_commit = BlockID(), Commit()
            app_hash, last_results = self.genesis_app_hash, b""
        else:
            time_ns = max(time.time_ns(), self.last_block_time_ns + MS)
            prev_id = self.blocks.block_id(height - 1)
            seen = self.blocks.seen_commit(height - 1)
            assert prev_id is not None and seen is not None
            last_block_id, last_commit = prev_id, seen
            app_hash, last_results = self._previous_results(height - 1)
        header = Header(
            chain_id=self.chain_id,
            height=height,
            time_ns=time_ns,
            last_block_id=last_block_id,
            last_commit_hash=last_commit.hash(),
            data_hash=txs_hash(txs),
            validators_hash=self.validators_hash,
            next_validators_hash=self.validators_hash,
            consensus_hash=self.consensus_hash,
            app_hash=app_hash,
            last_results_hash=last_results,
            evidence_hash=EMPTY_HASH,
            proposer_address=self.privval.address,
            version_app=self.app_version,
        )
        return Block(header, txs, last_commit)

    def _previous_results(self, height: int) -> tuple[bytes, bytes]:
        """(app hash, LastResultsHash) of `height`: kept from the block just executed, else decoded from the store."""
        if self._last_results is not None and self._last_results[0] == height:
            return self._last_results[1], self._last_results[2]
        results = self.blocks.results(height)
        assert results is not None
        return results.app_hash, results_hash([r.deterministic for r in results.tx_results])

    def _execute(self, block: Block, *, block_id: BlockID | None = None, replay: bool = False) -> _Produced:
        """FinalizeBlock → save results + index → Commit (state/execution.go ApplyBlock order)."""
        h = block.header
        result = self.app.finalize_block(BlockInfo(h.height, h.time_ns, h.chain_id, h.proposer_address),
                                         list(block.txs))
        results = BlockResults([exec_result(r) for r in result.tx_results], list(result.events), result.app_hash)
        stored = self.blocks.results(h.height) if replay else None
        if stored is not None and stored.app_hash != results.app_hash:
            raise EngineError(
                f"replay of block {h.height} gives app hash {hexu(results.app_hash)}, "
                f"stored {hexu(stored.app_hash)} (non-deterministic app?)"
            )
        nxt = self.blocks.block(h.height + 1) if replay else None
        if nxt is not None and nxt.header.app_hash != results.app_hash:
            raise EngineError(f"replay of block {h.height} does not give the app hash in the header of {h.height + 1}")
        hashes = [tx_hash(tx) for tx in block.txs]
        self.blocks.save_results(h.height, block.txs, hashes, results)
        self._last_results = (h.height, results.app_hash,
                              results_hash([r.deterministic for r in results.tx_results]))
        self.app.commit()
        self.height = h.height
        self.last_block_time_ns = h.time_ns
        if not replay:
            self._recheck(hashes)
        return _Produced(block, block_id or BlockID(), results, hashes)

    def _after_block(self, p: _Produced) -> None:
        """Publish the block's events and wake broadcast_tx_commit callers (on the loop thread)."""
        h = p.block.header.height
        for cb in self.on_block:
            cb(h, p.results.app_hash)
        records = [
            TxRecord(txh, h, i, tx, r)
            for i, (txh, tx, r) in enumerate(zip(p.hashes, p.block.txs, p.results.tx_results, strict=True))
        ]
        for rec in records:
            for fut in self._waiters.pop(rec.hash, []):
                if not fut.done():
                    fut.set_result(rec)
        if not self.bus.subscriptions:
            return
        block_events = flatten_events(p.results.events)
        block_events.setdefault("tm.event", []).append("NewBlock")
        self.bus.publish(block_events, lambda: event_data_new_block(p.block, p.block_id, p.results))
        header_events = {"tm.event": ["NewBlockHeader"]}
        self.bus.publish(header_events, lambda: {"type": "tendermint/event/NewBlockHeader",
                                                 "value": {"header": p.block.header.to_json()}})
        for rec in records:
            events = flatten_events(rec.result.events)
            events.setdefault("tm.event", []).append("Tx")
            events.setdefault("tx.hash", []).append(hexu(rec.hash))
            events.setdefault("tx.height", []).append(str(h))
            self.bus.publish(events, lambda rec=rec: event_data_tx(rec))  # type: ignore[misc]

    async def wait_for_tx(self, h: bytes, timeout: float) -> TxRecord:
        fut: asyncio.Future[TxRecord] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(h, []).append(fut)
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            waiters = self._waiters.get(h)
            if waiters is not None and fut in waiters:
                waiters.remove(fut)
                if not waiters:
                    del self._waiters[h]

    def latest_header(self) -> Header | None:
        block = self.blocks.block(self.height) if self.height else None
        return block.header if block else None
