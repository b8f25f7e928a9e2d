"""What the ``dep`` commands share: the group that keeps every failure to one line, the common options, and the
output — tables (rich; plain text when stdout is not a terminal, so pipes and tests see exact text) or JSON
(``--output json``: ids and amounts are JSON integers, amounts in umed), progress on stderr.

rich is imported only when something is drawn (``dep --help`` stays fast).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import click

from panacea.cli.common import OneLineErrorGroup, client_options, open_keyring, print_json

F = TypeVar("F", bound=Callable[..., Any])

_WIDE = 4096  # tables off a terminal are never wrapped


class DepGroup(OneLineErrorGroup):
    """OneLineErrorGroup that also keeps a failed DEP step (``DepError``) and a usage mistake to one line."""

    def invoke(self, ctx: click.Context) -> Any:
        from click.exceptions import NoArgsIsHelpError

        from panacea.client.dep.errors import DepError

        try:
            return super().invoke(ctx)
        except DepError as e:
            raise click.ClickException(str(e).strip().splitlines()[0]) from None
        except NoArgsIsHelpError:
            raise
        except click.UsageError as e:
            where = (e.ctx or ctx).command_path
            raise click.ClickException(f"{e.format_message().rstrip('.')} (see '{where} --help')") from None


def output_option(f: F) -> F:
    return click.option("--output", "-o", type=click.Choice(["text", "json"]), default="text", show_default=True,
                        help="text (tables) or json")(f)


def query_options(f: F) -> F:
    """--output, --node (and --home for client.toml)."""
    return client_options("node")(output_option(f))


def key_options(f: F) -> F:
    """--from, --output, and --home / --keyring-backend / --node / --chain-id (client.toml, as panacead)."""
    f = click.option("--from", "from_", help="key name or address in the keyring (the same keyring as panacead)")(f)
    return client_options("keyring-backend", "node", "chain-id")(output_option(f))


def tx_options(f: F) -> F:
    """key_options and --gas-prices (the txs simulate their gas)."""
    f = click.option("--gas-prices", help="gas price in umed, e.g. 5umed: fee = gas × price [default: no fee]")(f)
    return key_options(f)


def signing_key(opts: dict[str, Any]) -> Any:
    """The --from key (a PrivateKey) from the keyring."""
    if not opts["from_"]:
        raise click.ClickException("--from is required: a key name or address from the keyring")
    return open_keyring(opts["home"], opts["keyring_backend"]).private_key(opts["from_"])


def chain_client(opts: dict[str, Any]) -> Any:
    """A ChainClient for --node / --chain-id."""
    from panacea.client.sync import ChainClient

    return ChainClient(opts["node"], opts.get("chain_id"))


def gas_price(opts: dict[str, Any]) -> str | None:
    value: str | None = opts.get("gas_prices")
    if value:
        from panacea.client.fees import fee_amount

        fee_amount(0, 1, value)  # a bad price is a one-line ValueError before anything is signed
    return value or None


# --- values ------------------------------------------------------------------------------------------------------
_UMED = re.compile(r"([0-9]+)\s*(umed)?", re.I)
_MED = re.compile(r"([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*med", re.I)


def parse_amount(text: str, what: str) -> int:
    """umed from ``10000``, ``10000umed`` or ``0.01med`` (1 MED = 10^6 umed, exact)."""
    value = text.strip()
    if m := _UMED.fullmatch(value):
        return int(m.group(1))
    if m := _MED.fullmatch(value):
        try:
            amount = Decimal(m.group(1)) * 10**6
        except InvalidOperation:
            amount = Decimal("NaN")
        if amount == amount.to_integral_value():
            return int(amount)
        raise click.ClickException(f"invalid {what} {text!r}: finer than 1umed (0.000001med)")
    raise click.ClickException(f"invalid {what} {text!r}: an amount of umed (10000 or 10000umed) or of MED (0.01med)")


def umed(amount: int) -> str:
    return f"{amount}umed"


def rate(wire: str) -> str:
    """An sdk.Dec commission rate (wire form) as a short decimal, e.g. ``0.1``."""
    from panacea.types.dec import dec_from_wire

    value = dec_from_wire(wire)
    return "0" if value == 0 else format(value.normalize(), "f")


# --- tables and progress ------------------------------------------------------------------------------------------
def _render(renderable: Any) -> None:
    from rich.console import Console

    if sys.stdout.isatty():
        Console().print(renderable)
        return
    buffer = io.StringIO()
    Console(file=buffer, width=_WIDE, color_system=None, force_terminal=False).print(renderable)
    click.echo("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns under upper-case headers, two spaces apart."""
    from rich.table import Table

    t = Table(box=None, pad_edge=False, header_style="bold")
    for h in headers:
        t.add_column(h.upper(), overflow="fold")
    for row in rows:
        t.add_row(*row)
    _render(t)


def fields(pairs: Sequence[tuple[str, str]]) -> None:
    """``name  value`` lines, the values aligned."""
    from rich.table import Table

    t = Table(box=None, pad_edge=False, show_header=False)
    t.add_column(style="bold")
    t.add_column(overflow="fold")
    for name, value in pairs:
        t.add_row(name, value)
    _render(t)


def emit(opts: dict[str, Any], doc: object, text: Callable[[], None]) -> None:
    """``doc`` as JSON with --output json, else ``text()``."""
    if opts["output"] == "json":
        print_json(doc)
    else:
        text()


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (a terminal), else one line per step: yields ``advance(description)``."""
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
                      console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("", total=total)
            yield lambda what: bar.update(task, advance=1, description=what)
        return
    done = 0

    def line(what: str) -> None:
        nonlocal done
        done += 1
        click.echo(f"{label} {done}/{total}: {what}", err=True)

    yield line
