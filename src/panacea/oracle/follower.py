"""The event follower of ``oracled start`` (oracle-reference §5; issue 12): approves every oracle registration
and upgrade the chain records, with the checks and texts of :mod:`panacea.oracle.approve`.

How it keeps up (docs/oracle.md "Event follower"):

- One websocket subscription, ``tm.event='Tx' AND message.action CONTAINS 'Oracle'`` (RegisterOracle,
  UpgradeOracle and the approvals): one query, so the node pushes its events in block order. A pushed
  registration or upgrade at height H makes the follower read *all* of block H (``block_results``) and
  handle every registration and upgrade of every successful tx there at once; H is then processed.
- The last processed height is persisted (``data/follower.json``, written atomically) after each block
  handled. On every (re)connection, after subscribing, it catches up from there to the latest height:
  ``tx_search`` for RegisterOracle and UpgradeOracle in windows of blocks, then ``block_results`` for the
  newest ``tip_window`` blocks (CometBFT indexes txs only after publishing them). Blocks pushed meanwhile
  at or below the processed height are ignored.
- Every approval first re-reads the registration or upgrade: one that already holds an encrypted key is
  skipped, so restarts, catch-up overlaps and other oracles' approvals cost a read, not a failing tx.
- A failed broadcast is retried ``max_attempts`` times with backoff (re-checking in between), then logged
  as a terminal error and counted; a failed §5 check is final at once. If the chain cannot be read the
  block is not marked processed: the follower reconnects (bounded exponential backoff) and redoes it.
- The handlers of one block run concurrently; their txs get their sequences from the wallet's account lock.
- ``data/follower.lock`` (flock) makes it one follower per home: run it once in ``oracled start``, not in
  each HTTP worker.

Departure: the reference subscribes per action with no catch-up, handles only the first event of each
push, and approves registrations already approved (docs/decisions.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import threading
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import Any, Literal

from panacea.client.aio import AsyncWallet
from panacea.client.errors import NodeUnreachableError
from panacea.client.events import (
    Backoff,
    TxEvent,
    block_tx_events,
    follow,
    height_range,
    latest_height,
    search_txs,
)
from panacea.client.types import Fee, Gas
from panacea.oracle.approve import DEFAULT_TX_TIMEOUT, ApprovalError, Approver
from panacea.oracle.enclave import Enclave, EnclaveKey
from panacea.oracle.errors import Category, OracleError
from panacea.oracle.home import OracleHome, write_private
from panacea.oracle.interfaces import LifecycleReader

log = logging.getLogger(__name__)

# chain-reference §0, §3.5, §3.8 (spelled here: the oracle never imports the chain)
REGISTRATION_EVENT = "oracle_registration"
UPGRADE_EVENT = "oracle_upgrade"
ATTR_UNIQUE_ID = "unique_id"
ATTR_ORACLE_ADDRESS = "oracle_address"
CATCH_UP_QUERIES = ("message.action='RegisterOracle'", "message.action='UpgradeOracle'")
LIVE_QUERY = "tm.event='Tx' AND message.action CONTAINS 'Oracle'"
KINDS: dict[str, Literal["registration", "upgrade"]] = {REGISTRATION_EVENT: "registration", UPGRADE_EVENT: "upgrade"}

STATE_FILE = "follower.json"
STATUS_FILE = "follower-status.json"
LOCK_FILE = "follower.lock"
DEFAULT_MAX_ATTEMPTS = 3
DEFAULT_RETRY_BACKOFF = Backoff(initial=1.0, factor=2.0, maximum=10.0)
DEFAULT_RECONNECT_BACKOFF = Backoff(initial=0.5, factor=2.0, maximum=30.0)
DEFAULT_TIP_WINDOW = 20
DEFAULT_SEARCH_WINDOW = 10_000


@dataclass(frozen=True)
class LifecycleEvent:
    """A registration or upgrade recorded in block ``height`` (what the handlers are asked to approve)."""

    kind: Literal["registration", "upgrade"]
    unique_id: str
    oracle_address: str
    height: int


def lifecycle_events(txs: Iterable[TxEvent]) -> list[LifecycleEvent]:
    """Every registration and upgrade of the successful txs, in order, each one once."""
    out: list[LifecycleEvent] = []
    for tx in txs:
        if not tx.ok:
            continue
        for event_type, kind in KINDS.items():
            for attrs in tx.of_type(event_type):
                unique_id, address = attrs.get(ATTR_UNIQUE_ID), attrs.get(ATTR_ORACLE_ADDRESS)
                item = LifecycleEvent(kind, unique_id or "", address or "", tx.height)
                if unique_id and address and item not in out:
                    out.append(item)
    return out


class HeightStore:
    """The last processed height in ``<data_dir>/follower.json`` (``{"chain_id", "height"}``, atomic writes),
    the lock that keeps one follower per home, and where the status is published (``follower-status.json``)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / STATE_FILE
        self.status_path = data_dir / STATUS_FILE
        self.lock_path = data_dir / LOCK_FILE

    def read(self) -> tuple[str, int] | None:
        """(chain_id, height) as last saved; None before the first save."""
        try:
            doc = json.loads(self.path.read_text())
            return str(doc["chain_id"]), int(doc["height"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            raise OracleError(f"{self.path.name} is unreadable: remove it to start from the latest block, or give "
                              "a start height", Category.INTERNAL) from None

    def save(self, chain_id: str, height: int) -> None:
        write_private(self.path, (json.dumps({"chain_id": chain_id, "height": str(height)}) + "\n").encode())

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold ``follower.lock`` (another holder, in any process: OracleError CONFLICT)."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise OracleError(f"another event follower is running with this home ({LOCK_FILE} is locked)",
                                  Category.CONFLICT) from None
            yield
        finally:
            os.close(fd)  # releases the lock


@dataclass(frozen=True)
class FollowerStatus:
    """A snapshot for ``/v0/status``: progress, what was done, the last error (never key material or URLs)."""

    running: bool
    connected: bool
    last_processed_height: int | None
    approved: int  # approval txs this follower committed
    already_approved: int  # skipped: the key had been shared already
    rejected: int  # a §5 check failed
    failed: int  # broadcasts that failed max_attempts times
    reconnects: int
    last_error: str | None

    def to_json(self) -> dict[str, object]:
        """JSON for ``/v0/status`` (the height as a string, like CometBFT's int64s)."""
        height = self.last_processed_height
        return {"running": self.running, "connected": self.connected,
                "last_processed_height": None if height is None else str(height),
                "approved": self.approved, "already_approved": self.already_approved, "rejected": self.rejected,
                "failed": self.failed, "reconnects": self.reconnects, "last_error": self.last_error}


    @staticmethod
    def from_json(doc: dict[str, Any]) -> FollowerStatus:
        """The inverse of :meth:`to_json` (KeyError, TypeError or ValueError on another shape)."""
        height, error = doc["last_processed_height"], doc["last_error"]
        return FollowerStatus(
            running=bool(doc["running"]), connected=bool(doc["connected"]),
            last_processed_height=None if height is None else int(height), approved=int(doc["approved"]),
            already_approved=int(doc["already_approved"]), rejected=int(doc["rejected"]), failed=int(doc["failed"]),
            reconnects=int(doc["reconnects"]), last_error=None if error is None else str(error))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, another user's
        return True
    return True


def read_status(data_dir: Path) -> FollowerStatus | None:
    """The follower's last published status, from any process of the oracle (the HTTP workers' ``/v0/status``);
    None before a follower ever ran in this home. A follower that died without saying so reads as stopped."""
    try:
        doc = json.loads((data_dir / STATUS_FILE).read_text())
        status, pid = FollowerStatus.from_json(doc), int(doc["pid"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("event follower: %s is unreadable", STATUS_FILE)
        return None
    if status.running and not _alive(pid):
        return replace(status, running=False, connected=False)
    return status


def describe(e: BaseException) -> str:
    """One line for logs and status: the reference text of oracle errors, no node URL."""
    if isinstance(e, BaseExceptionGroup) and e.exceptions:
        return describe(e.exceptions[0])
    if isinstance(e, OracleError):
        return e.message
    if isinstance(e, NodeUnreachableError):
        return "cannot reach the chain node"
    return str(e) or type(e).__name__


class EventFollower:
    """Follows the chain for one oracle: ``await run(stop)`` until ``stop`` is set, or ``start()`` / ``stop()``."""

    def __init__(self, approver: Approver, state: HeightStore, *, start_height: int | None = None,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS, retry_backoff: Backoff = DEFAULT_RETRY_BACKOFF,
                 reconnect_backoff: Backoff = DEFAULT_RECONNECT_BACKOFF, tip_window: int = DEFAULT_TIP_WINDOW,
                 search_window: int = DEFAULT_SEARCH_WINDOW, heartbeat: float = 10.0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        # tip_window ≥ 1: the latest block may not be in CometBFT's tx index yet, and its pushed events may
        # have gone before the subscription started, so it is always read with block_results.
        if min(max_attempts, tip_window, search_window) < 1 or (start_height is not None and start_height < 1):
            raise ValueError("max_attempts, tip_window, search_window and start_height must be at least 1")
        self.approver = approver
        self.client = approver.wallet.client
        self.state = state
        self.start_height = start_height
        self.max_attempts = max_attempts
        self.retry_backoff = retry_backoff
        self.reconnect_backoff = reconnect_backoff
        self.tip_window = tip_window
        self.search_window = search_window
        self.heartbeat = heartbeat
        self._sleep = sleep
        self._chain_id = ""
        self._height: int | None = None
        self._saved: tuple[str, int] | None = None
        self._counts = {"approved": 0, "already_approved": 0, "rejected": 0, "failed": 0, "reconnects": 0}
        self._running = self._connected = False
        self._last_error: str | None = None
        self._published: FollowerStatus | None = None
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def from_home(cls, home: OracleHome, reader: LifecycleReader, wallet: AsyncWallet, enclave: Enclave,
                  key: EnclaveKey, *, fee: Fee | None = None, gas: Gas = "auto",
                  gas_price: Decimal | str | None = None, tx_timeout: float = DEFAULT_TX_TIMEOUT,
                  start_height: int | None = None, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                  retry_backoff: Backoff = DEFAULT_RETRY_BACKOFF,
                  reconnect_backoff: Backoff = DEFAULT_RECONNECT_BACKOFF) -> EventFollower:
        """The follower of an oracle home: its state in the home's data dir, the fee of each approval
        ``panacea.default-fee-amount`` unless given (gas simulated)."""
        approver = Approver(reader, enclave, key, wallet, gas=gas, gas_price=gas_price, tx_timeout=tx_timeout,
                            fee=home.config.panacea.default_fee_amount if fee is None else fee)
        return cls(approver, HeightStore(home.data_dir), start_height=start_height, max_attempts=max_attempts,
                   retry_backoff=retry_backoff, reconnect_backoff=reconnect_backoff)

    # --- life cycle -----------------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Follow until ``stop`` is set or the task is cancelled; raises at once if the home has another
        follower or an unreadable state file."""
        with self.state.exclusive():
            self._saved = self.state.read()
            self._running = True
            self._publish()
            log.info("event follower: following %s", self.client.node)
            try:
                await follow(self.client.node, [LIVE_QUERY], self._on_event, on_connect=self.catch_up,
                             on_error=self._on_error, backoff=self.reconnect_backoff, stop=stop, sleep=self._sleep,
                             heartbeat=self.heartbeat)
            finally:
                self._running = self._connected = False
                self._publish()
                log.info("event follower: stopped after height %s", self._height)

    def start(self, stop: asyncio.Event | None = None) -> asyncio.Task[None]:
        """Run in a task of the current loop (once per oracle process: not in each HTTP worker)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self.run(stop), name="oracle-event-follower")
        return self._task

    async def stop(self) -> None:
        """Stop the task :meth:`start` made and wait for it (a block being handled is redone next time:
        its approvals are re-checked, so none is sent twice)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def status(self) -> FollowerStatus:
        """Progress and counters now, in this process; other processes: :func:`read_status`."""
        c = self._counts
        return FollowerStatus(self._running, self._connected, self._height, c["approved"], c["already_approved"],
                              c["rejected"], c["failed"], c["reconnects"], self._last_error)

    def _publish(self) -> None:
        """Write the status for the other processes when it changed (a failure is logged, never raised)."""
        status = self.status()
        if status == self._published:
            return
        try:
            doc = {"pid": os.getpid(), **status.to_json()}
            write_private(self.state.status_path, (json.dumps(doc) + "\n").encode())
            self._published = status
        except OSError as e:
            log.warning("event follower: cannot write %s: %s", STATUS_FILE, e.strerror or e)

    # --- progress -------------------------------------------------------------------------------------------
    async def _initial_height(self, latest: int) -> int:
        self._chain_id = await self.client.get_chain_id()
        if self.start_height is not None:
            return self.start_height - 1
        if self._saved is not None:
            chain_id, height = self._saved
            if chain_id == self._chain_id:
                return height
            log.warning("event follower: %s is for chain %s, not %s: starting at the latest block", STATE_FILE,
                        chain_id, self._chain_id)
        return latest

    def _advance(self, height: int) -> None:
        """Mark every block up to ``height`` processed, on disk first."""
        if self._height is None or height > self._height:
            self.state.save(self._chain_id, height)
            self._height = height
            self._publish()

    async def catch_up(self) -> None:
        """Everything between the processed height and the latest block (run after each (re)subscription)."""
        self._connected = True
        self._publish()
        latest = await latest_height(self.client)
        if self._height is None:
            self._advance(await self._initial_height(latest))
        assert self._height is not None
        first, indexed_end = self._height + 1, latest - self.tip_window
        for start in range(first, indexed_end + 1, self.search_window):
            end = min(indexed_end, start + self.search_window - 1)
            found: list[TxEvent] = []
            for query in CATCH_UP_QUERIES:
                found += await search_txs(self.client, height_range(query, start, end))
            found.sort(key=lambda t: (t.height, t.index))
            for height, txs in groupby(found, key=lambda t: t.height):
                await self._process(height, lifecycle_events(txs))
            self._advance(end)
        for height in range(max(first, indexed_end + 1), latest + 1):
            items = lifecycle_events(await block_tx_events(self.client, height))
            if items:
                await self._process(height, items)
        self._advance(latest)

    async def _on_event(self, tx: TxEvent) -> None:
        """A pushed tx: if it records a registration or upgrade in a new block, handle that whole block."""
        if self._height is None or tx.height <= self._height or not lifecycle_events([tx]):
            return
        await self._process(tx.height, lifecycle_events(await block_tx_events(self.client, tx.height)))

    def _on_error(self, e: Exception, delay: float) -> None:
        self._connected = False
        self._counts["reconnects"] += 1
        self._last_error = describe(e)
        self._publish()
        log.warning("event follower: %s; reconnecting in %.1fs (resuming after height %s)", self._last_error, delay,
                    self._height)

    # --- one block ------------------------------------------------------------------------------------------
    async def _process(self, height: int, items: list[LifecycleEvent]) -> None:
        """Handle every item of block ``height`` concurrently, then mark it processed."""
        try:
            async with asyncio.TaskGroup() as group:
                for item in items:
                    group.create_task(self._handle(item))
        except BaseExceptionGroup as eg:  # the chain could not be read: the block stays unprocessed
            raise eg.exceptions[0] from None
        self._advance(height)

    async def _handle(self, item: LifecycleEvent) -> None:
        """One approval with bounded retries of its broadcast; final outcomes are logged and counted."""
        what = f"{item.kind} of {item.oracle_address} (unique ID {item.unique_id}, block {item.height})"
        approve = self.approver.approve_registration if item.kind == "registration" else self.approver.approve_upgrade
        for attempt in range(1, self.max_attempts + 1):
            try:
                outcome = await approve(item.unique_id, item.oracle_address)
            except ApprovalError as e:
                if not e.retryable and e.category is Category.UNAVAILABLE:
                    raise
                if not e.retryable:
                    self._final("rejected", e.message)
                    log.warning("event follower: not approving the %s: %s", what, e.message)
                    return
                if attempt == self.max_attempts:
                    self._final("failed", e.message)
                    log.error("event follower: giving up on the %s after %d attempts: %s", what, attempt, e.message)
                    return
                delay = self.retry_backoff.delay(attempt - 1)
                log.warning("event follower: attempt %d/%d for the %s failed: %s; retrying in %.1fs", attempt,
                            self.max_attempts, what, e.message, delay)
                await self._sleep(delay)
                continue
            self._counts[outcome.result] += 1
            self._publish()
            if outcome.result == "approved":
                log.info("event follower: approved the %s: tx %s in block %d", what, outcome.tx_hash, outcome.height)
            else:
                log.info("event follower: the %s is approved already", what)
            return

    def _final(self, counter: str, message: str) -> None:
        self._counts[counter] += 1
        self._last_error = message
        self._publish()


class FollowerThread:
    """An EventFollower beside ``oracled start``'s HTTP worker processes: run once, in a daemon thread with
    an event loop of its own, in the process that starts the workers (they read its status with
    :func:`read_status`). ``open_follower`` makes the follower inside that loop (the chain client and the
    reader belong to the loop) and closes what it opened on exit."""

    def __init__(self, open_follower: Callable[[], AbstractAsyncContextManager[EventFollower]]) -> None:
        self._open = open_follower
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._follower: EventFollower | None = None
        self._thread: threading.Thread | None = None
        self.error: BaseException | None = None  # why the thread ended early, if it did

    def start(self) -> None:
        """Start the thread; returns once its loop runs."""
        self._thread = threading.Thread(target=self._main, name="oracle-event-follower", daemon=True)
        self._thread.start()
        self._ready.wait()

    def _main(self) -> None:
        try:
            asyncio.run(self._run())
        except Exception as e:  # the follower could not start (another one runs, unreadable state): say why
            self.error = e
            log.error("event follower: %s", describe(e))
        finally:
            self._ready.set()

    async def _run(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        self._ready.set()
        async with self._open() as follower:
            self._follower = follower
            await follower.run(self._stop)

    def status(self) -> FollowerStatus | None:
        """The follower's status (None until it is made)."""
        return None if self._follower is None else self._follower.status()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the follower (from any thread) and wait up to ``timeout`` seconds for the thread to end."""
        if self._loop is not None and self._stop is not None and self.alive:
            with contextlib.suppress(RuntimeError):  # the loop has just closed
                self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)


async def run_follower(home: OracleHome, reader: LifecycleReader, wallet: AsyncWallet, enclave: Enclave,
                       key: EnclaveKey, stop_event: asyncio.Event, **options: Any) -> None:
    """``oracled start``'s follower task: :meth:`EventFollower.from_home` run until ``stop_event`` is set."""
    await EventFollower.from_home(home, reader, wallet, enclave, key, **options).run(stop_event)
