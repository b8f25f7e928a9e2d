"""The filesystem backend: atomic, idempotent puts (a writer killed mid-write leaves no object), pages."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

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
    asyncio.run(FileStorage(Path(sys.argv[1])).put(7, sys.argv[2], b"x" * 1_000_000))
""")


def test_backend_contract(tmp_path: Path) -> None:
    asyncio.run(backend_contract(FileStorage(tmp_path)))
    assert sorted(os.listdir(tmp_path / "1")) == ["04", H]
    assert os.listdir(tmp_path / "5") == [H]


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
