"""`dep localnet` and its siblings on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from panacea.cli.dep import main
from panacea.node.localnet import PIDS, load_localnet, node_height, stop_background


def test_unknown_devnet_options_are_one_line() -> None:
    result = CliRunner().invoke(main, ["devnet", "--anything"])
    assert (result.exit_code, result.output) == (1, "Error: No such option '--anything' (see 'main devnet --help')\n")


def test_stop_without_a_localnet_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["localnet", "--dir", str(tmp_path), "--stop"])
    assert result.exit_code == 1
    assert result.output == f"Error: no localnet in {tmp_path.resolve()} (localnet.json missing)\n"


def test_create_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    result = CliRunner().invoke(main, ["localnet", "--dir", str(tmp_path), "--start"])
    assert result.exit_code == 1
    assert result.output.endswith(f"Error: {tmp_path.resolve()} exists and is not empty\n")


def test_stop_returns_once_every_process_has_exited(tmp_path: Path) -> None:
    """One app ignores SIGTERM: it gets SIGKILL after the bounded wait, and stop returns after both are gone."""
    (tmp_path / "localnet.json").write_text(json.dumps({"chain_id": "c", "validators": []}))
    obeys = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    stubborn = subprocess.Popen([sys.executable, "-c", "import signal, sys, time\n"
                                 "signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True)\n"
                                 "time.sleep(600)"], stdout=subprocess.PIPE, text=True)
    assert stubborn.stdout is not None and stubborn.stdout.readline() == "ready\n"
    (tmp_path / PIDS).write_text(json.dumps({"cometbft": [obeys.pid], "app": [stubborn.pid]}))
    lines: list[str] = []
    try:
        assert stop_background(tmp_path, log=lines.append, timeout=0.5) == 2
        assert obeys.poll() is not None and stubborn.poll() is not None  # both exited (reaped by stop_background)
    finally:
        for p in (obeys, stubborn):
            if p.poll() is None:
                p.kill()
                p.wait()
    assert lines == [f"stopping cometbft pid {obeys.pid}", f"stopping app pid {stubborn.pid}",
                     f"app pid {stubborn.pid} still running 0s after SIGTERM: sending SIGKILL"]
    assert not (tmp_path / PIDS).exists()


@pytest.mark.slow
def test_localnet_start_in_background_then_stop(tmp_path: Path) -> None:
    d = tmp_path / "ln"
    started = CliRunner().invoke(main, ["localnet", "--dir", str(d), "--validators", "2", "--start"])
    try:
        assert started.exit_code == 0, started.output
        net = load_localnet(d)
        assert [n.name for n in net.nodes] == ["node0", "node1"]
        assert f"  node0: rpc {net.nodes[0].ports.rpc_url}  rest {net.nodes[0].ports.api_url}" in started.output
        assert all(node_height(n) >= 1 for n in net.nodes)
        pids = json.loads((d / PIDS).read_text())
        assert len(pids["cometbft"]) == 2 and len(pids["app"]) == 2
        genesis = [json.loads((n.home / "config" / "genesis.json").read_text()) for n in net.nodes]
        assert genesis[0] == genesis[1]
        voters = genesis[0]["app_state"]["gov"]["validators"]
        assert [v["address"] for v in voters] == [net.keyring.show(f"validator{i}").address for i in range(2)]
        assert [v["power"] for v in voters] == ["1", "1"]
        again = CliRunner().invoke(main, ["localnet", "--dir", str(d), "--start"])
        assert again.exit_code == 1
        assert "is already running (dep localnet --stop first)" in again.output
    finally:
        stopped = CliRunner().invoke(main, ["localnet", "--dir", str(d), "--stop"])
    assert stopped.exit_code == 0, stopped.output
    assert stopped.output.endswith("stopped 4 processes\n")
    for pid in pids["cometbft"] + pids["app"]:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
