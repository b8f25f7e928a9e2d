"""`oracled`: the oracle daemon's commands (oracle-reference §1.1; docs/oracle.md).

The life cycle (issue 12): ``register-oracle``, ``get-oracle-key``, ``update-oracle-info`` and ``upgrade-oracle``
run the flows of :mod:`panacea.oracle.lifecycle` against the node at ``panacea.rpc-addr`` (the session and the
chain reader: :mod:`panacea.cli.oracle_session`); ``verify-report`` checks a remote report with this enclave;
``status`` asks the running oracle; ``start`` serves the HTTP API of :mod:`panacea.oracle.app`.
"""

from __future__ import annotations

import base64
import functools
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from panacea.cli import oracle_session as session
from panacea.oracle.config import ChainSection, OracleConfig, check
from panacea.oracle.enclave import EnclaveKey, VerifiedReport, report_data_for
from panacea.oracle.errors import OracleError
from panacea.oracle.home import DEFAULT_HOME, OracleHome
from panacea.oracle.schemas import SchemaRegistry

if TYPE_CHECKING:
    from panacea.oracle.lifecycle import KeySource, Lifecycle, TrustedBlock

T = TypeVar("T")


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


def _confirm_overwrite(path: Path, yes: bool, why: str = "") -> None:
    """Ask before replacing ``path`` (only on a terminal; without one, require --yes)."""
    if not path.exists() or yes:
        return
    if not _terminal():
        raise click.ClickException(f"{path.name} already exists{why}: pass --yes to overwrite it "
                                   "(no terminal to ask on)")
    click.confirm(f"{path.name} already exists{why}. Overwrite it?", abort=True, err=True)


def _trust_options(required: bool) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """--trusted-block-height/--trusted-block-hash, the light client's root of trust (oracle-reference §6)."""
    source = "from `panacead query block`: "

    def add(f: Callable[..., None]) -> Callable[..., None]:
        f = click.option("--trusted-block-hash", required=required,
                         help=f"hex block ID hash of that block ({source}.block_id.hash)")(f)
        return click.option("--trusted-block-height", type=int, required=required,
                            help=f"height of a block this oracle trusts ({source}.block.header.height)")(f)

    return add


def _trusted_block(height: int | None, block_hash: str | None) -> TrustedBlock | None:
    from panacea.oracle.lifecycle import TrustedBlock

    if height is None and block_hash is None:
        return None
    if height is None or block_hash is None:
        raise click.ClickException("give both --trusted-block-height and --trusted-block-hash, or neither")
    return TrustedBlock.parse(height, block_hash)


@main.command("gen-oracle-key", short_help="Generate the genesis oracle key.")
@click.option("--yes", "-y", is_flag=True, help="overwrite an existing sealed oracle key without asking")
@_trust_options(required=False)
@pass_home
def gen_oracle_key(home: OracleHome, yes: bool, trusted_block_height: int | None,
                   trusted_block_hash: str | None) -> None:
    """Genesis oracle only: create the shared oracle key in the enclave, seal it and write oracle_pub_key.json
    (with a trusted block, record it as the light client's root of trust; the chain is not contacted)."""
    trusted = _trusted_block(trusted_block_height, trusted_block_hash)
    enclave = home.open_enclave()
    _confirm_overwrite(home.oracle_priv_key_file, yes)
    key = EnclaveKey.generate()
    report = enclave.remote_report(report_data_for(key.public_key))
    home.seal_key(enclave, key, home.oracle_priv_key_file)
    home.write_oracle_pub_key(key.public_key, report)
    if trusted is not None:
        home.write_trust_root(trusted.height, trusted.hash)
    unique_id = enclave.identity().unique_id_hex
    click.echo(f"oracle public key: {key.public_key.to_base64()}")
    click.echo(f"unique ID: {unique_id}")
    click.echo(f"wrote {home.oracle_pub_key_file}; add the genesis oracle with:\n"
               f"  panacead genesis add-genesis-oracle <oracle-account> {unique_id} "
               f"--oracle-key-file {home.oracle_pub_key_file}")


@main.command("trust-block", short_help="Record the trusted block the light client starts from.")
@_trust_options(required=True)
@pass_home
def trust_block(home: OracleHome, trusted_block_height: int, trusted_block_hash: str) -> None:
    """Record a block this oracle trusts (take it from a source you trust: ``panacead q block H`` on your own
    node, ``.block.header.height`` and ``.block_id.hash``); the light client verifies every later header from it.
    A genesis oracle runs this once the chain has started; register-oracle and upgrade-oracle record theirs."""
    trusted = _trusted_block(trusted_block_height, trusted_block_hash)
    assert trusted is not None
    home.write_trust_root(trusted.height, trusted.hash)
    click.echo(f"trusted block {trusted.height} ({trusted.hash.hex().upper()}) recorded in {home.trust_root_file}")


@main.command("unique-id", short_help="Print this oracle's enclave unique ID.")
@pass_home
def unique_id(home: OracleHome) -> None:
    """Print the unique ID (MRENCLAVE-like measurement) this oracle version certifies with."""
    click.echo(home.open_enclave().identity().unique_id_hex)


# --- life cycle (issue 12; oracle-reference §4.3) ---------------------------------------------------------------
def _timeout_option(f: Callable[..., None]) -> Callable[..., None]:
    return click.option("--timeout", default="10m", show_default=True,
                        help="how long to wait for the approval (Go duration: 90s, 10m, 1h)")(f)


def _join(home: OracleHome, source: KeySource, timeout: str, submit: Callable[[Lifecycle], Awaitable[Any]],
          trusted: TrustedBlock) -> None:
    """Submit the request, wait for its approval, receive and seal the oracle key; Ctrl-C and the timeout
    leave the request on chain and say how to receive the key later."""
    from panacea.oracle.lifecycle import later_hint, receive_oracle_key, wait_for_approval

    seconds = session.timeout_seconds(timeout)
    progress = session.Progress(source, timeout)
    waiting = False

    async def flow(s: Lifecycle) -> EnclaveKey:
        nonlocal waiting
        tx = await submit(s)
        click.echo(f"oracle {source} requested for {s.address} (unique ID {s.unique_id}): tx {tx.tx_hash} "
                   f"at height {tx.height}")
        waiting = True
        try:
            encrypted = await wait_for_approval(s, source, timeout=seconds, progress=progress)
        finally:
            progress.end()
        waiting = False
        return await receive_oracle_key(s, source, encrypted)

    try:
        key = session.run(home, flow, trusted=trusted)
    except KeyboardInterrupt:
        if not waiting:
            raise click.ClickException(f"interrupted before the request was confirmed: if it reached the chain, "
                                       f"{later_hint(source)}") from None
        raise click.ClickException(f"interrupted while waiting for the approval: {later_hint(source)}") from None
    _received(home, key)


def _received(home: OracleHome, key: EnclaveKey) -> None:
    click.echo(f"oracle key received and sealed to {home.oracle_priv_key_file} (oracle public key "
               f"{key.public_key.to_base64()})")


@main.command("register-oracle", short_help="Join the network: register and receive the oracle key.")
@_trust_options(required=True)
@click.option("--endpoint", "--oracle-endpoint", "endpoint", default="",
              help="this oracle's public URL (providers send data to it)")
@click.option("--oracle-commission-rate", default="0.1", show_default=True, help="commission rate (sdk.Dec)")
@click.option("--oracle-commission-max-rate", required=True, help="highest commission rate ever allowed")
@click.option("--oracle-commission-max-change-rate", required=True,
              help="largest commission increase per change (at most once a day)")
@_timeout_option
@click.option("--yes", "-y", is_flag=True, help="replace an existing node key without asking")
@pass_home
def register_oracle(home: OracleHome, trusted_block_height: int, trusted_block_hash: str, endpoint: str,
                    oracle_commission_rate: str, oracle_commission_max_rate: str,
                    oracle_commission_max_change_rate: str, timeout: str, yes: bool) -> None:
    """Create and seal a node key, send MsgRegisterOracle (node key, report over its SHA-256, trusted block,
    endpoint, commission), wait for an active oracle's approval, then decrypt and seal the shared oracle key."""
    from panacea.oracle.lifecycle import Commission, KeySource, register

    trusted = _trusted_block(trusted_block_height, trusted_block_hash)
    assert trusted is not None
    commission = Commission.parse(oracle_commission_rate, oracle_commission_max_rate,
                                  oracle_commission_max_change_rate)
    _confirm_overwrite(home.node_priv_key_file, yes, " (the node key of an earlier request)")
    _join(home, KeySource.REGISTRATION, timeout,
          lambda s: register(s, trusted=trusted, endpoint=endpoint, commission=commission, overwrite_node_key=True),
          trusted)


@main.command("upgrade-oracle", short_help="Move to a new oracle version and receive the oracle key.")
@_trust_options(required=True)
@_timeout_option
@click.option("--yes", "-y", is_flag=True, help="replace an existing node key without asking")
@pass_home
def upgrade_oracle(home: OracleHome, trusted_block_height: int, trusted_block_hash: str, timeout: str,
                   yes: bool) -> None:
    """Run by the new version in its own home, after governance scheduled its unique ID: send MsgUpgradeOracle for
    the registered oracle account, wait for an approval by the current version, then seal the oracle key."""
    from panacea.oracle.lifecycle import KeySource, request_upgrade

    trusted = _trusted_block(trusted_block_height, trusted_block_hash)
    assert trusted is not None
    _confirm_overwrite(home.node_priv_key_file, yes, " (the node key of an earlier request)")
    _join(home, KeySource.UPGRADE, timeout, lambda s: request_upgrade(s, trusted=trusted, overwrite_node_key=True),
          trusted)


@main.command("get-oracle-key", short_help="Receive the oracle key of an approved request.")
@click.option("--from", "source", default="upgrade", show_default=True, metavar="registration|upgrade",
              help="the own record whose approval holds the key")
@pass_home
def get_oracle_key(home: OracleHome, source: str) -> None:
    """Read the own registration or upgrade record; once approved, decrypt its oracle key with the node key and
    seal it to oracle_priv_key.sealed."""
    from panacea.oracle.lifecycle import key_source, receive_oracle_key

    where = key_source(source)
    _received(home, session.run(home, lambda s: receive_oracle_key(s, where)))


@main.command("update-oracle-info", short_help="Change the oracle's endpoint or commission rate.")
@click.option("--endpoint", "--oracle-endpoint", "endpoint", default="", help="new public URL (empty: unchanged)")
@click.option("--oracle-commission-rate", default="", help="new commission rate (empty: unchanged)")
@pass_home
def update_oracle_info(home: OracleHome, endpoint: str, oracle_commission_rate: str) -> None:
    """Send MsgUpdateOracleInfo for this oracle's account and print the oracle record as the chain holds it."""
    from panacea.oracle.lifecycle import update_info
    from panacea.types.dec import dec_from_wire, dec_to_json

    if not endpoint and not oracle_commission_rate:
        raise click.ClickException("nothing to update: give --endpoint and/or --oracle-commission-rate")
    oracle = session.run(home, lambda s: update_info(s, endpoint=endpoint, commission_rate=oracle_commission_rate))
    click.echo(f"oracle {oracle.oracle_address}: endpoint {oracle.endpoint}, commission rate "
               f"{dec_to_json(dec_from_wire(oracle.oracle_commission_rate))} (max "
               f"{dec_to_json(dec_from_wire(oracle.oracle_commission_max_rate))}, max change "
               f"{dec_to_json(dec_from_wire(oracle.oracle_commission_max_change_rate))})")


def _hex_option(value: str | None, name: str) -> bytes | None:
    if value is None:
        return None
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise click.ClickException(f"invalid {name}: not hex") from None


@main.command("verify-report", short_help="Verify a remote report with this enclave.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--data", "data_hex", help="hex of the report data expected at its start (default: SHA-256 of the "
                                         "public key for oracle_pub_key.json, else not checked)")
@click.option("--unique-id", "unique_id_hex", help="hex unique ID expected (default: this oracle's own)")
@pass_home
def verify_report(home: OracleHome, file: str, data_hex: str | None, unique_id_hex: str | None) -> None:
    """Verify the remote report in FILE (oracle_pub_key.json, base64 text or raw bytes) against this enclave's
    trusted attestation keys, the expected unique ID and data; print the identity it attests."""
    report, key_data = session.read_report(file)
    expected_data = _hex_option(data_hex, "--data")
    expected_uid = _hex_option(unique_id_hex, "--unique-id")
    enclave = home.open_enclave()
    data = expected_data if expected_data is not None else key_data or b""
    verified: VerifiedReport = enclave.verify_report(
        report, data, expected_uid if expected_uid is not None else enclave.identity().unique_id)
    ident = verified.identity
    click.echo(f"the remote report is valid\nunique ID: {ident.unique_id_hex}\nproduct ID: {ident.product_id.hex()}\n"
               f"security version: {ident.security_version}\nreport data: {verified.report_data.hex()}")


@main.command("status", short_help="Show the running oracle's status.")
@click.option("--output", "-o", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_home
def status(home: OracleHome, output: str) -> None:
    """Ask the oracle of this home (GET /v0/status on api.listen-addr) for its account and enclave identity."""
    from panacea.client.services.oracle import OracleClient, OracleServiceError

    url = session.api_url(home.config.api.listen_addr)
    with OracleClient(url, timeout=5.0) as client:
        try:
            st = client.status()
        except OracleServiceError as e:
            if e.status == 0:
                raise click.ClickException(f"the oracle is not running: nothing answers on {url} "
                                           "(start it with oracled start)") from None
            raise click.ClickException(f"the oracle at {url} answered: {e.message}") from None
    if output == "json":
        click.echo(json.dumps({"oracle_account_address": st.oracle_account_address,
                               "api": {"listen_addr": st.api_listen_addr},
                               "enclave_info": {"product_id": base64.b64encode(st.product_id).decode(),
                                                "unique_id": st.unique_id},
                               "chain": st.chain, "follower": st.follower, "oracle": st.on_chain}, indent=2))
        return
    click.echo(f"oracle account: {st.oracle_account_address}\nAPI: {url} (listen {st.api_listen_addr})\n"
               f"unique ID: {st.unique_id}\nproduct ID: {st.product_id.hex()}")
    for line in _status_lines(st.chain, st.follower, st.on_chain):
        click.echo(line)


def _status_lines(chain: dict[str, Any] | None, follower: dict[str, Any] | None,
                  on_chain: dict[str, Any] | None) -> list[str]:
    """The life-cycle part of ``oracled status``: chain reads, event follower, state on chain."""
    lines = []
    if chain is not None:
        lines.append(f"chain reads: {chain.get('description')}")
        if chain.get("trusted_height") is not None:
            lines.append(f"trusted height: {chain['trusted_height']}")
    if follower is None:
        lines.append("event follower: not running in this process group")
    else:
        state = "running" if follower.get("running") else "stopped"
        if follower.get("running") and not follower.get("connected"):
            state += " (reconnecting)"
        lines.append(f"event follower: {state}, last processed height {follower.get('last_processed_height')}, "
                     f"{follower.get('approved')} approved, {follower.get('already_approved')} already approved, "
                     f"{follower.get('rejected')} rejected, {follower.get('failed')} failed")
        if follower.get("last_error"):
            lines.append(f"  last error: {follower['last_error']}")
    if on_chain is None:
        lines.append("on chain: unknown (the chain could not be read)")
    elif not on_chain.get("registered"):
        lines.append("on chain: not a registered oracle")
    else:
        version = on_chain.get("active_unique_id")
        active = "active" if on_chain.get("active") else f"inactive (the chain's version is {version})"
        lines.append(f"on chain: registered, {active}, endpoint {on_chain.get('endpoint')}")
    return lines


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
    """Check the home (config, enclave, sealed key, account) and the chain reads (the light client verifies the
    node's latest block from the trust root) once, start the event follower (approves registrations and
    upgrades), then serve the API with N workers."""
    import asyncio
    import os

    from panacea.oracle.app import HOME_ENV, open_identity
    from panacea.service.http import serve, worker_count

    config = home.config
    api = config.api
    if not api.enabled:
        raise click.ClickException("the HTTP API is disabled (api.enabled = false): nothing to serve")
    identity = open_identity(home)
    click.echo(f"oracled: {asyncio.run(_check_chain(home))}", err=True)
    host, _, port = api.listen_addr.rpartition(":")
    os.environ[HOME_ENV] = str(home.root.resolve())
    follower = _start_follower(home) if config.follower.enabled else None
    click.echo(f"oracled: {identity.address} serving on http://{api.listen_addr} with "
               f"{worker_count(api.workers)} worker(s)"
               + ("" if follower is not None else "; event follower disabled (follower.enabled = false)"), err=True)
    level = config.log_level
    try:
        serve("panacea.oracle.app:app_from_env", host or "0.0.0.0", int(port), api.workers,
              log_level="warning" if level == "warn" else level, keep_alive_seconds=api.read_timeout.seconds)
    finally:
        if follower is not None:
            follower.stop()


async def _check_chain(home: OracleHome) -> str:
    """Open the chain reader once (a bad or expired trust root, or an unreachable node, fails here); its
    description for the start-up line."""
    from panacea.client.aio import AsyncChainClient
    from panacea.oracle.chain import open_chain_reader

    chain = home.config.panacea
    async with AsyncChainClient(chain.rpc_addr, chain.chain_id or None, timeout=session.CHAIN_TIMEOUT) as client:
        await session.check_node(client, chain.chain_id)
        reader = await open_chain_reader(home, client)
        try:
            return reader.description
        finally:
            await reader.close()


def _start_follower(home: OracleHome) -> Any:
    """The event follower in a thread of this process, beside the HTTP worker processes (one per home)."""
    from collections.abc import AsyncIterator
    from contextlib import asynccontextmanager

    from panacea.client.aio import AsyncChainClient
    from panacea.oracle.chain import open_chain_reader
    from panacea.oracle.follower import EventFollower, FollowerThread

    config = home.config

    @asynccontextmanager
    async def open_follower() -> AsyncIterator[EventFollower]:
        chain = config.panacea
        enclave = home.open_enclave()
        key = home.oracle_key(enclave)
        async with AsyncChainClient(chain.rpc_addr, chain.chain_id or None, timeout=session.CHAIN_TIMEOUT) as client:
            reader = await open_chain_reader(home, client)
            try:
                yield EventFollower.from_home(home, reader, client.wallet(home.oracle_account()), enclave, key,
                                              start_height=config.follower.start_height or None,
                                              max_attempts=config.follower.max_attempts)
            finally:
                await reader.close()

    thread = FollowerThread(open_follower)
    thread.start()
    return thread


if __name__ == "__main__":
    main()
