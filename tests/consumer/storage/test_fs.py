"""The filesystem backend: atomic, idempotent puts (a writer killed mid-write leaves no object), pages."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from panacea.consumer.storage import PutResult
from panacea.consumer.storage.fs import FileStorage
from tests.consumer.storage.checks import H, backend_contract

# A writer that stops for good inside the write (between writing the temp file and making it visible).
_WRITER = textwrap.dedent("""
    import asyncio, os, sys, time
    from pathlib import Path
    from panacea.consumer.storage.fs import FileStorage
    real_fsync = os.fsync
    def stuck_fsync(fd):
        real_fsync(fd)
        print("writing", flush=True)
        time.sleep(3600)
    os.fsync = stuck_fsync
    group = sys.argv[3] == "group"
    asyncio.run(FileStorage(Path(sys.argv[1]), group_commit=group).put(7, sys.argv[2], b"x" * 1_000_000))
""")
MODES = pytest.mark.parametrize("group", [True, False], ids=["group-commit", "fsync-each"])


@MODES
def test_backend_contract(tmp_path: Path, group: bool) -> None:
    storage = FileStorage(tmp_path, group_commit=group)
    assert storage.group_commit is group
    asyncio.run(backend_contract(storage))
    assert sorted(os.listdir(tmp_path / "1")) == ["04", H]
    assert os.listdir(tmp_path / "5") == [H]


def test_concurrent_puts_share_commits(tmp_path: Path) -> None:
    storage = FileStorage(tmp_path)

    async def go() -> list[PutResult]:
        distinct = [storage.put(3, f"{i:064x}", f"data {i}".encode()) for i in range(64)]
        same = [storage.put(4, H, b"same") for _ in range(8)]
        return list(await asyncio.gather(*distinct, *same))

    results = asyncio.run(go())
    assert results[:64] == [PutResult(True, len(f"data {i}")) for i in range(64)]
    assert sorted(r.created for r in results[64:]) == [False] * 7 + [True]
    assert 1 <= storage.commits < 64
    assert sorted(os.listdir(tmp_path / "3")) == [f"{i:064x}" for i in range(64)]
    assert (tmp_path / "3" / f"{5:064x}").read_bytes() == b"data 5"
    assert os.listdir(tmp_path / "4") == [H]


@MODES
def test_writer_killed_mid_write_leaves_no_visible_object(tmp_path: Path, group: bool) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), H, "group" if group else "each"],
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline() == b"writing\n"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    s = FileStorage(tmp_path)
    assert asyncio.run(s.get(7, H)) is None
    assert asyncio.run(s.page(7, "", 10)) == []
    leftovers = os.listdir(tmp_path / "7")
    assert len(leftovers) == 1 and leftovers[0].startswith(f".tmp-{H}-")
    assert s.sweep_temp(max_age=3600) == 0  # a fresh temp file may belong to a live writer
    assert s.sweep_temp(max_age=-1) == 1
    assert os.listdir(tmp_path / "7") == []
    assert asyncio.run(s.put(7, H, b"x")) == PutResult(True, 1)
