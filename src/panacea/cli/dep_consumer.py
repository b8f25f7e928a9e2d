"""``dep consumer …``: a data consumer's commands over the SDK (``panacea.client.dep.Consumer``) — create a deal,
watch it, fetch what was delivered (decrypted, every data hash verified, resumable) and deactivate it.

A deal's schemas are URIs (the chain stores URIs, oracles resolve them): ``--schema`` takes a URI, or a JSON
Schema FILE whose ``$id`` is its http(s) URI — the deal records that ``$id``. A ``file://`` URI or a bare path is
never recorded: no oracle reads files named by a deal (docs/decisions.md).
"""

from __future__ import annotations

import json
import os
from typing import Any

import click

from panacea.cli.common import read_input_file, read_json_file
from panacea.cli.dep_output import (
    chain_client,
    emit,
    fields,
    gas_price,
    key_options,
    parse_amount,
    progress,
    query_options,
    signing_key,
    table,
    tx_options,
    umed,
)


@click.group("consumer", short_help="Create deals, watch them, fetch the data.")
def consumer() -> None:
    """A data consumer's side of DEP: create a deal, watch it fill, fetch and decrypt what was delivered."""


# --- create-deal -------------------------------------------------------------------------------------------------
class _TermsCommand(click.Command):
    """Reads which ``--term`` each ``--required`` follows (click keeps each option's values, not their order)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _opts, _rest, order = self.make_parser(ctx).parse_args(args=list(args))
        required: list[bool] = []
        for param in order:
            if param.name == "terms":
                required.append(False)
            elif param.name == "required_flags":
                if not required:
                    raise click.UsageError("--required marks the --term before it: give the --term first", ctx)
                required[-1] = True
        ctx.meta["dep.required_terms"] = required
        return super().parse_args(ctx, args)


def schema_uri(value: str) -> str:
    """A --schema value as the URI the deal records (see the module docstring)."""
    if value.startswith("file://"):
        raise click.ClickException(f"--schema {value}: oracles do not read file:// schemas; publish the schema at an "
                                   f"https URI (or register it: oracled schema add URI FILE) and give that URI, or "
                                   f"the file with that URI as its $id")
    if not os.path.isfile(value):
        if "://" in value or value.startswith("urn:"):
            return value
        raise click.ClickException(f"--schema {value}: no such file, and not a URI (https://…)")
    import jsonschema_rs

    doc = read_json_file(value)
    uri = doc.get("$id") if isinstance(doc, dict) else None
    if not isinstance(uri, str) or not uri.startswith(("https://", "http://")):
        raise click.ClickException(f"--schema {value}: a schema file needs its http(s) URI as \"$id\" (the deal "
                                   f"records the URI; oracles resolve it)")
    try:
        jsonschema_rs.validator_for(doc)
    except (jsonschema_rs.ValidationError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else "invalid schema"
        raise click.ClickException(f"--schema {value}: not a usable JSON Schema: {first}") from None
    return uri


def _presentation_definition(path: str) -> bytes:
    raw = read_input_file(path)
    if not isinstance(read_json_file(path), dict):
        raise click.ClickException(f"{path}: a presentation definition is a JSON object")
    return raw


@consumer.command("create-deal", cls=_TermsCommand, short_help="Create a deal (escrows its budget).")
@click.option("--schema", "schemas", multiple=True, metavar="URI|FILE",
              help="a JSON Schema the data must satisfy: its URI, or a schema FILE whose $id is its http(s) URI "
                   "(repeatable)")
@click.option("--presentation-definition", "pd_file", metavar="FILE",
              help="a DIF presentation definition (JSON) the data (a verifiable presentation) must satisfy")
@click.option("--budget", required=True, metavar="AMOUNT",
              help="what the deal pays in all, escrowed now: 10000umed, 10000 or 0.01med")
@click.option("--max-data", required=True, type=int, metavar="N",
              help="how many data the deal takes (price = budget / max-data)")
@click.option("--term", "terms", multiple=True, metavar="'TITLE[: DESCRIPTION]'",
              help="an agreement term providers answer (repeatable, numbered 1, 2, … in order)")
@click.option("--required", "required_flags", count=True, help="marks the --term before it as required")
@click.option("--endpoint", required=True, metavar="URL",
              help="URL of your consumer service, where oracles deliver the data")
@tx_options
def create_deal(schemas: tuple[str, ...], pd_file: str | None, budget: str, max_data: int, terms: tuple[str, ...],
                required_flags: int, endpoint: str, **opts: Any) -> None:
    """Create a deal: data satisfying --schema (or --presentation-definition), --max-data of them, --budget in all.

    \b
    Example:
      dep consumer create-deal --schema https://example.org/person.json \\
        --budget 1000000umed --max-data 10 --term "share: my record, for research" --required \\
        --endpoint https://storage.example.org --from alice"""
    from panacea.client.dep import Consumer, Term

    required = click.get_current_context().meta.get("dep.required_terms", [False] * len(terms))
    deal_terms = [Term.from_text(text, flag) for text, flag in zip(terms, required, strict=True)]
    uris = [schema_uri(s) for s in schemas]
    pd = _presentation_definition(pd_file) if pd_file else None
    amount = parse_amount(budget, "--budget")
    key = signing_key(opts)
    with chain_client(opts) as chain, Consumer(chain, key, gas_price=gas_price(opts)) as c:
        deal_id = c.create_deal(schema=uris, presentation_definition=pd, budget=amount, max_data=max_data,
                                terms=deal_terms, endpoint=endpoint)
    emit(opts, {"deal_id": deal_id}, lambda: click.echo(f"created deal {deal_id}"))


# --- status --------------------------------------------------------------------------------------------------------
def deal_json(deal: Any) -> dict[str, object]:
    """A deal as ``dep`` prints it in JSON (shared with ``dep deals``)."""
    from panacea.client.dep import price_per_data, status_name

    budget = int(deal.budget.amount or "0")
    pd = json.loads(deal.presentation_definition) if deal.presentation_definition else None
    return {"deal_id": deal.id, "status": status_name(deal.status), "cur_num_data": deal.cur_num_data,
            "max_num_data": deal.max_num_data, "budget_umed": budget,
            "price_per_data_umed": price_per_data(budget, deal.max_num_data), "consumer": deal.consumer_address,
            "data_schema": list(deal.data_schema), "presentation_definition": pd,
            "agreement_terms": [{"id": t.id, "title": t.title, "description": t.description, "required": t.required}
                                for t in deal.agreement_terms],
            "consumer_service_endpoint": deal.consumer_service_endpoint}


def requirement(deal: Any) -> str:
    return ", ".join(deal.data_schema) if deal.data_schema else "a presentation definition"


def _status_text(deal: Any, p: Any) -> None:
    terms = ", ".join(f"{t.id} {t.title}{' (required)' if t.required else ''}" for t in deal.agreement_terms)
    fields([("deal", f"{p.deal_id} {p.status}"), ("data", f"{p.cur_num_data} of {p.max_num_data}"),
            ("budget", f"{umed(p.budget)} ({umed(p.price_per_data)} per datum)"),
            ("escrow", f"{umed(p.escrow_balance)} left"), ("consumer", p.consumer), ("requires", requirement(deal)),
            ("terms", terms or "none"), ("storage", deal.consumer_service_endpoint),
            ("consents", str(len(p.consents)))])
    if p.consents:
        click.echo("")
        table(["data hash", "provider", "oracle"], [[c.data_hash, c.provider, c.oracle] for c in p.consents])


@consumer.command("status", short_help="Show a deal's progress.")
@click.argument("deal_id", type=int, metavar="DEAL")
@query_options
def status(deal_id: int, **opts: Any) -> None:
    """Show deal DEAL: its status, data received of the data wanted, escrow left, and its consents."""
    from panacea.client.dep.consumer import read_progress

    with chain_client(opts) as chain:
        p = chain.run_plan(read_progress(chain, deal_id))
        deal = chain.deal(deal_id)
    doc = {**deal_json(deal), "escrow_umed": p.escrow_balance,
           "consents": [{"data_hash": c.data_hash, "provider": c.provider, "oracle": c.oracle} for c in p.consents]}
    emit(opts, doc, lambda: _status_text(deal, p))


# --- fetch ---------------------------------------------------------------------------------------------------------
@consumer.command("fetch", short_help="Fetch, decrypt and verify delivered data.")
@click.argument("deal_id", type=int, metavar="DEAL")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), help="directory for the data")
@click.option("--no-resume", is_flag=True, help="fetch everything again, even files already there and verified")
@click.option("--storage", help="consumer service URL [default: the deal's endpoint]")
@click.option("--oracle", help="oracle address or URL to ask for the secret keys [default: each consent's oracle]")
@key_options
def fetch(deal_id: int, out_dir: str, no_resume: bool, storage: str | None, oracle: str | None, **opts: Any) -> None:
    """Fetch every datum delivered to deal DEAL into --out as <data hash>.json: decrypted, its hash verified.

    Resumable: a file already in --out that hashes to its name is kept, not fetched again."""
    from panacea.client.dep import Consumer

    key = signing_key(opts)
    with chain_client(opts) as chain, Consumer(chain, key, storage=storage, oracle=oracle) as c:
        total = len(c.delivered(deal_id))
        with progress("fetch", total) as advance:
            items = c.fetch_all(deal_id, out_dir, resume=not no_resume,
                                progress=lambda _d, _t, item: advance(f"{item.data_hash} "
                                                                      f"{'fetched' if item.fetched else 'kept'}"))
    fetched = [i.data_hash for i in items if i.fetched]
    kept = [i.data_hash for i in items if not i.fetched]

    def text() -> None:
        if items:
            table(["data hash", "file", ""], [[i.data_hash, str(i.path), "fetched" if i.fetched else "kept"]
                                              for i in items])
        click.echo(f"{len(items)} data in {out_dir}: {len(fetched)} fetched, {len(kept)} already there")

    emit(opts, {"deal_id": deal_id, "out_dir": out_dir, "fetched": fetched, "kept": kept}, text)


# --- deactivate ----------------------------------------------------------------------------------------------------
@consumer.command("deactivate", short_help="Deactivate a deal and refund it.")
@click.argument("deal_id", type=int, metavar="DEAL")
@tx_options
def deactivate(deal_id: int, **opts: Any) -> None:
    """Deactivate deal DEAL (it takes no more data) and refund what is left of its budget to you."""
    from panacea.client.dep import Consumer

    key = signing_key(opts)
    with chain_client(opts) as chain, Consumer(chain, key, gas_price=gas_price(opts)) as c:
        refund = c.deactivate(deal_id)
    emit(opts, {"deal_id": deal_id, "refund_umed": refund},
         lambda: click.echo(f"deactivated deal {deal_id}: {umed(refund)} refunded to {key.bech32()}"))
