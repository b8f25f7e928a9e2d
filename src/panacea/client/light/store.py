"""The light client's verified blocks, persisted (the reference's ``light/store/db`` in ``data/light-client``).

One LMDB environment: ``blocks`` maps BE64(height) to the light block's JSON, ``meta`` holds the trust root the
blocks descend from. LMDB commits are atomic, so a crash leaves the store as of the last commit; commits are not
fsynced (a power loss may forget the newest blocks, which are verified again from an older one). Several
processes (HTTP workers) may share the directory. A stored block was verified before it was written: it is as
trusted as the home's trust root is (the reference seals the values; a tamperer with write access to the home
could replace the root as well). When the home's trust root changes, the stored blocks are dropped.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Final

import lmdb

from panacea.client.light.verifier import LightBlock

log = logging.getLogger(__name__)

DEFAULT_KEEP: Final = 1000  # blocks kept besides the trust root (CometBFT's default pruning size)
MAP_SIZE: Final = 1 << 30


def _key(height: int) -> bytes:
    return height.to_bytes(8, "big")


def _root_value(height: int, block_hash: bytes) -> bytes:
    return f"{height}:{block_hash.hex().upper()}".encode()


_OPEN: dict[str, tuple[lmdb.Environment, int]] = {}  # this process's environments and their users
_OPEN_LOCK = threading.Lock()


def _open_env(path: Path) -> lmdb.Environment:
    """The process's one environment for ``path`` (LMDB refuses a second open of a path in a process: the HTTP
    app and the event follower of ``oracled start`` with one worker share it)."""
    key = str(path.resolve())
    with _OPEN_LOCK:
        env, users = _OPEN.get(key, (None, 0))
        if env is None:
            env = lmdb.open(key, map_size=MAP_SIZE, max_dbs=2, sync=False, metasync=False, lock=True)
        _OPEN[key] = (env, users + 1)
        return env


def _close_env(path: Path) -> None:
    key = str(path.resolve())
    with _OPEN_LOCK:
        env, users = _OPEN[key]
        if users > 1:
            _OPEN[key] = (env, users - 1)
            return
        del _OPEN[key]
        env.close()


class LightStore:
    """Verified light blocks by height, the trust root's block always among them."""

    def __init__(self, path: Path, *, keep: int = DEFAULT_KEEP) -> None:
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, 0o700)
        self.path = path
        self.keep = keep
        self.env = _open_env(path)
        self._blocks = self.env.open_db(b"blocks")
        self._meta = self.env.open_db(b"meta")
        self._root_height = 0
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _close_env(self.path)

    def load(self, root_height: int, root_hash: bytes) -> list[LightBlock]:
        """The stored blocks (by height) descending from this trust root; none, after a reset, for another root."""
        self._root_height = root_height
        root = _root_value(root_height, root_hash)
        with self.env.begin(write=True) as txn:
            if txn.get(b"root", db=self._meta) != root:
                txn.drop(self._blocks, delete=False)
                txn.put(b"root", root, db=self._meta)
                return []
            raw = list(txn.cursor(db=self._blocks))
        out: list[LightBlock] = []
        for key, value in raw:
            try:
                block = LightBlock.from_json(json.loads(value))
            except ValueError as e:  # cannot happen short of a damaged disk: the block is verified again if needed
                log.warning("light client store: ignoring unreadable block %d: %s", int.from_bytes(key, "big"), e)
                continue
            out.append(block)
        return out

    def save(self, block: LightBlock) -> list[int]:
        """Store a verified block; returns the heights pruned to keep the newest ``keep`` (and the root)."""
        with self.env.begin(write=True) as txn:
            txn.put(_key(block.height), json.dumps(block.to_json(), separators=(",", ":")).encode(), db=self._blocks)
            count = txn.stat(self._blocks)["entries"]
            pruned: list[int] = []
            if count > self.keep + 1:
                cursor = txn.cursor(db=self._blocks)
                cursor.first()
                for key in cursor.iternext(values=False):
                    if count - len(pruned) <= self.keep + 1:
                        break
                    height = int.from_bytes(key, "big")
                    if height != self._root_height:
                        pruned.append(height)
                for height in pruned:
                    txn.delete(_key(height), db=self._blocks)
        return pruned
