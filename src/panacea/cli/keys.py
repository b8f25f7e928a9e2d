"""``panacead keys``: manage the node home's keyring (mirrors the Cosmos SDK CLI)."""

from __future__ import annotations

import sys

import click

from panacea.cli.common import keyring_options, open_keyring, print_json, read_input_file
from panacea.client.keyring import Keyring

_OUTPUT = click.option("--output", "-o", type=click.Choice(["text", "json"]), default="text", show_default=True)
_HD = [
    click.option(
        "--account",
        type=click.IntRange(0, 2**31 - 1),
        default=0,
        show_default=True,
        help="HD account: m/44'/371'/ACCOUNT'/0/INDEX",
    ),
    click.option("--index", type=click.IntRange(0, 2**31 - 1), default=0, show_default=True, help="HD address index"),
]


def _hd(f: click.decorators.FC) -> click.decorators.FC:
    for opt in reversed(_HD):
        f = opt(f)
    return f


def _print_info(info: dict[str, str], output: str) -> None:
    if output == "json":
        print_json(info)
    else:
        for k, v in info.items():
            click.echo(f"{k}: {v}")


@click.group("keys", short_help="Manage the keyring's keys.")
def keys() -> None:
    """Manage keys (add, list, show, delete, export, import, recover)."""


@keys.command("add", short_help="Create a key from a new mnemonic.")
@click.argument("name")
@click.option("--recover", is_flag=True, help="restore from a mnemonic read from stdin instead of making one")
@_hd
@_OUTPUT
@keyring_options
def add(name: str, recover: bool, account: int, index: int, output: str, home: str, keyring_backend: str) -> None:
    """Create a key NAME from a new 24-word mnemonic (shown once)."""
    kr = open_keyring(home, keyring_backend)
    if recover:
        _recover(kr, name, account, index, output)
        return
    new = kr.add(name, account=account, index=index)
    info = new.info.to_json()
    if output == "json":
        print_json({**info, "mnemonic": new.mnemonic})
        return
    _print_info(info, output)
    click.echo(
        "\n**Write this mnemonic phrase in a safe place.**\n"
        "It is the only way to recover your account if you ever forget your password.\n",
        err=True,
    )
    click.echo(new.mnemonic)


def _recover(kr: Keyring, name: str, account: int, index: int, output: str) -> None:
    if sys.stdin.isatty():
        mnemonic = click.prompt("Enter your bip39 mnemonic", hide_input=True, err=True)
    else:
        mnemonic = sys.stdin.readline()
    _print_info(kr.recover(name, mnemonic, account=account, index=index).to_json(), output)


@keys.command("recover", short_help="Restore a key from a BIP-39 mnemonic.")
@click.argument("name")
@_hd
@_OUTPUT
@keyring_options
def recover(name: str, account: int, index: int, output: str, home: str, keyring_backend: str) -> None:
    """Restore key NAME from a BIP-39 mnemonic (read from stdin or prompted)."""
    _recover(open_keyring(home, keyring_backend), name, account, index, output)


@keys.command("list")
@_OUTPUT
@keyring_options
def list_(output: str, home: str, keyring_backend: str) -> None:
    """List all keys."""
    infos = [i.to_json() for i in open_keyring(home, keyring_backend).list()]
    if output == "json":
        print_json(infos)
        return
    for info in infos:
        click.echo(f"- name: {info['name']}\n  address: {info['address']}\n  pubkey: '{info['pubkey']}'")


@keys.command("show")
@click.argument("name")
@click.option("--address", "-a", "address_only", is_flag=True, help="print the address only")
@click.option("--pubkey", "-p", "pubkey_only", is_flag=True, help="print the public key only")
@click.option(
    "--bech", type=click.Choice(["acc", "val", "cons"]), default="acc", show_default=True, help="address prefix to show"
)
@_OUTPUT
@keyring_options
def show(
    name: str, address_only: bool, pubkey_only: bool, bech: str, output: str, home: str, keyring_backend: str
) -> None:
    """Show key NAME (a key name or address)."""
    from panacea.crypto.address import valcons_bech32, valoper_bech32

    info = open_keyring(home, keyring_backend).find(name)
    data = info.to_json()
    if bech == "val":
        data["address"] = valoper_bech32(info.pubkey.address())
    elif bech == "cons":
        data["address"] = valcons_bech32(info.pubkey.address())
    if address_only:
        click.echo(data["address"])
    elif pubkey_only:
        click.echo(data["pubkey"])
    else:
        _print_info(data, output)


@keys.command("delete")
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="skip the confirmation")
@keyring_options
def delete(name: str, yes: bool, home: str, keyring_backend: str) -> None:
    """Delete key NAME."""
    kr = open_keyring(home, keyring_backend)
    kr.show(name)
    if not yes and not sys.stdin.isatty():
        raise click.ClickException(f"not deleting key {name!r}: no terminal to confirm on; pass --yes (-y)")
    if not yes and not click.confirm(f"Delete key {name!r}?", err=True):
        raise click.ClickException("aborted")
    kr.delete(name)
    click.echo("Key deleted forever (uh oh!)", err=True)


@keys.command("export", short_help="Print a private key as hex.")
@click.argument("name")
@keyring_options
def export(name: str, home: str, keyring_backend: str) -> None:
    """Print the private key of NAME as 32-byte hex (keep it secret)."""
    click.echo(open_keyring(home, keyring_backend).private_key(name).to_hex())


@keys.command("import", short_help="Import a hex private key.")
@click.argument("name")
@click.argument("keyfile")
@_OUTPUT
@keyring_options
def import_(name: str, keyfile: str, output: str, home: str, keyring_backend: str) -> None:
    """Import NAME from KEYFILE holding a 32-byte hex private key (as printed by export; '-' = stdin)."""
    text = read_input_file(keyfile).decode(errors="replace").strip()
    _print_info(open_keyring(home, keyring_backend).import_private_key(name, text).to_json(), output)
