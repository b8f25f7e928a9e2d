"""`oracled`: the oracle daemon's commands (oracle-reference §1.1; docs/oracle.md).

Registration, key sharing and upgrades (register-oracle, get-oracle-key, update-oracle-info, upgrade-oracle,
verify-report) are issue 12; ``start`` serves the HTTP API of :mod:`panacea.oracle.app`.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from panacea.oracle.config import ChainSection, OracleConfig, check
from panacea.oracle.enclave import EnclaveKey, report_data_for
from panacea.oracle.errors import OracleError
from panacea.oracle.home import DEFAULT_HOME, OracleHome
from panacea.oracle.schemas import SchemaRegistry


class _Group(click.Group):
    """Every OracleError becomes one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OracleError as e:
            raise click.ClickException(e.message) from None


@click.group(cls=_Group, short_help="The Panacea DEP oracle daemon.")
@click.option("--home", type=click.Path(file_okay=False), default=str(DEFAULT_HOME), show_default=True,
              envvar="ORACLE_HOME", help="oracle home directory")
@click.pass_context
def main(ctx: click.Context, home: str) -> None:
    """The oracle: validates providers' data inside an enclave, delivers it and signs certificates."""
    ctx.obj = OracleHome(home)


def _terminal() -> bool:
    """Whether a person can answer a question (issue 10: no prompt unless a terminal is attached)."""
    return sys.stdin.isatty()


def pass_home(f: Callable[..., None]) -> Callable[..., None]:
    """Hand the command its OracleHome; ``--home`` works after the command too (``oracled start --home H``), as
    with ``panacead`` and ``consumerd``."""

    @functools.wraps(f)
    def command(*args: Any, home_after: str | None, **kwargs: Any) -> None:
        home = OracleHome(home_after) if home_after else click.get_current_context().find_object(OracleHome)
        f(home, *args, **kwargs)

    return click.option("--home", "home_after", type=click.Path(file_okay=False), default=None,
                        help="oracle home directory (as before the command; default ~/.oracle or ORACLE_HOME)")(command)


@main.command("init", short_help="Create the home and config.toml.")
@click.option("--chain-id", default="", help="chain id of the Panacea network")
@click.option("--rpc-addr", default=ChainSection.rpc_addr, show_default=True, help="the node's CometBFT RPC")
@click.option("--keyring-backend", type=click.Choice(["file", "test"]), default="file", show_default=True,
              help="keyring of the oracle account (or set ORACLE_MNEMONIC)")
@pass_home
def init(home: OracleHome, chain_id: str, rpc_addr: str, keyring_backend: str) -> None:
    """Create the oracle home with data/, schemas/ and config.toml (mode 0600); fails if it has a config."""
    config = OracleConfig(keyring_backend=keyring_backend,
                          panacea=replace(ChainSection(), chain_id=chain_id, rpc_addr=rpc_addr,
                                          light_client_primary_addr=rpc_addr, light_client_witness_addrs=(rpc_addr,)))
    check(config)
    home.init(config)
    click.echo(f"initialised oracle home {home.root}", err=True)


@main.command("gen-oracle-key", short_help="Generate the genesis oracle key.")
@click.option("--yes", "-y", is_flag=True, help="overwrite an existing sealed oracle key without asking")
@pass_home
def gen_oracle_key(home: OracleHome, yes: bool) -> None:
    """Genesis oracle only: create the shared oracle key in the enclave, seal it and write oracle_pub_key.json."""
    enclave = home.open_enclave()
    if home.oracle_priv_key_file.exists() and not yes:
        if not _terminal():
            raise click.ClickException(f"{home.oracle_priv_key_file.name} already exists: pass --yes to overwrite it "
                                       "(no terminal to ask on)")
        click.confirm(f"{home.oracle_priv_key_file.name} already exists. Overwrite it?", abort=True, err=True)
    key = EnclaveKey.generate()
    report = enclave.remote_report(report_data_for(key.public_key))
    home.seal_key(enclave, key, home.oracle_priv_key_file)
    home.write_oracle_pub_key(key.public_key, report)
    unique_id = enclave.identity().unique_id_hex
    click.echo(f"oracle public key: {key.public_key.to_base64()}")
    click.echo(f"unique ID: {unique_id}")
    click.echo(f"wrote {home.oracle_pub_key_file}; add the genesis oracle with:\n"
               f"  panacead genesis add-genesis-oracle <oracle-account> {unique_id} "
               f"--oracle-key-file {home.oracle_pub_key_file}")


@main.command("unique-id", short_help="Print this oracle's enclave unique ID.")
@pass_home
def unique_id(home: OracleHome) -> None:
    """Print the unique ID (MRENCLAVE-like measurement) this oracle version certifies with."""
    click.echo(home.open_enclave().identity().unique_id_hex)


@main.group("schema", short_help="Manage the schema registry.")
def schema() -> None:
    """The JSON Schemas deals name by URI, kept in the oracle home."""


@schema.command("add", short_help="Register the schema FILE for URI.")
@click.argument("uri")
@click.argument("file", type=click.Path(dir_okay=False))
@pass_home
def schema_add(home: OracleHome, uri: str, file: str) -> None:
    """Register FILE as the JSON Schema deals call URI (compiled first; never fetched afterwards)."""
    try:
        content = Path(file).read_bytes()
    except OSError as e:
        raise click.ClickException(f"cannot read {file}: {e.strerror}") from None
    registry = SchemaRegistry(home.schemas_dir, max_size=home.config.schemas.max_size)
    digest = registry.add(uri, content)
    click.echo(f"{uri} sha256:{digest}")


@schema.command("list", short_help="List the registered schemas.")
@pass_home
def schema_list(home: OracleHome) -> None:
    """Print each registered URI with its SHA-256 and whether it was added or fetched."""
    for uri, entry in sorted(SchemaRegistry(home.schemas_dir).index().items()):
        click.echo(f"{uri} sha256:{entry['sha256']} {entry['source']}")


@main.command("start", short_help="Run the oracle service.")
@pass_home
def start(home: OracleHome) -> None:
    """Check the home (config, enclave, sealed key, account) once, then serve the API with N workers."""
    import os

    from panacea.oracle.app import HOME_ENV, open_identity
    from panacea.service.http import serve, worker_count

    api = home.config.api
    if not api.enabled:
        raise click.ClickException("the HTTP API is disabled (api.enabled = false): nothing to serve")
    identity = open_identity(home)
    host, _, port = api.listen_addr.rpartition(":")
    os.environ[HOME_ENV] = str(home.root.resolve())
    click.echo(f"oracled: {identity.address} serving on http://{api.listen_addr} with "
               f"{worker_count(api.workers)} worker(s)", err=True)
    level = home.config.log_level
    serve("panacea.oracle.app:app_from_env", host or "0.0.0.0", int(port), api.workers,
          log_level="warning" if level == "warn" else level, keep_alive_seconds=api.read_timeout.seconds)


if __name__ == "__main__":
    main()
