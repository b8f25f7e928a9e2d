"""``panacead start`` on the embedded engine: a busy port is one line naming the address and the setting."""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path

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
