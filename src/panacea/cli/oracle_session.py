"""What the life-cycle commands of ``oracled`` share: one command's session (account, enclave, chain client, reader,
wallet), the waiting line, and the input forms of ``verify-report`` and ``status`` (docs/oracle.md §3, §4)."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from panacea.oracle.enclave import report_data_for
from panacea.oracle.home import OracleHome

if TYPE_CHECKING:
    from panacea.client.aio import AsyncChainClient
    from panacea.oracle.interfaces import LifecycleReader
    from panacea.oracle.lifecycle import KeySource, Lifecycle, TrustedBlock

T = TypeVar("T")

CHAIN_TIMEOUT = 10.0


@asynccontextmanager
async def reader(home: OracleHome, client: AsyncChainClient,
                 trusted: TrustedBlock | None = None) -> AsyncIterator[LifecycleReader]:
    """The chain reads of the life-cycle commands, as the home's config says (oracle-reference §6): the light
    client from ``trusted`` (register-oracle / upgrade-oracle: as the reference builds its client from the trust
    options; the home records it once the request is on chain), else from the home's trust root."""
    from panacea.oracle.chain import ClientChainReader, open_chain_reader

    root = None
    if trusted is not None:  # the node's word first, for the reference's text; then the light client verifies it
        await ClientChainReader(client).verify_trusted_block(trusted.height, trusted.hash)
        root = (trusted.height, trusted.hash)  # recorded in the home only once the request is on chain
    opened = await open_chain_reader(home, client, root=root)
    try:
        yield opened
    finally:
        await opened.close()


@asynccontextmanager
async def session(home: OracleHome, trusted: TrustedBlock | None = None) -> AsyncIterator[Lifecycle]:
    """The account, enclave, chain client, reader and wallet of one command (the client closes with it)."""
    from panacea.client.aio import AsyncChainClient
    from panacea.oracle.lifecycle import Lifecycle

    chain = home.config.panacea
    account = home.oracle_account()
    enclave = home.open_enclave()
    async with AsyncChainClient(chain.rpc_addr, chain.chain_id or None, timeout=CHAIN_TIMEOUT) as client:
        await check_node(client, chain.chain_id)
        async with reader(home, client, trusted) as chain_reader:
            yield Lifecycle(home, enclave, chain_reader, client.wallet(account), chain.default_fee_amount)


async def check_node(client: AsyncChainClient, chain_id: str) -> None:
    """One status call first: an unreachable node or another chain is one line naming panacea.rpc-addr/chain-id."""
    from panacea.client.errors import ChainClientError

    try:
        status = await client.status()
    except ChainClientError as e:
        raise click.ClickException(f"{e} (panacea.rpc-addr in config.toml)") from None
    if chain_id and status.chain_id != chain_id:
        raise click.ClickException(f"the node at {client.node} runs chain {status.chain_id!r}, not {chain_id!r} "
                                   "(panacea.chain-id in config.toml)")


def run(home: OracleHome, flow: Callable[[Lifecycle], Awaitable[T]], *, trusted: TrustedBlock | None = None) -> T:
    """Run ``flow`` in a fresh event loop with this home's session (Ctrl-C arrives as KeyboardInterrupt)."""

    async def go() -> T:
        async with session(home, trusted) as s:
            return await flow(s)

    return asyncio.run(go())


class Progress:
    """The waiting line on stderr: rewritten in place on a terminal, else one line now and then every 30 s."""

    EVERY = 30.0

    def __init__(self, source: KeySource, timeout: str) -> None:
        self.what = f"waiting for the approval of the oracle {source} (timeout {timeout})"
        self.tty = sys.stderr.isatty()
        self.shown: float | None = None

    def __call__(self, elapsed: float, height: int | None) -> None:
        line = f"{self.what}: {int(elapsed)}s, height {'?' if height is None else height}"
        if self.tty:
            click.echo(f"\r{line}\x1b[K", err=True, nl=False)
        elif self.shown is None or elapsed - self.shown >= self.EVERY:
            click.echo(line, err=True)
        else:
            return
        self.shown = elapsed

    def end(self) -> None:
        if self.tty and self.shown is not None:
            click.echo(err=True)


def timeout_seconds(value: str) -> float:
    from panacea.crypto.errors import CryptoError
    from panacea.crypto.jwt import parse_go_duration

    try:
        ns = parse_go_duration(value)
    except CryptoError:
        ns = -1
    if ns <= 0:
        raise click.ClickException(f'invalid --timeout {value!r}: expected a positive duration like "10m" or "90s"')
    return ns / 1e9


def read_report(file: str) -> tuple[bytes, bytes | None]:
    """The report in FILE and, for oracle_pub_key.json, the SHA-256 of its public key (the expected data)."""
    from panacea.crypto.errors import CryptoError
    from panacea.crypto.keys import PublicKey

    try:
        content = Path(file).read_bytes()
    except OSError as e:
        raise click.ClickException(f"cannot read {file}: {e.strerror}") from None
    try:
        doc = json.loads(content)
    except ValueError:
        doc = None
    if isinstance(doc, dict):
        try:
            public_key = PublicKey.from_base64(str(doc["public_key_base64"]))
            return base64.b64decode(str(doc["remote_report_base64"]), validate=True), report_data_for(public_key)
        except (KeyError, CryptoError, binascii.Error, ValueError):
            raise click.ClickException(f"{file}: expected oracle_pub_key.json's public_key_base64 and "
                                       "remote_report_base64") from None
    try:
        return base64.b64decode(content.strip(), validate=True), None
    except (binascii.Error, ValueError):
        return content, None


def api_url(listen_addr: str) -> str:
    """Where this home's oracle answers: api.listen-addr, a wildcard host asked on loopback."""
    host, _, port = listen_addr.rpartition(":")
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]", "::": "[::1]"}.get(host, host)
    return f"http://{host}:{port}"
