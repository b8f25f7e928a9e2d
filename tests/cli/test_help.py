"""Every command of the four CLIs has help, and its summary in a group's listing is shown whole."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from panacea.cli import consumerd, dep, oracled, panacead

CLIS = {"panacead": panacead.main, "oracled": oracled.main, "consumerd": consumerd.main, "dep": dep.main}


def walk(cmd: click.Command, path: str) -> Iterator[tuple[str, click.Command]]:
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from walk(sub, f"{path} {name}")


ALL = [(path, cmd) for name, main in CLIS.items() for path, cmd in walk(main, name)]


def test_the_walk_sees_every_cli_and_nested_command() -> None:
    paths = {path for path, _ in ALL}
    assert {"oracled", "consumerd", "dep localnet", "panacead config", "panacead start",
            "panacead tx gov submit-proposal param-change"} <= paths
    assert len(ALL) > 60


@pytest.mark.parametrize(("path", "cmd"), ALL, ids=[path for path, _ in ALL])
def test_summary_is_whole_and_help_exists(path: str, cmd: click.Command) -> None:
    summary = cmd.get_short_help_str(limit=45)
    assert summary and not summary.endswith("..."), (path, summary)
    assert cmd.help, path
    r = CliRunner().invoke(CLIS[path.split()[0]], [*path.split()[1:], "--help"])
    assert r.exit_code == 0, r.output
    if "Commands:" in r.output:
        assert "..." not in r.output.split("Commands:")[-1], r.output


def test_group_listing_shows_summaries_whole() -> None:
    r = CliRunner().invoke(panacead.main, ["tx", "oracle", "--help"])
    assert r.exit_code == 0
    assert "  approve-oracle-registration  Approve an oracle registration.\n" in r.output
    r = CliRunner().invoke(panacead.main, ["--help"])
    assert "  start         Run the node (embedded engine, or ABCI).\n" in r.output
    r = CliRunner().invoke(dep.main, ["--help"])
    assert "  demo      Walk the five DEP steps on a devnet, with a payout table.\n" in r.output
