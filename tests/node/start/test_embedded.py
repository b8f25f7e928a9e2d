"""``panacead start`` on the embedded engine: one-line errors and stop lines, addresses that really listen."""

from __future__ import annotations

import dataclasses
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from panacea.cli.panacead import main
from tests.node.kit import make_home


def test_busy_rpc_port_is_one_line_and_exit_1(tmp_path: Path) -> None:
    home = make_home(tmp_path / "node")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        home.write_config(dataclasses.replace(home.load_config(), rpc_laddr=f"tcp://127.0.0.1:{port}"))
        result = CliRunner().invoke(main, ["start", "--home", str(home.path)])
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[-1] == (
        f"Error: JSON-RPC cannot listen on 127.0.0.1:{port}: Address already in use "
        f"(change [rpc] laddr in {home.app_toml})")
    assert "Traceback" not in result.output


def test_status_reports_the_bound_addresses_and_sigterm_is_two_lines(tmp_path: Path) -> None:
    """Ports 0 in app.toml: status and the log name the ports really bound; SIGTERM logs one line, stop one."""
    home = make_home(tmp_path / "node")
    home.write_config(dataclasses.replace(home.load_config(), rpc_laddr="tcp://127.0.0.1:0",
                                          api_address="tcp://127.0.0.1:0", api_enable=True))
    proc = subprocess.Popen([sys.executable, "-m", "panacea.node.start.embedded", "--home", str(home.path)],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stderr is not None
        rpc_line, api_line = proc.stderr.readline(), proc.stderr.readline()
        rpc = re.fullmatch(r"JSON-RPC listening on (tcp://127\.0\.0\.1:(\d+)) \(chain panacea-node, height \d+\)\n",
                           rpc_line)
        api = re.fullmatch(r"REST API on tcp://127\.0\.0\.1:(\d+)\n", api_line)
        assert rpc is not None and api is not None, (rpc_line, api_line)
        status = httpx.get(f"http://127.0.0.1:{rpc.group(2)}/status", timeout=10).json()["result"]["node_info"]
        assert (status["listen_addr"], status["other"]["rpc_address"]) == (rpc.group(1), rpc.group(1))
        info = httpx.get(f"http://127.0.0.1:{api.group(1)}/cosmos/base/tendermint/v1beta1/node_info", timeout=10)
        assert info.json()["default_node_info"]["listen_addr"] == rpc.group(1)
        proc.send_signal(signal.SIGTERM)
        rest = proc.stderr.read()
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines = [line for line in rest.splitlines() if not line.startswith("height ")]  # progress lines
    assert len(lines) == 2 and lines[0] == "SIGTERM received, stopping", rest
    assert re.fullmatch(r"stopped at height \d+", lines[1]), rest
