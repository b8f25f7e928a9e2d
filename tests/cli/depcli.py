"""Running ``dep`` in-process (CliRunner) against a tests.client.depkit network, with the node home's test
keyring (every nodekit key is in it, under its name)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result

from panacea.cli import dep
from tests.client import nodekit
from tests.client.depkit import DepNet, dep_net

CONSUMER = nodekit.key("consumer")
PROVIDER = nodekit.key("provider")


def run(net: DepNet, *args: str, keys: bool = True, ok: bool = True) -> Result:
    """``dep ARGS --home <node home> [--keyring-backend test] --node <rpc>``; asserts the exit code (0, or 1 when
    not ``ok``) and that no traceback or partial line leaked."""
    extra = ["--home", str(net.node.home), "--node", net.node.rpc, *(["--keyring-backend", "test"] if keys else [])]
    result = CliRunner().invoke(dep.main, [*args, *extra], prog_name="dep")
    assert result.exit_code == (0 if ok else 1), (result.output, result.exception)
    assert "Traceback" not in result.output
    if not ok:  # one error line, the last on stderr (after any progress lines)
        lines = result.stderr.splitlines()
        assert lines[-1].startswith("Error: ") and [x for x in lines if x.startswith("Error")] == lines[-1:], lines
    return result


def error(net: DepNet, *args: str, keys: bool = True) -> str:
    """The one-line error of a failing command, without ``Error: ``."""
    return run(net, *args, keys=keys, ok=False).stderr.splitlines()[-1].removeprefix("Error: ")


def network(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[DepNet]:
    """A module's network (the body of its ``net`` fixture)."""
    with dep_net(tmp_path_factory.mktemp(name), (PROVIDER,)) as net:
        yield net


def columns(*rows: list[str]) -> str:
    """The text ``dep`` prints for a table: left-aligned columns two spaces apart, no trailing spaces (the spec
    of the output, written independently of rich)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n"
                   for row in rows)
