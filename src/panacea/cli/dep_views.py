"""``dep deals``, ``dep oracles``, ``dep balance``: what the chain holds, as tables (or ``--output json``)."""

from __future__ import annotations

from typing import Any

import click

from panacea.cli.common import client_options
from panacea.cli.dep_consumer import deal_json, requirement
from panacea.cli.dep_output import chain_client, emit, fields, output_option, query_options, rate, table

STATUSES = ("active", "inactive", "completed")


@click.command("deals", short_help="List the deals on chain.")
@click.option("--consumer", help="only this consumer's deals (an address, or a key name from the keyring)")
@click.option("--status", type=click.Choice(STATUSES, case_sensitive=False), help="only deals in this status")
@client_options("keyring-backend", "node")
@output_option
def deals(consumer: str | None, status: str | None, **opts: Any) -> None:
    """List the deals on chain: status, data received of the data wanted, budget and price per datum."""
    from panacea.cli.query import _address_or_key
    from panacea.client.dep import status_name

    who = _address_or_key(consumer, {"home": opts["home"], "keyring_backend": opts["keyring_backend"]}) \
        if consumer else None
    with chain_client(opts) as chain:
        listed = [d for d in chain.deals() if (who is None or d.consumer_address == who)
                  and (status is None or status_name(d.status) == status.upper())]
    doc = [deal_json(d) for d in listed]
    rows = [[str(d["deal_id"]), str(d["status"]), f"{d['cur_num_data']}/{d['max_num_data']}",
             f"{d['budget_umed']}umed", f"{d['price_per_data_umed']}umed", str(d["consumer"]), requirement(deal)]
            for d, deal in zip(doc, listed, strict=True)]
    emit(opts, doc, lambda: table(["id", "status", "data", "budget", "price", "consumer", "requires"], rows)
         if rows else click.echo("no deals"))


@click.command("oracles", short_help="List the oracles on chain.")
@query_options
def oracles(**opts: Any) -> None:
    """List the oracles on chain: active (running the chain's unique ID) or not, commission and endpoint."""
    with chain_client(opts) as chain:
        active = chain.oracle_params().unique_id
        records = chain.oracles()
    doc = [{"oracle_address": o.oracle_address, "unique_id": o.unique_id, "active": o.unique_id == active,
            "endpoint": o.endpoint, "commission_rate": rate(o.oracle_commission_rate),
            "commission_max_rate": rate(o.oracle_commission_max_rate),
            "commission_max_change_rate": rate(o.oracle_commission_max_change_rate)} for o in records]
    rows = [[str(o["oracle_address"]), "yes" if o["active"] else "no", str(o["commission_rate"]),
             str(o["endpoint"]) or "-"] for o in doc]
    emit(opts, doc, lambda: table(["address", "active", "commission", "endpoint"], rows)
         if rows else click.echo("no oracles"))


@click.command("balance", short_help="Show an account's balance.")
@click.argument("who", metavar="ADDR|KEY")
@client_options("keyring-backend", "node")
@output_option
def balance(who: str, **opts: Any) -> None:
    """Show the balance of ADDR (an address, or a key name from the keyring)."""
    from panacea.cli.query import _address_or_key

    address = _address_or_key(who, {"home": opts["home"], "keyring_backend": opts["keyring_backend"]})
    with chain_client(opts) as chain:
        coins = chain.all_balances(address) or []
    doc = {"address": address, "balances": [{"denom": c.denom, "amount": c.amount} for c in coins]}
    amounts = [(c.denom, str(c.amount)) for c in coins] or [("umed", "0")]
    emit(opts, doc, lambda: fields([("address", address), *amounts]))
