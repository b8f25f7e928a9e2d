"""``panacead query …`` and ``panacead status``: read the chain through a node's JSON-RPC; prints JSON.

Module queries print the gRPC response as Cosmos protobuf JSON, like the SDK CLI does.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any, cast

import click
from google.protobuf.message import Message

from panacea.cli.common import print_json
from panacea.client.chain import DEFAULT_NODE, PAGE_LIMIT, Q

_NODE = click.option("--node", default=DEFAULT_NODE, show_default=True, envvar="PANACEA_NODE",
                     help="CometBFT RPC address of a node")
_HEIGHT = click.option("--height", type=click.IntRange(min=0), default=0, help="query state at this height (0: latest)")
_PAGE = [
    click.option("--limit", type=click.IntRange(min=1), default=PAGE_LIMIT, show_default=True, help="page size"),
    click.option("--page-key", default="", help="base64 next_key of the previous page"),
]


def query_options(f: Callable[..., Any]) -> Callable[..., Any]:
    return _NODE(_HEIGHT(f))


def page_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(_PAGE):
        f = opt(f)
    return query_options(f)


def _page(opts: dict[str, Any]) -> Any:
    from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2

    try:
        key = base64.b64decode(opts["page_key"], validate=True)
    except binascii.Error:
        raise click.ClickException("--page-key is not valid base64") from None
    return pagination_pb2.PageRequest(key=key, limit=opts["limit"])


def run(opts: dict[str, Any], path: str, request: Message, response_cls: type[Message]) -> None:
    from panacea.client.chain import ChainClient
    from panacea.types.protojson import to_json

    with ChainClient(opts["node"]) as client:
        print_json(to_json(client.query(path, request, response_cls, opts["height"])))


def _address(value: str, what: str) -> str:
    from panacea.chain import addr

    if not addr.valid(value):
        raise click.ClickException(f"invalid {what}: {value!r} is not a panacea1… address")
    return value


@click.group("query")
def query() -> None:
    """Query the chain state."""


# --- auth / bank --------------------------------------------------------------------------------------------
@query.group("auth")
def auth() -> None:
    """Accounts."""


@auth.command("account")
@click.argument("address")
@query_options
def account(address: str, **opts: Any) -> None:
    """Show the account at ADDRESS (number, sequence, public key)."""
    from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2

    run(opts, "/cosmos.auth.v1beta1.Query/Account", query_pb2.QueryAccountRequest(address=_address(address, "address")),
        query_pb2.QueryAccountResponse)


@query.group("bank")
def bank() -> None:
    """Balances and supply."""


@bank.command("balances")
@click.argument("address")
@click.option("--denom", help="only this denom")
@page_options
def balances(address: str, denom: str | None, **opts: Any) -> None:
    """Show the balances of ADDRESS."""
    from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2

    address = _address(address, "address")
    if denom:
        run(opts, "/cosmos.bank.v1beta1.Query/Balance", query_pb2.QueryBalanceRequest(address=address, denom=denom),
            query_pb2.QueryBalanceResponse)
        return
    run(opts, "/cosmos.bank.v1beta1.Query/AllBalances",
        query_pb2.QueryAllBalancesRequest(address=address, pagination=_page(opts)), query_pb2.QueryAllBalancesResponse)


@bank.command("total")
@page_options
def total(**opts: Any) -> None:
    """Show the total supply."""
    from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2

    run(opts, "/cosmos.bank.v1beta1.Query/TotalSupply", query_pb2.QueryTotalSupplyRequest(pagination=_page(opts)),
        query_pb2.QueryTotalSupplyResponse)


# --- datadeal -----------------------------------------------------------------------------------------------
@query.group("datadeal")
def datadeal() -> None:
    """Deals and consents."""


_DD = "/panacea.datadeal.v2.Query/"


@datadeal.command("deal")
@click.argument("deal_id", type=click.IntRange(min=0))
@query_options
def deal(deal_id: int, **opts: Any) -> None:
    """Show deal DEAL_ID."""
    from panacea.types.pb.panacea.datadeal.v2 import query_pb2

    run(opts, _DD + "Deal", query_pb2.QueryDealRequest(deal_id=deal_id), query_pb2.QueryDealResponse)


@datadeal.command("deals")
@page_options
def deals(**opts: Any) -> None:
    """List deals by id."""
    from panacea.types.pb.panacea.datadeal.v2 import query_pb2

    run(opts, _DD + "Deals", query_pb2.QueryDealsRequest(pagination=_page(opts)), query_pb2.QueryDealsResponse)


@datadeal.command("consents")
@click.argument("deal_id", type=click.IntRange(min=0))
@page_options
def consents(deal_id: int, **opts: Any) -> None:
    """List the consents of deal DEAL_ID."""
    from panacea.types.pb.panacea.datadeal.v2 import query_pb2

    run(opts, _DD + "Consents", query_pb2.QueryConsents(deal_id=deal_id, pagination=_page(opts)),
        query_pb2.QueryConsentsResponse)


@datadeal.command("consent")
@click.argument("deal_id", type=click.IntRange(min=0))
@click.argument("data_hash")
@query_options
def consent(deal_id: int, data_hash: str, **opts: Any) -> None:
    """Show the consent for DATA_HASH in deal DEAL_ID."""
    from panacea.types.pb.panacea.datadeal.v2 import query_pb2

    run(opts, _DD + "Consent", query_pb2.QueryConsent(deal_id=deal_id, data_hash=data_hash),
        query_pb2.QueryConsentResponse)


# --- oracle -------------------------------------------------------------------------------------------------
@query.group("oracle")
def oracle() -> None:
    """Oracles, registrations, upgrades and params."""


_OR = "/panacea.oracle.v2.Query/"


@oracle.command("oracles")
@page_options
def oracles(**opts: Any) -> None:
    """List oracles."""
    from panacea.types.pb.panacea.oracle.v2 import query_pb2

    run(opts, _OR + "Oracles", query_pb2.QueryOraclesRequest(pagination=_page(opts)), query_pb2.QueryOraclesResponse)


@oracle.command("oracle")
@click.argument("address")
@query_options
def oracle_(address: str, **opts: Any) -> None:
    """Show the oracle at ADDRESS."""
    from panacea.types.pb.panacea.oracle.v2 import query_pb2

    run(opts, _OR + "Oracle", query_pb2.QueryOracleRequest(oracle_address=address), query_pb2.QueryOracleResponse)


@oracle.command("oracle-registrations")
@click.argument("unique_id")
@page_options
def oracle_registrations(unique_id: str, **opts: Any) -> None:
    """List oracle registrations for UNIQUE_ID."""
    from panacea.types.pb.panacea.oracle.v2 import query_pb2

    run(opts, _OR + "OracleRegistrations",
        query_pb2.QueryOracleRegistrationsRequest(unique_id=unique_id, pagination=_page(opts)),
        query_pb2.QueryOracleRegistrationsResponse)


@oracle.command("oracle-registration")
@click.argument("unique_id")
@click.argument("address")
@query_options
def oracle_registration(unique_id: str, address: str, **opts: Any) -> None:
    """Show the registration of ADDRESS for UNIQUE_ID."""
    from panacea.types.pb.panacea.oracle.v2 import query_pb2

    run(opts, _OR + "OracleRegistration",
        query_pb2.QueryOracleRegistrationRequest(unique_id=unique_id, oracle_address=address),
        query_pb2.QueryOracleRegistrationResponse)


@oracle.command("oracle-upgrades")
@click.argument("unique_id")
@page_options
def oracle_upgrades(unique_id: str, **opts: Any) -> None:
    """List oracle upgrades to UNIQUE_ID."""
    from panacea.types.pb.panacea.oracle.v2 import query_pb2

    run(opts, _OR + "OracleUpgrades", query_pb2.QueryOracleUpgradesRequest(unique_id=unique_id, pagination=_page(opts)),
        query_pb2.QueryOracleUpgradesResponse)


@oracle.command("oracle-upgrade")
@click.argument("unique_id")
@click.argument("address")
@query_options
def oracle_upgrade(unique_id: str, address: str, **opts: Any) -> None:
    """Show the upgrade of ADDRESS to UNIQUE_ID."""
    from panacea.types.pb.panacea.oracle.v2 import query_pb2

    run(opts, _OR + "OracleUpgrade", query_pb2.QueryOracleUpgradeRequest(unique_id=unique_id, oracle_address=address),
        query_pb2.QueryOracleUpgradeResponse)


@oracle.command("upgrade-info")
@query_options
def upgrade_info(**opts: Any) -> None:
    """Show the scheduled oracle upgrade (null when none)."""
    from panacea.client.chain import ChainClient
    from panacea.types.protojson import to_json

    with ChainClient(opts["node"]) as client:
        info = client.run(Q.upgrade_info(), opts["height"])
    print_json({"oracle_upgrade_info": None if info is None else to_json(info)})


@oracle.command("params")
@query_options
def oracle_params(**opts: Any) -> None:
    """Show the oracle module params (oracle public key, remote report, active unique ID)."""
    from panacea.types.pb.panacea.oracle.v2 import query_pb2

    run(opts, _OR + "Params", query_pb2.QueryOracleParamsRequest(), query_pb2.QueryParamsResponse)


# --- gov ----------------------------------------------------------------------------------------------------
@query.group("gov")
def gov() -> None:
    """Proposals, votes, deposits and params."""


_GOV = "/cosmos.gov.v1beta1.Query/"
PROPOSAL_STATUSES: dict[str, Any] = {"deposit_period": 1, "voting_period": 2, "passed": 3, "rejected": 4, "failed": 5}


@gov.command("proposals")
@click.option("--status", type=click.Choice(list(PROPOSAL_STATUSES)), help="only proposals in this status")
@click.option("--voter", default="", help="only proposals this address voted on")
@click.option("--depositor", default="", help="only proposals this address deposited on")
@page_options
def proposals(status: str | None, voter: str, depositor: str, **opts: Any) -> None:
    """List proposals."""
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2

    req = query_pb2.QueryProposalsRequest(voter=voter, depositor=depositor, pagination=_page(opts))
    req.proposal_status = PROPOSAL_STATUSES[status] if status else cast(Any, 0)
    run(opts, _GOV + "Proposals", req, query_pb2.QueryProposalsResponse)


@gov.command("proposal")
@click.argument("proposal_id", type=click.IntRange(min=0))
@query_options
def proposal(proposal_id: int, **opts: Any) -> None:
    """Show proposal PROPOSAL_ID."""
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2

    run(opts, _GOV + "Proposal", query_pb2.QueryProposalRequest(proposal_id=proposal_id),
        query_pb2.QueryProposalResponse)


@gov.command("votes")
@click.argument("proposal_id", type=click.IntRange(min=0))
@page_options
def votes(proposal_id: int, **opts: Any) -> None:
    """List the votes on PROPOSAL_ID."""
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2

    run(opts, _GOV + "Votes", query_pb2.QueryVotesRequest(proposal_id=proposal_id, pagination=_page(opts)),
        query_pb2.QueryVotesResponse)


@gov.command("vote")
@click.argument("proposal_id", type=click.IntRange(min=0))
@click.argument("voter")
@query_options
def vote(proposal_id: int, voter: str, **opts: Any) -> None:
    """Show VOTER's vote on PROPOSAL_ID."""
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2

    run(opts, _GOV + "Vote", query_pb2.QueryVoteRequest(proposal_id=proposal_id, voter=voter),
        query_pb2.QueryVoteResponse)


@gov.command("deposits")
@click.argument("proposal_id", type=click.IntRange(min=0))
@page_options
def deposits(proposal_id: int, **opts: Any) -> None:
    """List the deposits on PROPOSAL_ID."""
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2

    run(opts, _GOV + "Deposits", query_pb2.QueryDepositsRequest(proposal_id=proposal_id, pagination=_page(opts)),
        query_pb2.QueryDepositsResponse)


@gov.command("deposit")
@click.argument("proposal_id", type=click.IntRange(min=0))
@click.argument("depositor")
@query_options
def deposit(proposal_id: int, depositor: str, **opts: Any) -> None:
    """Show DEPOSITOR's deposit on PROPOSAL_ID."""
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2

    run(opts, _GOV + "Deposit", query_pb2.QueryDepositRequest(proposal_id=proposal_id, depositor=depositor),
        query_pb2.QueryDepositResponse)


@gov.command("tally")
@click.argument("proposal_id", type=click.IntRange(min=0))
@query_options
def tally(proposal_id: int, **opts: Any) -> None:
    """Show the current tally of PROPOSAL_ID."""
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2

    run(opts, _GOV + "TallyResult", query_pb2.QueryTallyResultRequest(proposal_id=proposal_id),
        query_pb2.QueryTallyResultResponse)


@gov.command("params")
@query_options
def gov_params(**opts: Any) -> None:
    """Show the deposit, voting and tallying params."""
    from panacea.client.chain import ChainClient
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2
    from panacea.types.protojson import to_json

    out: dict[str, Any] = {}
    with ChainClient(opts["node"]) as client:
        for kind, key in (("voting", "voting_params"), ("deposit", "deposit_params"), ("tallying", "tally_params")):
            resp = client.query(_GOV + "Params", query_pb2.QueryParamsRequest(params_type=kind),
                                query_pb2.QueryParamsResponse, opts["height"])
            out[key] = to_json(resp)[key]
    print_json(out)


# --- blocks and txs -----------------------------------------------------------------------------------------
@query.command("tx")
@click.argument("tx_hash")
@_NODE
def tx(tx_hash: str, node: str) -> None:
    """Show the result of the tx with hash TX_HASH (hex)."""
    from panacea.client.chain import ChainClient

    with ChainClient(node) as client:
        found = client.get_tx(tx_hash)
    if found is None:
        raise click.ClickException(f"tx {tx_hash.upper()} not found")
    print_json(found.to_json())


@query.command("block")
@click.argument("height", type=click.IntRange(min=1), required=False)
@_NODE
def block(height: int | None, node: str) -> None:
    """Show the block at HEIGHT (default: latest) as CometBFT JSON."""
    from panacea.client.chain import ChainClient

    with ChainClient(node) as client:
        print_json(client.block(height))


@click.command("status")
@_NODE
def status(node: str) -> None:
    """Show the node's status (CometBFT JSON: node_info, sync_info, validator_info)."""
    from panacea.client.chain import ChainClient

    with ChainClient(node) as client:
        print_json(client.rpc("status"))
