"""``dep``: the Data Exchange Protocol from a user's seat — ``consumer`` (create a deal, watch it, fetch and decrypt
the data, deactivate), ``provider`` (provide data, get paid), ``did`` / ``vc`` / ``vp`` (DIDs on chain, credentials
and presentations for presentation-definition deals), the ``deals`` / ``oracles`` / ``balance`` listings —
and whole DEP networks run locally (``localnet``: N CometBFT validators with our app)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import click

from panacea.cli.dep_consumer import consumer
from panacea.cli.dep_did import did, vc, vp
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


for _command in (consumer, provider, did, vc, vp, deals, oracles, balance):
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


def _wait_for_interrupt(failed: Callable[[], object] | None = None) -> None:
    """Until SIGINT/SIGTERM (or, with ``failed``, until it reports a dead process: then a clear error)."""
    done = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    click.echo("running; Ctrl-C to stop", err=True)
    while not done.wait(0.5):
        dead = failed() if failed is not None else None
        if dead is not None:
            raise click.ClickException(f"the {getattr(dead, 'name', 'process')} stopped unexpectedly (see "
                                       f"{getattr(dead, 'log', 'its log')})")


@main.command(short_help="Walk the five DEP steps on a devnet, with a payout table.")
@click.option("--devnet", "devnet_home", type=click.Path(file_okay=False), default=None,
              help="use the running devnet of this home (dep devnet --home DIR); default: start a temporary one")
@click.option("--presentation", is_flag=True,
              help="the credentials demo: DIDs on chain, a hospital's credentials, a presentation-definition deal")
@click.option("--did-key", is_flag=True,
              help="with --presentation: did:key identities (resolved offline) instead of did:panacea on chain")
def demo(devnet_home: str | None, presentation: bool, did_key: bool) -> None:
    """Start a devnet (or use a running one), then run the five steps of the Data Exchange Protocol: a deal for
    health records, three providers paid, one invalid record rejected, the consumer's data decrypted and
    verified; ends with the payouts read from the chain.

    With --presentation: the hospital and two providers register DIDs, the hospital issues each provider a
    HealthCredential, the consumer's deal asks for a presentation (an adult's credential from the hospital), the
    providers answer with verifiable presentations (a tampered credential is rejected), and are paid."""
    from panacea.cli.demo import run_demo

    if did_key and not presentation:
        raise click.ClickException("--did-key goes with --presentation")
    run_demo(devnet_home, presentation=presentation, did_key=did_key)


@main.command(short_help="Run a whole DEP network locally: chain, oracle, consumer service.")
@click.option("--home", "home_dir", type=click.Path(file_okay=False), default=None,
              help="keep the devnet here (created on first use, started again later); default: a temporary "
                   "directory removed at exit")
@click.option("--chain-id", default="panacea-devnet", show_default=True, help="chain id of a new devnet")
@click.option("--validators", type=click.IntRange(1, 16), default=1, show_default=True,
              help="1: the embedded engine; more: a CometBFT localnet (needs the cometbft binary)")
@click.option("--oracles", type=click.IntRange(1, 2), default=1, show_default=True,
              help="2 adds a second oracle that joins through registration")
def devnet(home_dir: str | None, chain_id: str, validators: int, oracles: int) -> None:
    """Start, with no set-up, a chain node with funded demo accounts, the genesis oracle and a consumer
    service on free loopback ports; print the endpoints and the demo keys; Ctrl-C stops everything."""
    import shutil
    import tempfile

    from panacea.cli.devnet import Devnet, DevnetHome, create, describe


    def log(line: str) -> None:
        click.echo(line, err=True)

    temporary = home_dir is None
    home = DevnetHome(tempfile.mkdtemp(prefix="panacea-devnet-") if home_dir is None else home_dir)
    try:
        manifest = home.manifest()
        if manifest is None:
            manifest = create(home, chain_id=chain_id, validators=validators, oracles=oracles, log=log)
        else:
            log(f"using the existing devnet in {home.root}")
            if validators not in (1, manifest.validators):
                raise click.ClickException(f"the devnet in {home.root} has {manifest.validators} validator(s); "
                                           "--validators applies to a new devnet only")
        net = Devnet(home, manifest, log=log)
        net.start()
        try:
            for line in describe(home, manifest):
                click.echo(line)
            _wait_for_interrupt(net.failed)
        finally:
            log("stopping the devnet")
            net.stop()
    finally:
        if temporary:
            shutil.rmtree(home.root, ignore_errors=True)
