"""`dep localnet` and its siblings on the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from panacea.cli.dep import main
from panacea.node.localnet import PIDS, load_localnet, node_height


@pytest.mark.parametrize(("name", "what"), [("demo", "the end-to-end DEP demo"),
                                            ("devnet", "a devnet with oracles and consumers")])
def test_not_yet_available_commands(name: str, what: str) -> None:
    result = CliRunner().invoke(main, [name, "--anything"])
    assert result.exit_code == 1
    assert result.output == f"Error: dep {name} ({what}) is not yet available in this version\n"


def test_stop_without_a_localnet_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["localnet", "--dir", str(tmp_path), "--stop"])
    assert result.exit_code == 1
    assert result.output == f"Error: no localnet in {tmp_path.resolve()} (localnet.json missing)\n"


def test_create_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "something").write_text("x")
    result = CliRunner().invoke(main, ["localnet", "--dir", str(tmp_path), "--start"])
    assert result.exit_code == 1
    assert result.output.endswith(f"Error: {tmp_path.resolve()} exists and is not empty\n")


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
