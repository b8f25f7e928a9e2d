"""``panacead start --abci``: loopback by default, listening lines with the bound ports, and one line on
SIGTERM and one on stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from panacea.cli.start import start
from panacea.node.home import DEFAULT_ABCI, Home, NodeConfig


def test_the_default_abci_address_is_loopback() -> None:
    """The ABCI socket has no authentication: a bare ``--abci`` (and ``python -m …abci``) binds loopback."""
    assert DEFAULT_ABCI == "tcp://127.0.0.1:26658"
    [option] = [p for p in start.params if p.name == "abci_address"]
    assert option.flag_value == DEFAULT_ABCI  # type: ignore[attr-defined]


def test_listening_lines_then_sigterm_is_two_lines(tmp_path: Path) -> None:
    home = Home(tmp_path / "app")
    home.write_config(NodeConfig(api_address="tcp://127.0.0.1:0"))
    proc = subprocess.Popen([sys.executable, "-m", "panacea.node.start.abci", "--home", str(home.path),
                             "--abci", "tcp://127.0.0.1:0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None and proc.stderr is not None
        first, second = proc.stdout.readline(), proc.stdout.readline()
        assert re.fullmatch(r"abci: listening on tcp://127\.0\.0\.1:\d+ \(height 0\)\n", first), first
        assert re.fullmatch(r"api: listening on http://127\.0\.0\.1:\d+\n", second), second
        proc.send_signal(signal.SIGTERM)
        rest, err = proc.stdout.read(), proc.stderr.read()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert rest.splitlines() == ["abci: SIGTERM received, stopping", "abci: stopped at height 0"]
    assert err == ""
