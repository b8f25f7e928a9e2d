"""Pieces every command line shares: one-line errors, JSON output, the home's client config and its options.

The client config is the SDK's ``<home>/config/client.toml`` (``keyring-backend``, ``node``, ``chain-id``): a
setting comes from its flag, else its ``PANACEA_…`` environment variable, else client.toml, else the default.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from panacea.client.errors import ChainClientError
from panacea.client.keyring import BACKENDS, Keyring, KeyringError
from panacea.client.rpc import DEFAULT_NODE
from panacea.crypto.errors import CryptoError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_HOME = os.path.join(os.path.expanduser("~"), ".panacea")

# Errors a user can cause with bad input: printed as one line, exit code 1, never a traceback.
USER_ERRORS: tuple[type[BaseException], ...] = (CryptoError, KeyringError, ChainClientError, OSError, ValueError)

# client.toml keys, their defaults (an empty chain-id: ask the node) and the environment variable of each.
CLIENT_DEFAULTS: dict[str, str] = {"chain-id": "", "keyring-backend": "file", "node": DEFAULT_NODE}
CLIENT_ENV: dict[str, str] = {
    "chain-id": "PANACEA_CHAIN_ID", "keyring-backend": "PANACEA_KEYRING_BACKEND", "node": "PANACEA_NODE",
}


class OneLineErrorGroup(click.Group):
    """A click group that turns expected failures into ``Error: <one line>``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as e:
            msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise click.ClickException(msg) from None


def print_json(obj: object) -> None:
    click.echo(json.dumps(obj, indent=2, sort_keys=False))


def read_input_file(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise click.ClickException(f"file not found: {path}") from None
    except IsADirectoryError:
        raise click.ClickException(f"not a file: {path}") from None


def read_text_file(path: str) -> str:
    """A user's file as text: bytes that are not UTF-8 are an error about the file, not a codec message."""
    raw = read_input_file(path)
    try:
        return raw.decode()
    except UnicodeDecodeError as e:
        raise click.ClickException(f"{path} is not UTF-8 text (invalid byte at offset {e.start})") from None


# --- client.toml ---------------------------------------------------------------------------------------------------
def client_toml(home: str | Path) -> Path:
    return Path(home) / "config" / "client.toml"


def check_client_setting(key: str, value: str) -> str:
    """A value fit for client.toml's KEY; ClickException naming the key otherwise."""
    if key not in CLIENT_DEFAULTS:
        raise click.ClickException(f"unknown client config key {key!r} (one of: {', '.join(CLIENT_DEFAULTS)})")
    if key == "keyring-backend" and value not in BACKENDS:
        raise click.ClickException(f"invalid keyring-backend {value!r} (one of: {', '.join(BACKENDS)})")
    if key == "chain-id" and len(value) > 50:
        raise click.ClickException("invalid chain-id: at most 50 characters")
    if key == "node" and not value:
        raise click.ClickException("invalid node: an RPC address such as tcp://127.0.0.1:26657")
    return value


def read_client_config(home: str | Path) -> dict[str, str]:
    """The home's client settings, defaults filled in (no client.toml: the defaults)."""
    path = client_toml(home)
    try:
        text = path.read_bytes().decode()
    except FileNotFoundError:
        return dict(CLIENT_DEFAULTS)
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} is not UTF-8 text") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise click.ClickException(f"{path} is not valid TOML: {e}") from None
    config = dict(CLIENT_DEFAULTS)
    for key in CLIENT_DEFAULTS:
        if key in doc:
            if not isinstance(doc[key], str):
                raise click.ClickException(f"{key} in {path} must be a string")
            config[key] = check_client_setting(key, doc[key])
    return config


def write_client_config(home: str | Path, config: dict[str, str]) -> None:
    import tomli_w

    path = client_toml(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomli_w.dumps(config))
    os.replace(tmp, path)


def home_option(f: F) -> F:
    return click.option(
        "--home", type=click.Path(file_okay=False), default=DEFAULT_HOME, show_default=True, envvar="PANACEA_HOME",
        help="node home directory",
    )(f)


_CLIENT_FLAGS: dict[str, Callable[[F], F]] = {
    "keyring-backend": click.option(
        "--keyring-backend", type=click.Choice(BACKENDS), envvar=CLIENT_ENV["keyring-backend"],
        help="where keys live: 'file' (passphrase-sealed) or 'test' (plain) [default: client.toml's, else file]"),
    "node": click.option(
        "--node", envvar=CLIENT_ENV["node"],
        help=f"CometBFT RPC address of a node [default: client.toml's, else {DEFAULT_NODE}]"),
    "chain-id": click.option(
        "--chain-id", envvar=CLIENT_ENV["chain-id"], help="chain id [default: client.toml's, else the node's]"),
}


def client_options(*keys: str) -> Callable[[F], F]:
    """--home and the client.toml settings KEYS as flags, resolved flag > env > client.toml > default."""

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def resolved(*args: Any, **kwargs: Any) -> Any:
            config: dict[str, str] | None = None
            for key in keys:
                param = key.replace("-", "_")
                if kwargs.get(param) is None:
                    config = config or read_client_config(kwargs["home"])
                    kwargs[param] = config[key] or None
            return f(*args, **kwargs)

        wrapped = cast(F, resolved)
        for key in reversed(keys):
            wrapped = _CLIENT_FLAGS[key](wrapped)
        return home_option(wrapped)

    return decorate


def keyring_options(f: F) -> F:
    return client_options("keyring-backend")(f)


def _ask_passphrase(new: bool) -> str:
    if not sys.stdin.isatty():
        raise KeyringError("the file keyring needs a passphrase: set PANACEA_KEYRING_PASSPHRASE")
    value: str = click.prompt("Enter keyring passphrase", hide_input=True, confirmation_prompt=new, err=True)
    if new and len(value) < 8:
        raise KeyringError("passphrase must be at least 8 characters")
    return value


def open_keyring(home: str, backend: str) -> Keyring:
    return Keyring(home, backend, passphrase=_ask_passphrase)
