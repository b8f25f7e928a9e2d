"""``panacead init`` and ``panacead genesis …``: create a node home and edit its genesis document."""

from __future__ import annotations

import base64
import binascii
import secrets
import string
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import click

from panacea.cli.common import (
    client_options,
    open_keyring,
    print_json,
    read_client_config,
    read_json_file,
    write_client_config,
)
from panacea.cli.common import home_option as home_option  # re-exported: `start` takes --home from here
from panacea.node.home import Home, NodeConfig

JSON = dict[str, Any]
VALIDATOR_POWER = 10

# CometBFT 0.38 defaults (types/params.go), as `cometbft init` writes them.
CONSENSUS_PARAMS: JSON = {
    "block": {"max_bytes": "22020096", "max_gas": "-1"},
    "evidence": {"max_age_num_blocks": "100000", "max_age_duration": "172800000000000", "max_bytes": "1048576"},
    "validator": {"pub_key_types": ["ed25519"]},
    "version": {"app": "0"},
    "abci": {"vote_extensions_enable_height": "0"},
}


def genesis_time(ns: int) -> str:
    """Go's RFC3339Nano in UTC (trailing zeros of the fraction dropped)."""
    secs, frac = divmod(ns, 10**9)
    base = datetime.fromtimestamp(secs, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    digits = f"{frac:09d}".rstrip("0")
    return f"{base}.{digits}Z" if digits else f"{base}Z"


@contextmanager
def scratch_app() -> Iterator[Any]:
    """An App on a throw-away store, for its default and validation of genesis."""
    from panacea.chain.app import App
    from panacea.chain.store import Store

    with tempfile.TemporaryDirectory(prefix="panacead-") as d, Store(d, map_size=1 << 24) as store:
        yield App(store)


def validate_app_state(app_state: JSON) -> None:
    with scratch_app() as app:
        app.validate_genesis(app_state)


def genesis_doc(chain_id: str, moniker: str, validator_pub_key: bytes, app_state: JSON, time_ns: int) -> JSON:
    from panacea.types.cometbft.encoding import address_of, hexu
    from panacea.types.cometbft.types import PUBKEY_ED25519

    return {
        "genesis_time": genesis_time(time_ns),
        "chain_id": chain_id,
        "initial_height": "1",
        "consensus_params": CONSENSUS_PARAMS,
        "validators": [{
            "address": hexu(address_of(validator_pub_key)),
            "pub_key": {"type": PUBKEY_ED25519, "value": base64.b64encode(validator_pub_key).decode()},
            "power": str(VALIDATOR_POWER),
            "name": moniker,
        }],
        "app_hash": "",
        "app_state": app_state,
    }


def read_genesis(home: Home) -> JSON:
    if not home.genesis_file.exists():
        raise click.ClickException(f"no genesis at {home.genesis_file}; run `panacead init` first")
    doc = read_json_file(str(home.genesis_file))
    if not isinstance(doc, dict):
        raise click.ClickException(f"{home.genesis_file} must hold a JSON object")
    if not isinstance(doc.get("app_state"), dict):
        raise click.ClickException(f"{home.genesis_file} has no app_state object")
    return doc


def write_genesis(home: Home, doc: JSON) -> None:
    from panacea.node.engine.privval import write_json_atomic

    write_json_atomic(home.genesis_file, doc)


def _load_or_create_keys(home: Home) -> tuple[Any, Any]:
    from panacea.node.engine.privval import (
        Ed25519Key,
        LastSignState,
        load_or_generate_node_key,
        load_priv_validator_key,
        write_json_atomic,
        write_priv_validator_key,
    )

    if home.priv_validator_key_file.exists():
        validator = load_priv_validator_key(home.priv_validator_key_file)
    else:
        validator = Ed25519Key.generate()
        write_priv_validator_key(home.priv_validator_key_file, validator)
    if not home.priv_validator_state_file.exists():
        write_json_atomic(home.priv_validator_state_file, LastSignState().to_json())
    return validator, load_or_generate_node_key(home.node_key_file)


@click.command("init", short_help="Create a node home and its genesis.")
@click.argument("moniker")
@click.option("--chain-id", help="the chain's id (default: a random test-chain-XXXXXX)")
@click.option("--overwrite", "-o", is_flag=True, help="replace an existing genesis.json")
@home_option
def init(moniker: str, chain_id: str | None, overwrite: bool, home: str) -> None:
    """Create the node home: validator and node keys, config/app.toml and a genesis with default app state."""
    from panacea.node.engine.privval import node_id

    h = Home(home)
    if h.genesis_file.exists() and not overwrite:
        raise click.ClickException(f"genesis.json file already exists: {h.genesis_file} (use --overwrite)")
    if chain_id is None:
        chain_id = "test-chain-" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(6))
    if not chain_id or len(chain_id) > 50:
        raise click.ClickException("chain id must be 1 to 50 characters")
    validator, node_key = _load_or_create_keys(h)
    if not h.app_toml.exists():
        h.write_config(NodeConfig())
    write_client_config(h.path, {**read_client_config(h.path), "chain-id": chain_id})
    h.data_dir.mkdir(parents=True, exist_ok=True)
    with scratch_app() as app:
        app_state = app.default_genesis()
    write_genesis(h, genesis_doc(chain_id, moniker, validator.pub_key, app_state, time.time_ns()))
    print_json({
        "moniker": moniker,
        "chain_id": chain_id,
        "node_id": node_id(node_key),
        "validator_address": validator.address.hex().upper(),
        "genesis_file": str(h.genesis_file),
    })


# --- genesis editing -----------------------------------------------------------------------------------------------
@click.group("genesis", short_help="Edit the genesis of a node home.")
def genesis() -> None:
    """Edit the genesis document of a node home (before the chain starts)."""


def committed_height(home: Home) -> int:
    """The last block the home's chain state committed (0 when the chain has not started)."""
    from panacea.chain.store import Store

    if not (home.app_db / "data.mdb").exists():
        return 0
    with Store(str(home.app_db)) as store:
        return store.version


def _edit(home: str, change: Callable[[JSON], None], *, validate: bool = True) -> None:
    from panacea.chain.errors import ChainError

    h = Home(home)
    doc = read_genesis(h)
    height = committed_height(h)
    if height:
        raise click.ClickException(
            f"the chain in {h.path} has already started (height {height}): genesis is read only at the first "
            "block, so this change would never apply; send a tx instead, or start over with a new home"
        )
    try:
        change(doc["app_state"])
        if validate:
            validate_app_state(doc["app_state"])
    except ChainError as e:
        raise click.ClickException(e.log) from None
    write_genesis(h, doc)


def _resolve_address(value: str, home: str, keyring_backend: str) -> str:
    """A bech32 address as is, otherwise a key name from the home's keyring."""
    from panacea.chain import addr

    if value.startswith("panacea1"):
        addr.parse_or(value, detail="invalid address")
        return value
    return open_keyring(home, keyring_backend).find(value).address


@genesis.command("add-account")
@click.argument("address_or_key")
@click.argument("coins")
@client_options("keyring-backend")
def add_account(address_or_key: str, coins: str, home: str, keyring_backend: str) -> None:
    """Fund ADDRESS_OR_KEY with COINS (e.g. 1000000000umed) in genesis."""
    from panacea.chain import genesis as g
    from panacea.types.coins import parse_coins

    address = _resolve_address(address_or_key, home, keyring_backend)
    parsed = list(parse_coins(coins))
    if not parsed:
        raise click.ClickException(f"no coins to add: {coins!r}")
    _edit(home, lambda state: g.add_account(state, address, parsed))
    click.echo(f"added {','.join(str(c) for c in parsed)} to {address}", err=True)


def _oracle_key_file(path: str) -> tuple[str, str]:
    info = read_json_file(path)
    if not isinstance(info, dict) or not isinstance(info.get("public_key_base64", ""), str) \
            or not isinstance(info.get("remote_report_base64", ""), str):
        raise click.ClickException(f"{path} must hold {{\"public_key_base64\", \"remote_report_base64\"}} strings")
    return str(info.get("public_key_base64", "")), str(info.get("remote_report_base64", ""))


def _check_base64(value: str, what: str) -> None:
    try:
        base64.b64decode(value, validate=True)
    except binascii.Error:
        raise click.ClickException(f"{what} is not valid base64") from None


@genesis.command("add-genesis-oracle", short_help="Add a genesis oracle and set oracle params.")
@click.argument("address", required=False)
@click.argument("unique_id", required=False)
@click.option("--oracle-account", help="oracle address or key name (instead of the ADDRESS argument)")
@click.option("--oracle-unique-id", help="unique ID (instead of the UNIQUE_ID argument)")
@click.option("--endpoint", "--oracle-endpoint", "endpoint", default="", help="the oracle's endpoint URL")
@click.option("--oracle-commission-rate", default="0.1", show_default=True)
@click.option("--oracle-commission-max-rate", default="0.3", show_default=True)
@click.option("--oracle-commission-max-change-rate", default="0.01", show_default=True)
@click.option("--oracle-public-key", help="base64 oracle public key (chain params)")
@click.option("--oracle-pub-key-remote-report", "--oracle-remote-report", "remote_report",
              help="base64 remote report of the oracle public key (chain params)")
@click.option("--oracle-key-file", "--oracle-public-key-path", "key_file",
              help='JSON file {"public_key_base64", "remote_report_base64"}; overrides the two flags above')
@click.option("--signature-digest", type=click.Choice(["sha256", "legacy"]),
              help="how certificates are signed (chain param; default sha256)")
@client_options("keyring-backend")
def add_genesis_oracle(
    address: str | None, unique_id: str | None, oracle_account: str | None, oracle_unique_id: str | None,
    endpoint: str, oracle_commission_rate: str, oracle_commission_max_rate: str,
    oracle_commission_max_change_rate: str, oracle_public_key: str | None, remote_report: str | None,
    key_file: str | None, signature_digest: str | None, home: str, keyring_backend: str,
) -> None:
    """Add a genesis oracle ADDRESS (or key name) for UNIQUE_ID and set the oracle params (spec §3.13)."""
    from panacea.chain import genesis as g
    from panacea.types.dec import parse_dec

    who = address or oracle_account
    uid = unique_id or oracle_unique_id
    if not who:
        raise click.ClickException("empty oracle address or key. please enter a valid oracle account")
    if not uid:
        raise click.ClickException("empty unique ID: pass UNIQUE_ID or --oracle-unique-id")
    oracle_address = _resolve_address(who, home, keyring_backend)
    if key_file:
        oracle_public_key, remote_report = _oracle_key_file(key_file)
    for value, what in ((oracle_public_key, "oracle public key"), (remote_report, "remote report")):
        if value:
            _check_base64(value, what)
    for rate, what in ((oracle_commission_rate, "commission rate"), (oracle_commission_max_rate, "max rate"),
                       (oracle_commission_max_change_rate, "max change rate")):
        try:
            parse_dec(rate)
        except ValueError as e:
            raise click.ClickException(f"invalid {what} {rate!r}: {e}") from None

    def change(state: JSON) -> None:
        g.add_genesis_oracle(state, oracle_address, uid, endpoint=endpoint, commission_rate=oracle_commission_rate,
                             max_rate=oracle_commission_max_rate, max_change_rate=oracle_commission_max_change_rate)
        g.set_oracle_params(state, public_key_base64=oracle_public_key, remote_report_base64=remote_report,
                            unique_id=uid, signature_digest=signature_digest)

    _edit(home, change)
    click.echo(f"added genesis oracle {oracle_address} ({uid})", err=True)


@genesis.command("add-validator-voter", short_help="Let an account vote in governance.")
@click.argument("address_or_key")
@click.argument("power", type=click.IntRange(min=1))
@client_options("keyring-backend")
def add_validator_voter(address_or_key: str, power: int, home: str, keyring_backend: str) -> None:
    """Let ADDRESS_OR_KEY vote in governance with POWER (the genesis validator set)."""
    from panacea.chain import genesis as g

    address = _resolve_address(address_or_key, home, keyring_backend)
    _edit(home, lambda state: g.add_validator_voter(state, address, power))
    click.echo(f"added validator voter {address} with power {power}", err=True)


@genesis.command("validate", short_help="Check the genesis document.")
@home_option
def validate(home: str) -> None:
    """Check the genesis document (CometBFT fields and every module's app state)."""
    from panacea.chain.errors import ChainError

    h = Home(home)
    doc = read_genesis(h)
    chain_id = doc.get("chain_id")
    if not isinstance(chain_id, str) or not chain_id or len(chain_id) > 50:
        raise click.ClickException("genesis chain_id must be a string of 1 to 50 characters")
    if not doc.get("validators"):
        raise click.ClickException("genesis has no validators")
    try:
        validate_app_state(doc["app_state"])
    except ChainError as e:
        raise click.ClickException(e.log) from None
    click.echo(f"File at {h.genesis_file} is a valid genesis file")


@genesis.command("export", short_help="Print the chain state as a genesis.")
@click.option("--height", type=click.IntRange(min=1), help="state at this committed height (default: latest)")
@home_option
def export(height: int | None, home: str) -> None:
    """Print a genesis document of the current chain state (stop the node first)."""
    from panacea.chain.app import App
    from panacea.chain.store import Store

    h = Home(home)
    doc = read_genesis(h)
    if not h.app_db.exists():
        raise click.ClickException(f"no chain state at {h.app_db}; the node has not run yet")
    with Store(str(h.app_db)) as store:
        app = App(store)
        if not store.version:
            raise click.ClickException("the chain has no committed block yet")
        doc["app_state"] = app.export_genesis(height)
        doc["initial_height"] = str((height or store.version) + 1)
    print_json(doc)
