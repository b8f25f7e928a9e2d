"""``panacead start``: run the node — the embedded engine, or the app behind ABCI for a real CometBFT."""

from __future__ import annotations

import click

from panacea.cli.init import home_option
from panacea.node.home import DEFAULT_ABCI, Home


@click.command("start")
@click.option(
    "--abci", "abci_address", metavar="ADDRESS", is_flag=False, flag_value=DEFAULT_ABCI,
    help=f"serve the app over ABCI at ADDRESS (bare --abci: {DEFAULT_ABCI}, loopback) for a CometBFT node "
         "instead of running the embedded engine",
)
@home_option
def start(abci_address: str | None, home: str) -> None:
    """Run the node until SIGINT/SIGTERM (settings in <home>/config/app.toml)."""
    h = Home(home)
    if abci_address is not None:
        if not h.path.is_dir():
            raise click.ClickException(f"no node home at {h.path}; run `panacead init` first")
        from panacea.node.start.abci import run_abci_node

        run_abci_node(h, abci_address)
        return
    if not h.genesis_file.exists():
        raise click.ClickException(f"no genesis at {h.genesis_file}; run `panacead init` first")
    from panacea.node.engine.engine import EngineError
    from panacea.node.start.embedded import run_embedded_node

    try:
        run_embedded_node(h)  # a busy port or a bad setting is an OSError / ValueError: one line, exit 1
    except EngineError as e:
        raise click.ClickException(str(e)) from None
