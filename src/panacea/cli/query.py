"""``panacead query …`` and ``panacead status``: read the chain through a node's JSON-RPC; prints JSON.

Module queries print the gRPC response as Cosmos protobuf JSON, like the SDK CLI does.
"""

from __future__ import annotations

import base64
import binascii
import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click
from google.protobuf.message import Message

from panacea.cli.common import client_options, open_keyring, print_json
from panacea.client.queries import PAGE_LIMIT, PagedQuery, Query, auth, bank, datadeal, gov, oracle
from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2

R = TypeVar("R", bound=Message)

_NODE = client_options("node")
_HEIGHT = click.option("--height", type=click.IntRange(min=0), default=0, help="query state at this height (0: latest)")
_PAGE = [
    click.option("--limit", type=click.IntRange(min=1), default=PAGE_LIMIT, show_default=True, help="page size"),
    click.option("--page-key", default="", help="base64 next_key of the previous page"),
]


def query_options(f: Callable[..., Any], client: tuple[str, ...] = ()) -> Callable[..., Any]:
    return client_options("node", *client)(_HEIGHT(f))


def page_options(f: Callable[..., Any], client: tuple[str, ...] = ()) -> Callable[..., Any]:
    for opt in reversed(_PAGE):
        f = opt(f)
    return query_options(f, client)


def _page(opts: dict[str, Any]) -> pagination_pb2.PageRequest:
    try:
        key = base64.b64decode(opts["page_key"], validate=True)
    except binascii.Error:
        raise click.ClickException("--page-key is not valid base64") from None
    return pagination_pb2.PageRequest(key=key, limit=opts["limit"])


def _print(opts: dict[str, Any], path: str, request: Message, response_cls: type[R]) -> None:
    from panacea.client.sync import ChainClient
    from panacea.types.protojson import to_json

    with ChainClient(opts["node"]) as client:
        print_json(to_json(client.query(path, request, response_cls, opts["height"])))


def show(opts: dict[str, Any], q: Query[R, Any]) -> None:
    """Print the whole response of a typed query as protobuf JSON."""
    _print(opts, q.path, q.request, q.response_cls)


def show_page(opts: dict[str, Any], q: PagedQuery[R, Any]) -> None:
    """Print one page (--limit, --page-key) of a list query as protobuf JSON."""
    _print(opts, q.path, q.request(_page(opts)), q.response_cls)


def _address(value: str, what: str) -> str:
    from panacea.chain import addr

    if not addr.valid(value):
        raise click.ClickException(f"invalid {what}: {value!r} is not a panacea1… address")
    return value


def _address_or_key(value: str, opts: dict[str, Any]) -> str:
    """An address as given, or the address of a keyring key by that name (as the tx commands accept)."""
    from panacea.chain import addr
    from panacea.client.keyring import KeyringError

    if addr.valid(value) or value.startswith("panacea1"):
        return _address(value, "address")
    try:
        return open_keyring(opts.pop("home"), opts.pop("keyring_backend")).find(value).address
    except KeyringError as e:
        raise click.ClickException(f"invalid address: {value!r} is not a panacea1… address or a key name ({e})"
                                   ) from None


@click.group("query")
def query() -> None:
    """Query the chain state."""


# --- auth / bank --------------------------------------------------------------------------------------------
@query.group("auth")
def auth_() -> None:
    """Accounts."""


@auth_.command("account", short_help="Show an account.")
@click.argument("address")
@query_options
def account(address: str, **opts: Any) -> None:
    """Show the account at ADDRESS (number, sequence, public key)."""
    show(opts, auth.account(_address(address, "address")))


@query.group("bank")
def bank_() -> None:
    """Balances and supply."""


@bank_.command("balances", short_help="Show the balances of an account.")
@click.argument("address")
@click.option("--denom", help="only this denom")
@functools.partial(page_options, client=("keyring-backend",))
def balances(address: str, denom: str | None, **opts: Any) -> None:
    """Show the balances of ADDRESS (an address, or a key name from the keyring)."""
    address = _address_or_key(address, opts)
    if denom:
        show(opts, bank.balance(address, denom))
        return
    show_page(opts, bank.all_balances(address))


@bank_.command("total")
@page_options
def total(**opts: Any) -> None:
    """Show the total supply."""
    show_page(opts, bank.total_supply())


# --- datadeal -----------------------------------------------------------------------------------------------
@query.group("datadeal")
def datadeal_() -> None:
    """Deals and consents."""


@datadeal_.command("deal")
@click.argument("deal_id", type=click.IntRange(min=0))
@query_options
def deal(deal_id: int, **opts: Any) -> None:
    """Show deal DEAL_ID."""
    show(opts, datadeal.deal(deal_id))


@datadeal_.command("deals")
@page_options
def deals(**opts: Any) -> None:
    """List deals by id."""
    show_page(opts, datadeal.deals())


@datadeal_.command("consents")
@click.argument("deal_id", type=click.IntRange(min=0))
@page_options
def consents(deal_id: int, **opts: Any) -> None:
    """List the consents of deal DEAL_ID."""
    show_page(opts, datadeal.consents(deal_id))


@datadeal_.command("consent", short_help="Show a consent of a deal.")
@click.argument("deal_id", type=click.IntRange(min=0))
@click.argument("data_hash")
@query_options
def consent(deal_id: int, data_hash: str, **opts: Any) -> None:
    """Show the consent for DATA_HASH in deal DEAL_ID."""
    show(opts, datadeal.consent(deal_id, data_hash))


# --- oracle -------------------------------------------------------------------------------------------------
@query.group("oracle")
def oracle_() -> None:
    """Oracles, registrations, upgrades and params."""


@oracle_.command("oracles")
@page_options
def oracles(**opts: Any) -> None:
    """List oracles."""
    show_page(opts, oracle.oracles())


@oracle_.command("oracle")
@click.argument("address")
@query_options
def oracle_one(address: str, **opts: Any) -> None:
    """Show the oracle at ADDRESS."""
    show(opts, oracle.oracle(address))


@oracle_.command("oracle-registrations")
@click.argument("unique_id")
@page_options
def oracle_registrations(unique_id: str, **opts: Any) -> None:
    """List oracle registrations for UNIQUE_ID."""
    show_page(opts, oracle.oracle_registrations(unique_id))


@oracle_.command("oracle-registration", short_help="Show an oracle registration.")
@click.argument("unique_id")
@click.argument("address")
@query_options
def oracle_registration(unique_id: str, address: str, **opts: Any) -> None:
    """Show the registration of ADDRESS for UNIQUE_ID."""
    show(opts, oracle.oracle_registration(unique_id, address))


@oracle_.command("oracle-upgrades")
@click.argument("unique_id")
@page_options
def oracle_upgrades(unique_id: str, **opts: Any) -> None:
    """List oracle upgrades to UNIQUE_ID."""
    show_page(opts, oracle.oracle_upgrades(unique_id))


@oracle_.command("oracle-upgrade")
@click.argument("unique_id")
@click.argument("address")
@query_options
def oracle_upgrade(unique_id: str, address: str, **opts: Any) -> None:
    """Show the upgrade of ADDRESS to UNIQUE_ID."""
    show(opts, oracle.oracle_upgrade(unique_id, address))


@oracle_.command("upgrade-info", short_help="Show the scheduled oracle upgrade.")
@query_options
def upgrade_info(**opts: Any) -> None:
    """Show the scheduled oracle upgrade (null when none)."""
    from panacea.client.sync import ChainClient
    from panacea.types.protojson import to_json

    with ChainClient(opts["node"]) as client:
        info = client.run(oracle.upgrade_info(), opts["height"])
    print_json({"oracle_upgrade_info": None if info is None else to_json(info)})


@oracle_.command("params", short_help="Show the oracle module params.")
@query_options
def oracle_params(**opts: Any) -> None:
    """Show the oracle module params (oracle public key, remote report, active unique ID)."""
    show(opts, oracle.oracle_params())


# --- gov ----------------------------------------------------------------------------------------------------
@query.group("gov")
def gov_() -> None:
    """Proposals, votes, deposits and params."""


PROPOSAL_STATUSES: dict[str, int] = {"deposit_period": 1, "voting_period": 2, "passed": 3, "rejected": 4, "failed": 5}


@gov_.command("proposals")
@click.option("--status", type=click.Choice(list(PROPOSAL_STATUSES)), help="only proposals in this status")
@click.option("--voter", default="", help="only proposals this address voted on")
@click.option("--depositor", default="", help="only proposals this address deposited on")
@page_options
def proposals(status: str | None, voter: str, depositor: str, **opts: Any) -> None:
    """List proposals."""
    show_page(opts, gov.proposals(PROPOSAL_STATUSES[status] if status else 0, voter, depositor))


@gov_.command("proposal")
@click.argument("proposal_id", type=click.IntRange(min=0))
@query_options
def proposal(proposal_id: int, **opts: Any) -> None:
    """Show proposal PROPOSAL_ID."""
    show(opts, gov.proposal(proposal_id))


@gov_.command("votes")
@click.argument("proposal_id", type=click.IntRange(min=0))
@page_options
def votes(proposal_id: int, **opts: Any) -> None:
    """List the votes on PROPOSAL_ID."""
    show_page(opts, gov.votes(proposal_id))


@gov_.command("vote")
@click.argument("proposal_id", type=click.IntRange(min=0))
@click.argument("voter")
@query_options
def vote(proposal_id: int, voter: str, **opts: Any) -> None:
    """Show VOTER's vote on PROPOSAL_ID."""
    show(opts, gov.vote(proposal_id, voter))


@gov_.command("deposits")
@click.argument("proposal_id", type=click.IntRange(min=0))
@page_options
def deposits(proposal_id: int, **opts: Any) -> None:
    """List the deposits on PROPOSAL_ID."""
    show_page(opts, gov.deposits(proposal_id))


@gov_.command("deposit")
@click.argument("proposal_id", type=click.IntRange(min=0))
@click.argument("depositor")
@query_options
def deposit(proposal_id: int, depositor: str, **opts: Any) -> None:
    """Show DEPOSITOR's deposit on PROPOSAL_ID."""
    show(opts, gov.deposit(proposal_id, depositor))


@gov_.command("tally")
@click.argument("proposal_id", type=click.IntRange(min=0))
@query_options
def tally(proposal_id: int, **opts: Any) -> None:
    """Show the current tally of PROPOSAL_ID."""
    show(opts, gov.tally(proposal_id))


@gov_.command("params")
@query_options
def gov_params(**opts: Any) -> None:
    """Show the deposit, voting and tallying params."""
    from panacea.client.sync import ChainClient
    from panacea.types.protojson import to_json

    out: dict[str, Any] = {}
    with ChainClient(opts["node"]) as client:
        for kind, key in (("voting", "voting_params"), ("deposit", "deposit_params"), ("tallying", "tally_params")):
            out[key] = to_json(client.run(gov.gov_params(kind), opts["height"]))[key]
    print_json(out)


# --- blocks and txs -----------------------------------------------------------------------------------------
@query.command("tx", short_help="Show a tx result by hash.")
@click.argument("tx_hash")
@_NODE
def tx(tx_hash: str, node: str, home: str) -> None:
    """Show the result of the tx with hash TX_HASH (hex)."""
    from panacea.client.sync import ChainClient

    with ChainClient(node) as client:
        found = client.get_tx(tx_hash)
    if found is None:
        raise click.ClickException(f"tx {tx_hash.upper()} not found")
    print_json(found.to_json())


@query.command("block", short_help="Show a block.")
@click.argument("height", type=click.IntRange(min=1), required=False)
@_NODE
def block(height: int | None, node: str, home: str) -> None:
    """Show the block at HEIGHT (default: latest) as CometBFT JSON."""
    from panacea.client.sync import ChainClient

    with ChainClient(node) as client:
        print_json(client.block(height))


@click.command("status", short_help="Show the node's status.")
@_NODE
def status(node: str, home: str) -> None:
    """Show the node's status (CometBFT JSON: node_info, sync_info, validator_info)."""
    from panacea.client.sync import ChainClient

    with ChainClient(node) as client:
        print_json(client.rpc("status"))
