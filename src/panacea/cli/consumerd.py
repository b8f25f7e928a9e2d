"""`consumerd`: the consumer service's command line (oracle-reference §7; issue 11).

``consumerd init`` writes the home (``config.toml``, ``data/``, ``store/``); ``consumerd start`` serves the API
with the configured number of worker processes. Bad input is a one-line ``Error: …`` and exit code 1.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import click

from panacea.cli.common import OneLineErrorGroup
from panacea.consumer.config import (
    BACKENDS,
    CONFIG_FILE,
    DEFAULT_HOME,
    ConsumerConfig,
    data_path,
    load_config,
    store_path,
    write_config,
)

HOME_OPTION = click.option("--home", type=click.Path(file_okay=False), envvar="CONSUMERD_HOME",
                           default=DEFAULT_HOME, show_default=True, help="service home (or CONSUMERD_HOME)")


@click.group(cls=OneLineErrorGroup, short_help="The Panacea consumer service.",
             help="The Panacea consumer service: stores the data oracles deliver.")
def main() -> None:
    """Group of the consumer service commands."""


@main.command(help="Create the home and its config.toml.")
@HOME_OPTION
@click.option("--listen-addr", default=None, help="HOST:PORT to listen on")
@click.option("--node", default=None, help="the Panacea node's RPC address")
@click.option("--backend", type=click.Choice(BACKENDS), default=None, help="storage backend")
@click.option("--workers", type=int, default=None, help="worker processes (0: one per core)")
@click.option("--force", is_flag=True, help="overwrite an existing config.toml")
def init(home: str, listen_addr: str | None, node: str | None, backend: str | None, workers: int | None,
         force: bool) -> None:
    """Write a config with defaults and the given overrides, so `start` has everything it reads."""
    root = Path(home)
    if (root / CONFIG_FILE).exists() and not force:
        raise click.ClickException(f"{root / CONFIG_FILE} already exists (pass --force to overwrite)")
    default = ConsumerConfig()
    config = replace(default, listen_addr=listen_addr or default.listen_addr, node=node or default.node,
                     backend=backend or default.backend, workers=default.workers if workers is None else workers)
    path = write_config(root, config)
    if config.backend == "filesystem":
        data_path(root, config).mkdir(parents=True, exist_ok=True)
    store_path(root).mkdir(parents=True, exist_ok=True)
    click.echo(f"wrote {path}")


@main.command(short_help="Serve the consumer API.",
              help="Serve the consumer API (uvicorn, the configured number of workers).")
@HOME_OPTION
def start(home: str) -> None:
    """Validate the config before starting workers, so a mistake is one line and not N tracebacks."""
    from panacea.consumer.app import HOME_ENV
    from panacea.service.http import serve, worker_count

    root = Path(home).resolve()
    config = load_config(root)
    os.environ[HOME_ENV] = str(root)
    click.echo(f"consumerd: serving on http://{config.listen_addr} with {worker_count(config.workers)} worker(s)",
               err=True)
    serve("panacea.consumer.app:app_from_env", config.host, config.port, config.workers)


if __name__ == "__main__":
    main()
