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

from panacea.consumer.storage import ConflictError, ObjectInfo, PutResult
from panacea.consumer.storage.fs import FileStorage

H = "ab" * 32

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
    asyncio.run(FileStorage(Path(sys.argv[1])).put(7, sys.argv[2], b"x" * 1_000_000))
""")


def test_put_get_page_and_conflict(tmp_path: Path) -> None:
    s = FileStorage(tmp_path)

    async def run() -> None:
        assert await s.put(1, H, b"data") == PutResult(True, 4)
        assert await s.put(1, H, b"data") == PutResult(False, 4)
        with pytest.raises(ConflictError, match="^data already stored with different content$"):
            await s.put(1, H, b"dat4")
        assert await s.get(1, H) == b"data"
        assert await s.get(1, "cd" * 32) is None
        assert await s.get(2, H) is None
        for h in ("03", "01", "02"):
            await s.put(2, h, h.encode())
        assert await s.page(2, "", 2) == [ObjectInfo("01", 2), ObjectInfo("02", 2)]
        assert await s.page(2, "02", 2) == [ObjectInfo("03", 2)]
        assert await s.page(3, "", 2) == []

    asyncio.run(run())
    assert sorted(os.listdir(tmp_path / "1")) == [H]


def test_concurrent_puts_of_one_object_store_it_once(tmp_path: Path) -> None:
    s = FileStorage(tmp_path)

    async def run() -> list[PutResult]:
        return list(await asyncio.gather(*(s.put(1, H, b"same") for _ in range(16))))

    results = asyncio.run(run())
    assert sorted(r.created for r in results) == [False] * 15 + [True]
    assert os.listdir(tmp_path / "1") == [H]


def test_writer_killed_mid_write_leaves_no_visible_object(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path), H], stdout=subprocess.PIPE)
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
