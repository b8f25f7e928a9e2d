"""``dep``: the Data Exchange Protocol from a user's seat — ``consumer`` (create a deal, watch it, fetch and decrypt
the data, deactivate), ``provider`` (provide data, get paid), the ``deals`` / ``oracles`` / ``balance`` listings —
and whole DEP networks run locally (``localnet``: N CometBFT validators with our app)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

import click

from panacea.cli.dep_consumer import consumer
from panacea.cli.dep_output import DepGroup
from panacea.cli.dep_provider import provider
from panacea.cli.dep_views import balance, deals, oracles
from panacea.node.abci.comet import CometError


@click.group(cls=DepGroup, short_help="The Data Exchange Protocol: deals, data, local networks.")
@click.version_option(package_name="panacea-dep")
def main() -> None:
    """The Data Exchange Protocol: consumers' deals, providers' data, and local networks.

    Keys come from the same keyring as panacead (--home, --keyring-backend), the node from --node or the home's
    client.toml. Every command takes --output json."""


for _command in (consumer, provider, deals, oracles, balance):
    main.add_command(_command)


@main.command(short_help="Create and run a local N-validator chain.")
@click.option("--validators", "-v", default=4, show_default=True, type=click.IntRange(1, 16),
              help="number of validators (a new localnet only)")
@click.option("--dir", "directory", default="./localnet", show_default=True, type=click.Path(file_okay=False),
              help="where the localnet lives (created on first use)")
@click.option("--chain-id", default="panacea-localnet", show_default=True, help="chain id of a new localnet")
@click.option("--base-port", type=click.IntRange(1024, 65000), default=None,
              help="validator i listens on BASE+10i (p2p), +1 (rpc), +2 (abci), +3 (rest); default: free ports")
@click.option("--start", "mode", flag_value="start", help="start in the background and return")
@click.option("--stop", "mode", flag_value="stop", help="stop a localnet started with --start")
def localnet(validators: int, directory: str, chain_id: str, base_port: int | None, mode: str | None) -> None:
    """Create (first time) and run a local N-validator chain: real CometBFT nodes, one app process each.

    Without --start/--stop it runs in the foreground until Ctrl-C."""
    from panacea.node.localnet import (
        MANIFEST,
        LocalnetRunner,
        create_localnet,
        describe,
        load_localnet,
        stop_background,
    )

    def log(line: str) -> None:
        click.echo(line, err=True)

    try:
        if mode == "stop":
            n = stop_background(directory, log=log)
            click.echo(f"stopped {n} processes")
            return
        if (Path(directory) / MANIFEST).exists():
            net = load_localnet(directory)
            log(f"using the existing localnet in {net.dir}")
        else:
            net = create_localnet(directory, validators, chain_id=chain_id, base_port=base_port, log=log)
        if mode == "start" and (net.dir / "pids.json").exists():
            raise click.ClickException(f"the localnet in {net.dir} is already running (dep localnet --stop first)")
        runner = LocalnetRunner(net, log=log, detach=mode == "start")
        try:
            runner.start()
        except BaseException:
            runner.stop()
            raise
        for line in describe(net):
            click.echo(line)
        if mode == "start":
            click.echo(f"running in the background; stop with: dep localnet --dir {directory} --stop")
            return
        _wait_for_interrupt()
        log("stopping the localnet")
        runner.stop()
    except (CometError, RuntimeError) as e:
        raise click.ClickException(str(e)) from None


def _wait_for_interrupt() -> None:
    done = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    click.echo("running; Ctrl-C to stop", err=True)
    while not done.wait(0.5):
        pass


def _not_yet(name: str, what: str) -> None:
    @main.command(name=name, context_settings={"ignore_unknown_options": True}, short_help="Not yet available.",
                  help=f"Run {what} (not yet available in this version).")
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def cmd(args: tuple[str, ...]) -> None:
        raise click.ClickException(f"dep {name} ({what}) is not yet available in this version")


_not_yet("demo", "the end-to-end DEP demo")
_not_yet("devnet", "a devnet with oracles and consumers")
