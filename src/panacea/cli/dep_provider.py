"""``dep provider provide``: one command per data file for DEP steps 2–4 over the SDK
(``panacea.client.dep.Provider``) — encrypt for the oracle key, validate at an oracle, check the certificate
against the chain's oracle key, submit the consent — and print what the chain paid. A presentation-definition deal
takes a VP file, or credentials the VP is made from on the fly (``--credential``)."""

from __future__ import annotations

from typing import Any

import click

from panacea.cli.common import read_input_file
from panacea.cli.dep_did import did_options, keyring_key, read_credentials, signer
from panacea.cli.dep_output import chain_client, emit, gas_price, progress, signing_key, table, tx_options, umed


@click.group("provider", short_help="Provide data to deals and get paid.")
def provider() -> None:
    """A data provider's side of DEP: provide data to a deal, one consent per datum, paid by the chain."""


def parse_agree(text: str | None) -> list[int] | None:
    """``1,2`` → [1, 2]; ``none`` → [] (agree to no term); unset → None (the deal's required terms)."""
    if text is None:
        return None
    if text.strip().lower() == "none":
        return []
    try:
        ids = [int(part) for part in text.split(",")]
    except ValueError:
        raise click.ClickException(f"invalid --agree {text!r}: term ids separated by commas, e.g. 1,2 (or none)"
                                   ) from None
    if any(i < 0 for i in ids):
        raise click.ClickException(f"invalid --agree {text!r}: term ids are not negative")
    return ids


def _result_json(file: str, r: Any) -> dict[str, object]:
    return {"file": file, "data_hash": r.data_hash, "oracle": r.oracle_address, "txhash": r.tx_hash,
            "height": r.height, "reward_umed": r.reward, "commission_umed": r.commission, "fee_umed": r.fee}


def _report(opts: dict[str, Any], deal_id: int, done: list[tuple[str, Any]]) -> None:
    reward, commission, fee = (sum(getattr(r, a) for _, r in done) for a in ("reward", "commission", "fee"))

    def text() -> None:
        if done:
            table(["file", "data hash", "reward", "commission", "tx"],
                  [[f, r.data_hash, umed(r.reward), umed(r.commission), r.tx_hash] for f, r in done])
        click.echo(f"reward {umed(reward)} for {len(done)} data in deal {deal_id} (oracle commission "
                   f"{umed(commission)}, fees {umed(fee)})")

    emit(opts, {"deal_id": deal_id, "provided": [_result_json(f, r) for f, r in done], "reward_umed": reward,
                "commission_umed": commission, "fee_umed": fee}, text)


@provider.command("provide", short_help="Provide data files to a deal.")
@click.argument("deal_id", type=int, metavar="DEAL")
@click.argument("files", nargs=-1, metavar="FILE...")
@click.option("--agree", help="term ids you agree to, e.g. 1,2 (or none) [default: the deal's required terms]")
@click.option("--oracle", help="oracle address or URL [default: an active oracle on chain, at its endpoint]")
@click.option("--credential", "credential_files", multiple=True, metavar="VC_FILE",
              help="for a presentation-definition deal: a credential (JSON or VC-JWT) to present in a VP made now "
                   "for the deal's definition (repeatable; instead of FILE)")
@click.option("--holder-key", metavar="NAME", help="the key that signs that VP [default: the --from key]")
@did_options
@tx_options
def provide(deal_id: int, files: tuple[str, ...], agree: str | None, oracle: str | None,
            credential_files: tuple[str, ...], holder_key: str | None, did: str | None, use_did_key: bool,
            **opts: Any) -> None:
    """Provide each FILE to deal DEAL: encrypt → validate → check the certificate → consent.

    A FILE is a JSON document for a schema deal, and a verifiable presentation (JSON with a Data Integrity proof,
    from dep vp make) for a presentation-definition deal. Or give --credential files instead: the VP is made now,
    for the deal's definition, signed by --holder-key as its DID. The files go one by one, in order; on a failure
    the ones done are reported and the command stops (exit 1).

    \b
    Example:
      dep provider provide 1 alice-vp.json --agree 1,2 --from alice
      dep provider provide 1 --credential alice-vc.json --from alice"""
    from panacea.client.dep import DepError, Provider

    agreed = parse_agree(agree)
    if files and credential_files:
        raise click.ClickException("give FILE... (data or presentations) or --credential, not both")
    if not files and not credential_files:
        raise click.ClickException("nothing to provide: give FILE... or --credential VC_FILE")
    if not credential_files and (holder_key or did or use_did_key):
        raise click.ClickException("--holder-key, --did and --did-key go with --credential")
    data = [(f, read_input_file(f)) for f in files]
    key = signing_key(opts)
    if credential_files:
        holder = keyring_key(opts, holder_key) if holder_key else key
        holder_did, method = signer(holder, did, use_did_key)
        credentials = read_credentials(credential_files)
        with chain_client(opts) as chain, Provider(chain, key, gas_price=gas_price(opts)) as p:
            result = p.provide_credentials(deal_id, credentials, holder_key=holder, holder_did=holder_did,
                                           method_id=method, agree=agreed, oracle=oracle)
        _report(opts, deal_id, [(", ".join(credential_files), result)])
        return
    done: list[tuple[str, Any]] = []
    failure: str | None = None
    with chain_client(opts) as chain, Provider(chain, key, gas_price=gas_price(opts)) as p, \
            progress("provide", len(data)) as advance:
        for file, raw in data:
            try:
                done.append((file, p.provide(deal_id, raw, agree=agreed, oracle=oracle)))
            except DepError as e:
                failure = f"{file}: {e}"
                break
            advance(f"{file} {umed(done[-1][1].reward)}")
    if done or failure is None:
        _report(opts, deal_id, done)
    if failure is not None:
        raise click.ClickException(failure.strip().splitlines()[0])
