"""``dep did`` / ``dep vc`` / ``dep vp``: identities and credentials for providers and issuers, over the SDK
(``panacea.client.dep.did``, ``panacea.client.dep.credentials``).

- ``dep did create``: a keyring key's did:panacea, registered on chain (``MsgCreateDID``); ``dep did show``: a DID's
  document from the chain; ``dep did derive``: a key's DIDs (did:panacea and did:key), nothing sent.
- ``dep vc issue``: an issuer signs a credential about a subject (the holder's DID as ``id``).
- ``dep vp make``: a holder presents credentials for a deal's presentation definition.

Keys come from the same keyring as panacead (--home, --keyring-backend). A DID is the key's did:panacea unless
``--did-key`` (its did:key) or ``--did`` (a DID the key controls, optionally with the ``#fragment`` of its method).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from panacea.cli.common import client_options, open_keyring, read_input_file, read_json_file
from panacea.cli.dep_output import (
    chain_client,
    emit,
    gas_price,
    output_option,
    query_options,
    signing_key,
    tx_options,
)

FORMS = click.Choice(["ldp", "jwt"])


def keyring_key(opts: dict[str, Any], name: str) -> Any:
    """The private key NAME (a key name or address) from the keyring of --home / --keyring-backend."""
    return open_keyring(opts["home"], opts["keyring_backend"]).private_key(name)


def signer(key: Any, did: str | None, use_did_key: bool) -> tuple[str, str]:
    """(DID, verification method id) a key signs as: --did (with or without #fragment), --did-key, or its
    did:panacea with method #key1."""
    from panacea.client.dep.credentials import did_key, key_method_id
    from panacea.crypto.did import did_for_key

    if did is not None and use_did_key:
        raise click.ClickException("give --did or --did-key, not both")
    if did is None:
        did = did_key(key.public_key()) if use_did_key else did_for_key(key.public_key())
    if "#" in did:
        return did.split("#", 1)[0], did
    return did, key_method_id(did)


def did_options(f: Any) -> Any:
    f = click.option("--did-key", "use_did_key", is_flag=True,
                     help="sign as the key's did:key (resolved offline) instead of its did:panacea")(f)
    return click.option("--did", metavar="DID[#FRAGMENT]",
                        help="the DID to sign as (one the key controls) [default: the key's did:panacea, method "
                             "#key1]")(f)


def pairs(rows: list[tuple[str, str]]) -> None:
    """``name  value`` lines, the values aligned (plain text: rich would render ``did:key:`` as an emoji)."""
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        click.echo(f"{name.ljust(width)}  {value}")


def write_out(path: str, value: dict[str, Any] | str) -> None:
    text = value if isinstance(value, str) else json.dumps(value, indent=2, ensure_ascii=False)
    try:
        Path(path).write_text(text + "\n", encoding="utf-8")
    except OSError as e:
        raise click.ClickException(f"cannot write {path}: {e.strerror or e}") from None


# --- dep did -----------------------------------------------------------------------------------------------------
@click.group("did", short_help="Create and show did:panacea DIDs.")
def did() -> None:
    """DIDs on chain: register a keyring key's did:panacea, read a DID's document, derive a key's DIDs."""


@did.command("create", short_help="Register a key's did:panacea on chain.")
@click.option("--key", "key_name", metavar="NAME",
              help="the keyring key the DID is for [default: the --from key]")
@click.option("--no-assertion-method", is_flag=True,
              help="list the key for authentication only (holding credentials), not assertionMethod (issuing)")
@tx_options
def create(key_name: str | None, no_assertion_method: bool, **opts: Any) -> None:
    """Register the did:panacea of a keyring key: its DID document (one EcdsaSecp256k1VerificationKey2019 method
    #key1, for authentication and assertionMethod) with the key's ownership proof, sent from --from's account.
    Prints the DID.

    \b
    Example:
      dep did create --from alice"""
    from panacea.client.dep.did import create_did

    sender = signing_key(opts)
    key = keyring_key(opts, key_name) if key_name else sender
    with chain_client(opts) as chain:
        new = create_did(chain.wallet(sender), key, assertion_method=not no_assertion_method,
                         gas_price=gas_price(opts))
    emit(opts, {"did": new, "verification_method": f"{new}#key1"}, lambda: click.echo(new))


@did.command("show", short_help="Show a DID's document from the chain.")
@click.argument("did_text", metavar="DID")
@query_options
def show(did_text: str, **opts: Any) -> None:
    """Show DID's document and sequence as the chain holds them (a deactivated or unknown DID is an error); with
    --output json the document is in the chain's JSON form (as panacead query did get-did prints it)."""
    from panacea.client.dep.did import did_document
    from panacea.crypto.did import METHOD_PREFIX
    from panacea.types.did_json import document_to_json

    if not did_text.startswith(METHOD_PREFIX):
        raise click.ClickException(f"{did_text!r} is not a did:panacea DID")
    with chain_client(opts) as chain:
        found = did_document(chain, did_text)
    doc = found.document

    def text() -> None:
        rows = [("did", doc.id), ("sequence", str(found.sequence))]
        rows += [("method", f"{m.id} {m.type} {m.public_key_base58}") for m in doc.verification_methods]
        for name, relationships in (("authentication", doc.authentications),
                                    ("assertionMethod", doc.assertion_methods)):
            for r in relationships:
                rows.append((name, r.verification_method_id or r.verification_method.id))
        pairs(rows)

    emit(opts, {"did": doc.id, "sequence": found.sequence,
                "document": document_to_json(doc)}, text)


@did.command("derive", short_help="Print a key's DIDs (nothing sent).")
@click.option("--key", "key_name", required=True, metavar="NAME", help="a keyring key name or address")
@output_option
@client_options("keyring-backend")
def derive(key_name: str, **opts: Any) -> None:
    """Print the DIDs of a keyring key: its did:panacea (what dep did create registers) and its did:key."""
    from panacea.client.dep.credentials import did_key
    from panacea.crypto.did import did_for_key

    key = keyring_key(opts, key_name)
    panacea, key_did = did_for_key(key.public_key()), did_key(key.public_key())
    emit(opts, {"did_panacea": panacea, "did_key": key_did},
         lambda: pairs([("did:panacea", panacea), ("did:key", key_did)]))


# --- dep vc ------------------------------------------------------------------------------------------------------
@click.group("vc", short_help="Issue verifiable credentials.")
def vc() -> None:
    """Verifiable credentials: an issuer (a hospital, a lab) signs claims about a subject with its DID's key."""


def read_context(value: str) -> str | dict[str, Any]:
    """A --context: a URL (a bundled context, e.g. https://w3id.org/security/v2), or a JSON FILE holding a context
    object (or a document whose @context is one)."""
    if "://" in value:
        return value
    doc = read_json_file(value)
    if isinstance(doc, dict) and isinstance(doc.get("@context"), dict):
        doc = doc["@context"]
    if not isinstance(doc, dict) or not doc:
        raise click.ClickException(f"{value}: a context file holds a JSON-LD context object, e.g. "
                                   '{"age": "https://example.org/age"}')
    return doc


@vc.command("issue", short_help="Sign a credential about a subject.")
@click.option("--issuer-key", required=True, metavar="NAME", help="the issuer's keyring key")
@click.option("--subject", "subject_file", required=True, metavar="FILE",
              help="the credentialSubject (JSON object): the claims, and the holder's DID as id (or --holder)")
@click.option("--holder", metavar="DID", help="the holder's DID, written as the subject's id")
@click.option("--type", "types", required=True, multiple=True, metavar="TYPE",
              help="the credential type after VerifiableCredential, e.g. HealthCredential (repeatable)")
@click.option("--context", "contexts", multiple=True, metavar="URL|FILE",
              help="a JSON-LD context after credentials/v1 that defines the type and the claims: a bundled URL or "
                   "a FILE with a context object (repeatable)")
@did_options
@click.option("--form", type=FORMS, default="ldp", show_default=True,
              help="ldp: JSON with a Data Integrity proof; jwt: a VC-JWT")
@click.option("--issued", metavar="DATETIME", help="issuanceDate, e.g. 2025-01-01T00:00:00Z [default: now]")
@click.option("--expires", metavar="DATETIME", help="expirationDate, e.g. 2030-01-01T00:00:00Z [default: none]")
@click.option("--id", "credential_id", metavar="URI", help="the credential's id, e.g. urn:uuid:…")
@click.option("--out", required=True, metavar="FILE", help="where the credential is written")
@output_option
@client_options("keyring-backend")
def issue(issuer_key: str, subject_file: str, holder: str | None, types: tuple[str, ...], contexts: tuple[str, ...],
          did: str | None, use_did_key: bool, form: str, issued: str | None, expires: str | None,
          credential_id: str | None, out: str, **opts: Any) -> None:
    """Issue a credential: the claims of --subject, signed by --issuer-key as its DID (assertionMethod), written to
    --out. Every claim must be defined by a --context (an undefined term would go unsigned: refused).

    \b
    Example:
      dep vc issue --issuer-key hospital --holder did:panacea:… --subject claims.json \\
        --type HealthCredential --context health-context.json --expires 2030-01-01T00:00:00Z --out vc.json"""
    from datetime import UTC, datetime

    from panacea.client.dep.credentials import issue_credential

    subject = read_json_file(subject_file)
    if not isinstance(subject, dict) or not subject:
        raise click.ClickException(f"{subject_file}: the subject is a JSON object, e.g. "
                                   '{"id": "did:panacea:…", "age": 30}')
    if holder is not None:
        if subject.get("id", holder) != holder:
            raise click.ClickException(f"{subject_file} names the subject {subject['id']}, not --holder {holder}")
        subject = {"id": holder, **subject}
    context = [read_context(c) for c in contexts]
    key = keyring_key(opts, issuer_key)
    issuer, method = signer(key, did, use_did_key)
    credential = issue_credential(subject, issuer, method, key, types=list(types), context=context,
                                  issuance_date=issued or datetime.now(UTC).replace(microsecond=0),
                                  expiration_date=expires, credential_id=credential_id,
                                  form="jwt" if form == "jwt" else "ldp")
    write_out(out, credential)
    subject_id = subject.get("id")
    emit(opts, {"file": out, "issuer": issuer, "verification_method": method, "subject": subject_id, "form": form},
         lambda: click.echo(f"issued {', '.join(types)} to {subject_id or '(no subject id)'} by {issuer} ({form}): "
                            f"{out}"))


# --- dep vp ------------------------------------------------------------------------------------------------------
@click.group("vp", short_help="Make verifiable presentations.")
def vp() -> None:
    """Verifiable presentations: a holder signs its credentials into the presentation a deal asks for."""


def read_credentials(files: tuple[str, ...]) -> list[dict[str, Any] | str]:
    """Credential files (JSON or VC-JWT), each error naming its file."""
    from panacea.client.dep.credentials import CredentialError, load_credential

    out = []
    for file in files:
        try:
            out.append(load_credential(read_input_file(file), file))
        except CredentialError as e:
            raise click.ClickException(e.message) from None
    return out


def deal_definition(opts: dict[str, Any], deal_id: int) -> bytes:
    """Deal DEAL's presentation definition from the chain (a schema deal is an error)."""
    from panacea.client.dep.common import read_deal

    with chain_client(opts) as chain:
        deal = chain.run_plan(read_deal(chain, deal_id))
    if not deal.presentation_definition:
        raise click.ClickException(f"deal {deal_id} has no presentation definition (it takes data matching "
                                   f"{', '.join(deal.data_schema) or 'a schema'})")
    return bytes(deal.presentation_definition)


@vp.command("make", short_help="Present credentials for a deal.")
@click.option("--holder-key", required=True, metavar="NAME", help="the holder's keyring key (the subject's DID)")
@click.option("--credential", "credential_files", required=True, multiple=True, metavar="FILE",
              help="a credential (JSON or VC-JWT) to present (repeatable)")
@click.option("--deal", "deal_id", type=int, metavar="ID", help="answer this deal's presentation definition")
@click.option("--definition", "definition_file", metavar="FILE",
              help="answer this presentation definition (JSON) instead of a deal's")
@did_options
@click.option("--form", type=FORMS, default="ldp", show_default=True,
              help="ldp: JSON with a Data Integrity proof (what dep provider provide sends); jwt: a VP-JWT")
@click.option("--challenge", help="a challenge to sign into the proof")
@click.option("--domain", help="a domain to sign into the proof")
@click.option("--out", required=True, metavar="FILE", help="where the presentation is written")
@output_option
@client_options("keyring-backend", "node")
def make(holder_key: str, credential_files: tuple[str, ...], deal_id: int | None, definition_file: str | None,
         did: str | None, use_did_key: bool, form: str, challenge: str | None, domain: str | None, out: str,
         **opts: Any) -> None:
    """Make a presentation of the --credential files, signed by --holder-key as its DID (authentication), with the
    presentation_submission for --deal's (or --definition's) presentation definition; written to --out.

    \b
    Example:
      dep vp make --holder-key alice --credential alice-vc.json --deal 1 --out alice-vp.json
      dep provider provide 1 alice-vp.json --from alice"""
    from panacea.client.dep.credentials import make_presentation

    if deal_id is not None and definition_file is not None:
        raise click.ClickException("give --deal or --definition, not both")
    credentials = read_credentials(credential_files)
    definition: bytes | None = None
    if definition_file is not None:
        if not isinstance(read_json_file(definition_file), dict):
            raise click.ClickException(f"{definition_file}: a presentation definition is a JSON object")
        definition = read_input_file(definition_file)
    key = keyring_key(opts, holder_key)
    holder, method = signer(key, did, use_did_key)
    if deal_id is not None:
        definition = deal_definition(opts, deal_id)
    presentation = make_presentation(credentials, holder, method, key, definition=definition,
                                     form="jwt" if form == "jwt" else "ldp", challenge=challenge, domain=domain)
    write_out(out, presentation)
    emit(opts, {"file": out, "holder": holder, "verification_method": method, "credentials": len(credentials),
                "form": form},
         lambda: click.echo(f"presented {len(credentials)} credential(s) as {holder} ({form}): {out}"))
