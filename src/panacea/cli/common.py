"""Pieces every command line shares: one-line errors, JSON output, the home's client config and its options.

The client config is the SDK's ``<home>/config/client.toml`` (``keyring-backend``, ``node``, ``chain-id``): a
setting comes from its flag, else its ``PANACEA_…`` environment variable, else client.toml, else the default.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

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


# JSON a user hands the CLI: integers stay far below Python's 4300-digit limit, nesting stays shallow.
MAX_JSON_DIGITS = 100
MAX_JSON_DEPTH = 64


class _NumberTooLong(ValueError):
    """Raised from inside json.loads so that the digit limit is reported about the file."""


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_JSON_DIGITS:
        raise _NumberTooLong(f"a number has {digits} digits (at most {MAX_JSON_DIGITS})")
    return int(text)


def _nesting(doc: Any) -> int:
    """How deep arrays and objects nest in DOC (iteratively: a deep document cannot exhaust the stack)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                return deepest
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def read_json_file(path: str) -> Any:
    """A user's JSON file; every way it can be malformed is a one-line error naming the file."""
    text = read_text_file(path)
    try:
        doc = json.loads(text, parse_int=_bounded_int)
    except json.JSONDecodeError as e:
        raise click.ClickException(f"{path} is not valid JSON: {e}") from None
    except _NumberTooLong as e:
        raise click.ClickException(f"{path} is not usable JSON: {e}") from None
    except RecursionError:
        raise click.ClickException(f"{path} is not usable JSON: nested deeper than {MAX_JSON_DEPTH} levels") from None
    if _nesting(doc) > MAX_JSON_DEPTH:
        raise click.ClickException(f"{path} is not usable JSON: nested deeper than {MAX_JSON_DEPTH} levels")
    return doc


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def known_fields(obj: dict[str, Any], names: tuple[str, ...], at: str) -> dict[str, Any]:
    """OBJ's keys as snake_case NAMES (protobuf-JSON camelCase accepted too); an unknown key is an error."""
    by_key = {**{n: n for n in names}, **{_camel(n): n for n in names}}
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = by_key.get(key)
        if name is None:
            raise ValueError(f"unknown field {at + key!r} (known: {', '.join(names)})")
        if name in out:
            raise ValueError(f"field {at}{name} is given twice (as {name} and {_camel(name)})")
        out[name] = value
    return out


_INT_BITS: dict[int, tuple[int, bool]] = {  # FieldDescriptor type → (bits, signed)
    FieldDescriptor.TYPE_INT32: (32, True), FieldDescriptor.TYPE_SINT32: (32, True),
    FieldDescriptor.TYPE_SFIXED32: (32, True), FieldDescriptor.TYPE_INT64: (64, True),
    FieldDescriptor.TYPE_SINT64: (64, True), FieldDescriptor.TYPE_SFIXED64: (64, True),
    FieldDescriptor.TYPE_UINT32: (32, False), FieldDescriptor.TYPE_FIXED32: (32, False),
    FieldDescriptor.TYPE_UINT64: (64, False), FieldDescriptor.TYPE_FIXED64: (64, False),
}
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]*={0,2}")


def _check_scalar(f: FieldDescriptor, value: Any, at: str) -> None:
    if f.type in _INT_BITS:
        bits, signed = _INT_BITS[f.type]
        number = int(value) if isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,25}", value) else value
        if not isinstance(number, int) or isinstance(number, bool):
            raise ValueError(f"{at} must be an integer (a number or a string of digits)")
        low, high = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
        if not low <= number < high:
            raise ValueError(f"{at} is out of range for a{'' if signed else 'n unsigned'} {bits}-bit integer")
    elif f.type == FieldDescriptor.TYPE_BOOL and not isinstance(value, bool):
        raise ValueError(f"{at} must be true or false")
    elif f.type == FieldDescriptor.TYPE_STRING and not isinstance(value, str):
        raise ValueError(f"{at} must be a string")
    elif f.type == FieldDescriptor.TYPE_BYTES and not (isinstance(value, str) and _BASE64.fullmatch(value)):
        raise ValueError(f"{at} must be a base64 string")


def check_proto_json(doc: Any, cls: type[Message]) -> None:
    """DOC fits message CLS as protobuf JSON (either key style); ValueError naming the first misfit's path,
    so the protobuf parser never reports one in its own words. Any and map fields are left to the parser."""
    _check_message(doc, cls.DESCRIPTOR, "")


def _check_message(doc: Any, desc: Any, at: str) -> None:  # a Descriptor (two classes, by backend)
    if not isinstance(doc, dict):
        raise ValueError(f"{at} must be a JSON object" if at else "must hold a JSON object")
    fields = {f.name: f for f in desc.fields}
    for name, value in known_fields(doc, tuple(fields), f"{at}." if at else "").items():
        f, path = fields[name], f"{at}.{name}" if at else name
        if value is None or (f.message_type is not None and (
                f.message_type.full_name == "google.protobuf.Any" or f.message_type.GetOptions().map_entry)):
            continue
        items = value if f.is_repeated else [value]
        if f.is_repeated and not isinstance(value, list):
            raise ValueError(f"{path} must be a list")
        for i, item in enumerate(items):
            where = f"{path}[{i}]" if f.is_repeated else path
            if f.message_type is not None:
                _check_message(item, f.message_type, where)
            else:
                _check_scalar(f, item, where)


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
    import tomlkit

    path = client_toml(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(tomlkit.dumps(config))
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
