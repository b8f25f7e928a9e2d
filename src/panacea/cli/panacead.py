"""``panacead``: the chain node and its client, plus the DEP crypto helpers (spec §4.3–4.7)."""

from __future__ import annotations

import base64
import binascii
from typing import Any, ClassVar

import click

from panacea.chain.errors import ChainError
from panacea.cli.common import (
    OneLineErrorGroup,
    check_client_setting,
    client_options,
    home_option,
    keyring_options,
    open_keyring,
    print_json,
    read_client_config,
    read_input_file,
    write_client_config,
)
from panacea.cli.did import did_query, did_tx
from panacea.cli.did_keystore import import_did_keystore
from panacea.cli.init import genesis, init
from panacea.cli.keys import keys
from panacea.cli.query import query, status
from panacea.cli.start import start
from panacea.cli.tx import tx

_ORACLE_PUBKEY = click.option(
    "--oracle-pubkey",
    metavar="BASE64",
    help="the oracle public key (base64); when omitted it is read from the chain's oracle params",
)


class _MainGroup(OneLineErrorGroup):
    """Also turns a chain-side error raised locally (genesis helpers, validation) into one line; ``q`` is
    ``query`` (the SDK's alias: ``panacead q block``)."""

    ALIASES: ClassVar[dict[str, str]] = {"q": "query"}

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, self.ALIASES.get(cmd_name, cmd_name))

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ChainError as e:
            raise click.ClickException(e.log.strip().splitlines()[0] if e.log.strip() else type(e).__name__) from None


@click.group(cls=_MainGroup, short_help="Panacea node, client and DEP helpers.")
@click.version_option(package_name="panacea-dep")
def main() -> None:
    """Panacea chain node, client and Data Exchange Protocol helpers."""


for _command in (init, genesis, start, keys, tx, query, status):
    main.add_command(_command)
tx.add_command(did_tx)
query.add_command(did_query)
keys.add_command(import_did_keystore)
# start.py's first sentence is longer than click shows in a summary; the summary is set where the CLI is assembled.
start.short_help = "Run the node (embedded engine, or ABCI)."


@main.command("config", short_help="Show or set the client config.")
@click.argument("key", required=False)
@click.argument("value", required=False)
@home_option
def config(key: str | None, value: str | None, home: str) -> None:
    """Show or set the client config (<home>/config/client.toml): keyring-backend, node, chain-id.

    No KEY prints every setting as JSON, KEY prints its value, KEY VALUE sets it."""
    settings = read_client_config(home)
    if key is None:
        print_json(settings)
        return
    check_client_setting(key, settings.get(key, ""))
    if value is None:
        click.echo(settings[key])
        return
    write_client_config(home, {**settings, key: check_client_setting(key, value)})


@main.command("hash-json", short_help="Print the data hash of a JSON file.")
@click.argument("file")
def hash_json(file: str) -> None:
    """Print the data hash of a JSON FILE: hex SHA-256 of its RFC 8785 canonical form."""
    from panacea.crypto.jcs import data_hash

    click.echo(data_hash(read_input_file(file)))


@main.command("issue-jwt", short_help="Issue an ES256K JWT valid for DURATION.")
@click.argument("duration")
@click.option("--from", "from_", required=True, help="key name or address that signs the token")
@click.option("--audience", help="add an 'aud' claim (secure profile)")
@click.option("--jti", is_flag=True, help="add a random 'jti' claim (secure profile, for replay protection)")
@keyring_options
def issue_jwt(duration: str, from_: str, audience: str | None, jti: bool, home: str, keyring_backend: str) -> None:
    """Issue an ES256K JWT valid for DURATION (Go syntax: 10s, 1h30m, 300ms)."""
    import secrets

    from panacea.crypto import jwt

    ns = jwt.parse_go_duration(duration)
    priv = open_keyring(home, keyring_backend).private_key(from_)
    click.echo(jwt.issue(priv, ns, audience=audience, jti=secrets.token_hex(16) if jti else None))


def _oracle_public_key(oracle_pubkey: str | None, node: str) -> bytes:
    from panacea.crypto.keys import PublicKey

    if oracle_pubkey is None:
        from panacea.client.oracle_params import query_oracle_public_key

        oracle_pubkey = query_oracle_public_key(node)
    try:
        raw = base64.b64decode(oracle_pubkey, validate=True)
    except binascii.Error:
        raise click.ClickException("oracle public key is not valid base64") from None
    return PublicKey.from_bytes(raw).compressed


@main.command("encrypt-data", short_help="Encrypt a file for the oracle.")
@click.argument("input_file")
@click.argument("key")
@_ORACLE_PUBKEY
@client_options("keyring-backend", "node")
def encrypt_data(
    input_file: str, key: str, oracle_pubkey: str | None, node: str, home: str, keyring_backend: str
) -> None:
    """Encrypt INPUT_FILE for the oracle with KEY's private key; prints base64."""
    from panacea.crypto.secret import encrypt_for

    data = read_input_file(input_file)
    oracle_pub = _oracle_public_key(oracle_pubkey, node)
    priv = open_keyring(home, keyring_backend).private_key(key)
    click.echo(base64.b64encode(encrypt_for(priv, oracle_pub, data)).decode())


@main.command("decrypt-data", short_help="Decrypt data from the consumer service.")
@click.argument("input_file")
@click.argument("key")
@click.argument("encrypted_secret_key")
@_ORACLE_PUBKEY
@client_options("keyring-backend", "node")
def decrypt_data(
    input_file: str,
    key: str,
    encrypted_secret_key: str,
    oracle_pubkey: str | None,
    node: str,
    home: str,
    keyring_backend: str,
) -> None:
    """Decrypt INPUT_FILE (raw container from the consumer service) with the oracle's ENCRYPTED_SECRET_KEY."""
    from panacea.crypto import aes
    from panacea.crypto.secret import decrypt_from

    try:
        esk = base64.b64decode(encrypted_secret_key, validate=True)
    except binascii.Error:
        raise click.ClickException("encrypted secret key is not valid base64") from None
    data = read_input_file(input_file)
    oracle_pub = _oracle_public_key(oracle_pubkey, node)
    priv = open_keyring(home, keyring_backend).private_key(key)
    secret = decrypt_from(priv, oracle_pub, esk)
    if len(secret) != 32:
        raise click.ClickException(f"decrypted secret key has {len(secret)} bytes, expected 32")
    click.echo(aes.decrypt(secret, data).decode(errors="replace"))


if __name__ == "__main__":
    main()
