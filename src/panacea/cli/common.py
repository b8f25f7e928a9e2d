"""Pieces every command line shares: one-line errors, JSON output, the keyring options."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from panacea.client.errors import ChainClientError
from panacea.client.keyring import BACKENDS, Keyring, KeyringError
from panacea.crypto.errors import CryptoError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_HOME = os.path.join(os.path.expanduser("~"), ".panacea")

# Errors a user can cause with bad input: printed as one line, exit code 1, never a traceback.
USER_ERRORS: tuple[type[BaseException], ...] = (CryptoError, KeyringError, ChainClientError, OSError, ValueError)


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


def _ask_passphrase(new: bool) -> str:
    if not sys.stdin.isatty():
        raise KeyringError("the file keyring needs a passphrase: set PANACEA_KEYRING_PASSPHRASE")
    value: str = click.prompt("Enter keyring passphrase", hide_input=True, confirmation_prompt=new, err=True)
    if new and len(value) < 8:
        raise KeyringError("passphrase must be at least 8 characters")
    return value


def keyring_options(f: F) -> F:
    f = click.option(
        "--keyring-backend",
        type=click.Choice(BACKENDS),
        default="file",
        show_default=True,
        help="where keys live: 'file' (passphrase-sealed) or 'test' (plain, for tests)",
    )(f)
    f = click.option(
        "--home",
        type=click.Path(file_okay=False),
        default=DEFAULT_HOME,
        show_default=True,
        envvar="PANACEA_HOME",
        help="node home directory",
    )(f)
    return f


def open_keyring(home: str, backend: str) -> Keyring:
    return Keyring(home, backend, passphrase=_ask_passphrase)
