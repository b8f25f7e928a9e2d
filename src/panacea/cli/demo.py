"""``dep demo``: the five steps of the DEP on a devnet, printed as they happen (issue 13 item 4).

A consumer posts a deal for health records (the JSON Schema of :mod:`panacea.demo`), three providers each provide
a record and are paid, a fourth record that violates the schema is rejected by the oracle (and nobody is paid for
it), the deal completes, and the consumer fetches, decrypts and verifies everything it paid for. The payout table
at the end is read from the chain: balances before and after, to the umed.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from panacea.cli.devnet import Devnet, DevnetHome, Manifest, create, demo_key_hex
from panacea.client import ChainClient, ChainClientError
from panacea.client.dep import Consumer, DepError, Provider, Term
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey
from panacea.demo import RECORDS_DIR, SCHEMA_FILE

BUDGET = 3_500_000  # umed for 3 records: 1,166,666 each; what is left in the escrow is refunded when it completes
RECORDS = (("provider1", "alice.json"), ("provider2", "invalid-dave.json"), ("provider2", "bob.json"),
           ("provider3", "carol.json"))
TERMS = (Term("research use", "the record is used for cardiovascular research only", required=True),
         Term("newsletter", "the consumer may send a yearly study newsletter", required=False))


def _med(umed: int) -> str:
    sign = "-" if umed < 0 else ""
    whole, frac = divmod(abs(umed), 1_000_000)
    return f"{sign}{whole:,}.{frac:06d} MED"


@dataclass
class DemoResult:
    """What the demo did, for its summary and for tests."""

    deal_id: int
    rewards: dict[str, int]  # provider name → umed received
    commission: int
    rejected: str  # the oracle's message for the invalid record
    fetched: list[dict[str, Any]]
    balances_before: dict[str, int]
    balances_after: dict[str, int]
    seconds: float


@contextmanager
def _devnet(target: str | None, console: Console) -> Iterator[Manifest]:
    """A running devnet: the one at ``target`` (a devnet home), else a new temporary one stopped at exit."""
    if target is not None:
        home = DevnetHome(target)
        manifest = home.manifest()
        if manifest is None:
            raise click.ClickException(f"{home.root} holds no devnet (start one with: dep devnet --home {target})")
        try:
            with ChainClient(manifest.rpc, timeout=3) as chain:
                chain.status()
        except ChainClientError:
            raise click.ClickException(f"the devnet in {home.root} is not running (dep devnet --home {target})"
                                       ) from None
        yield manifest
        return
    with tempfile.TemporaryDirectory(prefix="panacea-demo-") as tmp:
        home = DevnetHome(tmp)
        manifest = create(home, log=lambda line: console.print(f"  [dim]{line}[/dim]"))
        net = Devnet(home, manifest, log=lambda line: console.print(f"  [dim]{line}[/dim]"))
        net.start()
        try:
            yield manifest
        finally:
            console.print("  [dim]stopping the devnet[/dim]")
            net.stop()


def run_demo(devnet: str | None = None, *, console: Console | None = None, presentation: bool = False,
             did_key: bool = False) -> DemoResult:
    """The whole demo (with ``presentation``: the credentials demo, did:key identities with ``did_key``); raises
    ClickException with the step that failed."""
    out = console or Console(highlight=False, soft_wrap=True, emoji=False)  # did:key: is no emoji
    t0 = time.monotonic()
    out.rule("[bold]Panacea Data Exchange Protocol — " + ("credentials demo" if presentation else "demo"))
    out.print("Starting a devnet: a chain node, the genesis oracle and a consumer service, on loopback."
              if devnet is None else f"Using the devnet in {devnet}.")
    with ExitStack() as stack:
        m = stack.enter_context(_devnet(devnet, out))
        keys = {name: PrivateKey.from_hex(demo_key_hex(name)) for name in m.accounts}
        chain = stack.enter_context(ChainClient(m.rpc))
        step = _Steps(out)
        try:
            if presentation:
                return _presentation_flow(out, step, chain, m, keys, t0, did_key)
            return _flow(out, step, chain, m, keys, t0)
        except DepError as e:
            raise click.ClickException(f"the demo failed at {e}") from None


class _Steps:
    def __init__(self, console: Console) -> None:
        self.console = console
        self.n = 0

    def __call__(self, title: str) -> None:
        self.n += 1
        self.console.print()
        self.console.rule(f"[bold cyan]Step {self.n}. {title}", align="left")


def _flow(out: Console, step: Callable[[str], None], chain: ChainClient, m: Manifest, keys: dict[str, PrivateKey],
          t0: float) -> DemoResult:
    watched = ["consumer", "provider1", "provider2", "provider3", "oracle"]
    before = {name: chain.balance(m.accounts[name]) for name in watched}
    schema_uri = json.loads(SCHEMA_FILE.read_text())["$id"]
    valid = sum(1 for _, f in RECORDS if not f.startswith("invalid"))
    budget = BUDGET

    step("Deal registration: the consumer posts a deal")
    consumer = Consumer(chain, keys["consumer"])
    deal_id = consumer.create_deal(schema=[schema_uri], budget=budget, max_data=valid, terms=list(TERMS),
                                   endpoint=m.consumer_url)
    progress = consumer.progress(deal_id)
    out.print(f"deal [bold]{deal_id}[/bold]: up to {valid} records matching {schema_uri}")
    out.print(f"budget {_med(budget)} escrowed in the deal account ({_med(progress.escrow_balance)}), "
              f"{_med(progress.price_per_data)} per record; data delivered to {m.consumer_url}")
    for i, term in enumerate(TERMS, 1):
        out.print(f"  term {i}: {term.title} — {term.description}{' (required)' if term.required else ''}")

    step("Data validation: providers send encrypted records to the oracle")
    out.print("each record is encrypted for the oracle's key; inside its enclave the oracle decrypts it, checks it "
              "against the schema, re-encrypts it for the consumer, stores it in the consumer service and signs a "
              "certificate")
    results: dict[str, Any] = {}
    rejected = ""
    for provider_name, file in RECORDS:
        raw = (RECORDS_DIR / file).read_bytes()
        provider = Provider(chain, keys[provider_name])
        label = f"{provider_name} · {file}"
        try:
            res = provider.provide(deal_id, raw, agree=[1, 2])
        except DepError as e:
            rejected = e.message
            out.print(f"[red]✗[/red] {label}: rejected at [bold]{e.step}[/bold]: {e.message}")
            continue
        results[file] = (provider_name, res)
        out.print(f"[green]✓[/green] {label}: data hash {res.data_hash[:16]}…, certificate by {res.oracle_address}")

    step("Consent submission: each provider submits its certificate")
    for file, (provider_name, res) in results.items():
        out.print(f"{provider_name}: consent for {file} in tx {res.tx_hash[:16]}… at height {res.height}, "
                  "terms 1 and 2 agreed")

    step("Incentive distribution: the chain pays from the escrow")
    rewards: dict[str, int] = {}
    commission = 0
    for file, (provider_name, res) in results.items():
        rewards[provider_name] = rewards.get(provider_name, 0) + res.reward
        commission += res.commission
        out.print(f"{provider_name}: {_med(res.reward)} for {file}; oracle commission {_med(res.commission)}")
    final = consumer.progress(deal_id)
    out.print(f"deal {deal_id} is [bold]{final.status}[/bold] with {final.cur_num_data}/{final.max_num_data} "
              f"records; escrow left {_med(final.escrow_balance)}")

    step("Data delivery: the consumer fetches, decrypts, verifies")
    with tempfile.TemporaryDirectory(prefix="panacea-demo-data-") as tmp:
        fetched = consumer.fetch_all(deal_id, tmp)
    records = []
    for item in fetched:
        doc = json.loads(item.plaintext)
        assert data_hash(item.plaintext) == item.data_hash
        records.append(doc)
        out.print(f"[green]✓[/green] {item.data_hash[:16]}… decrypted, hash verified: {json.dumps(doc)}")

    after = {name: chain.balance(m.accounts[name]) for name in watched}
    _payout_table(out, m, before, after, budget, rewards, commission)
    seconds = time.monotonic() - t0
    out.print(f"\ndone in {seconds:.1f} s")
    return DemoResult(deal_id, rewards, commission, rejected, records, before, after, seconds)


def _payout_table(out: Console, m: Manifest, before: dict[str, int], after: dict[str, int], budget: int,
                  rewards: dict[str, int], commission: int) -> None:
    out.print()
    table = Table(title="Payouts (balances from the chain, in umed)", title_justify="left")
    for col in ("account", "before", "after", "change"):
        table.add_column(col, justify="left" if col == "account" else "right", no_wrap=True)
    for name in before:
        table.add_row(name, f"{before[name]:,}", f"{after[name]:,}", f"{after[name] - before[name]:+,}")
    out.print(table)
    spent = before["consumer"] - after["consumer"]
    out.print(f"consumer: budget {_med(budget)}, spent {_med(spent)} (refunded {_med(budget - spent)}); providers "
              f"received {_med(sum(rewards.values()))}, the oracle {_med(commission)}")


# --- dep demo --presentation ---------------------------------------------------------------------------------------
VP_BUDGET = 2_000_000  # umed for 2 presentations
HOSPITAL = "provider3"  # the devnet account that plays the hospital (the credentials' issuer)
HOLDERS = (("provider1", {"age": 34, "country": "KR"}), ("provider2", {"age": 41, "country": "US"}))
VP_TERMS = (Term("research use", "the presentation is used for cardiovascular research only", required=True),)


@dataclass(frozen=True)
class _Identity:
    name: str
    key: PrivateKey
    did: str
    method: str


def _identities(out: Console, chain: ChainClient, keys: dict[str, PrivateKey], did_key: bool) -> dict[str, _Identity]:
    from panacea.client.dep.credentials import did_key as key_did
    from panacea.client.dep.credentials import key_method_id
    from panacea.client.dep.did import create_did, did_document
    from panacea.crypto.did import did_for_key

    found: dict[str, _Identity] = {}
    for name in (HOSPITAL, *(holder for holder, _ in HOLDERS)):
        key = keys[name]
        label = "hospital" if name == HOSPITAL else name
        if did_key:
            did = key_did(key.public_key())
            out.print(f"{label}: {did} (did:key: the DID is the key, nothing on chain)")
        else:
            did = did_for_key(key.public_key())
            try:
                did_document(chain, did)
            except DepError:  # not registered yet (a rerun on a kept devnet finds it)
                did = create_did(chain.wallet(key), key)
                out.print(f"{label}: registered {did} (MsgCreateDID: its key as #key1, with the ownership proof)")
            else:
                out.print(f"{label}: {did} is registered already")
        found[label] = _Identity(label, key, did, key_method_id(did))
    return found


def _presentation_flow(out: Console, step: Callable[[str], None], chain: ChainClient, m: Manifest,
                       keys: dict[str, PrivateKey], t0: float, did_key: bool) -> DemoResult:
    from datetime import UTC, datetime, timedelta

    from panacea.client.dep.credentials import issue_credential
    from panacea.demo import CREDENTIAL_CONTEXT_FILE, DEFINITION_FILE

    watched = {"consumer": "consumer", "provider1": "provider1", "provider2": "provider2",
               f"hospital ({HOSPITAL})": HOSPITAL, "oracle": "oracle"}  # label → devnet account
    before = {label: chain.balance(m.accounts[name]) for label, name in watched.items()}

    step("Identities: the hospital and the providers get DIDs")
    ids = _identities(out, chain, keys, did_key)
    hospital = ids["hospital"]

    step("Credentials: the hospital issues health credentials")
    context = json.loads(CREDENTIAL_CONTEXT_FILE.read_text())
    issued = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    credentials: dict[str, dict[str, Any]] = {}
    for name, claims in HOLDERS:
        vc = issue_credential({"id": ids[name].did, **claims}, hospital.did, hospital.method, hospital.key,
                              types=["HealthCredential"], context=[context], issuance_date=issued,
                              expiration_date=issued + timedelta(days=365), credential_id=f"urn:panacea:demo:{name}")
        assert isinstance(vc, dict)
        credentials[name] = vc
        out.print(f"[green]✓[/green] HealthCredential for {name} ({json.dumps(claims)}), signed by {hospital.method} "
                  f"(EcdsaSecp256k1Signature2019, assertionMethod)")

    step("Deal registration: the consumer asks for a presentation")
    definition = json.loads(DEFINITION_FILE.read_text())
    fields = definition["input_descriptors"][0]["constraints"]["fields"]
    fields.insert(0, {"id": "issuer", "path": ["$.issuer"], "filter": {"type": "string", "const": hospital.did}})
    consumer = Consumer(chain, keys["consumer"])
    deal_id = consumer.create_deal(presentation_definition=definition, budget=VP_BUDGET, max_data=len(HOLDERS),
                                   terms=list(VP_TERMS), endpoint=m.consumer_url)
    progress = consumer.progress(deal_id)
    out.print(f"deal [bold]{deal_id}[/bold]: up to {len(HOLDERS)} presentations of a HealthCredential issued by the "
              f"hospital, age ≥ 18, country KR or US")
    out.print(f"budget {_med(VP_BUDGET)} escrowed, {_med(progress.price_per_data)} per presentation")

    step("Data validation: providers present their credentials to the oracle")
    out.print("each provider signs a verifiable presentation (authentication, its DID's key) with the submission for "
              "the deal's definition; the oracle resolves the DIDs, verifies every proof and the constraints")
    attempts: list[tuple[str, str, dict[str, Any]]] = [("provider1", "hospital credential", credentials["provider1"])]
    tampered = json.loads(json.dumps(credentials["provider2"]))
    tampered["credentialSubject"]["age"] = 29
    attempts += [("provider2", "credential edited after issuance (age 41 → 29)", tampered),
                 ("provider2", "hospital credential", credentials["provider2"])]
    results: dict[str, Any] = {}
    rejected = ""
    for name, what, vc in attempts:
        holder = ids[name]
        label = f"{name} · {what}"
        try:
            res = Provider(chain, keys[name]).provide_credentials(deal_id, [vc], holder_key=holder.key,
                                                                  holder_did=holder.did, method_id=holder.method,
                                                                  agree=[1])
        except DepError as e:
            rejected = e.message
            out.print(f"[red]✗[/red] {label}: rejected at [bold]{e.step}[/bold]: {e.message}")
            continue
        results[name] = res
        out.print(f"[green]✓[/green] {label}: VP by {holder.did}, data hash {res.data_hash[:16]}…, certificate by "
                  f"{res.oracle_address}")

    step("Consent submission: each provider submits its certificate")
    for name, res in results.items():
        out.print(f"{name}: consent in tx {res.tx_hash[:16]}… at height {res.height}, term 1 agreed")

    step("Incentive distribution: the chain pays from the escrow")
    rewards = {name: res.reward for name, res in results.items()}
    commission = sum(res.commission for res in results.values())
    for name, res in results.items():
        out.print(f"{name}: {_med(res.reward)}; oracle commission {_med(res.commission)}")
    final = consumer.progress(deal_id)
    out.print(f"deal {deal_id} is [bold]{final.status}[/bold] with {final.cur_num_data}/{final.max_num_data} "
              f"presentations; escrow left {_med(final.escrow_balance)}")

    step("Data delivery: the consumer fetches, decrypts, verifies")
    with tempfile.TemporaryDirectory(prefix="panacea-demo-data-") as tmp:
        fetched = consumer.fetch_all(deal_id, tmp)
    documents = []
    for item in fetched:
        vp = json.loads(item.plaintext)
        assert data_hash(item.plaintext) == item.data_hash
        documents.append(vp)
        subject = vp["verifiableCredential"][0]["credentialSubject"]
        out.print(f"[green]✓[/green] {item.data_hash[:16]}… decrypted, hash verified: a VP by {vp['holder']}, "
                  f"credential subject {json.dumps(subject)}")

    after = {label: chain.balance(m.accounts[name]) for label, name in watched.items()}
    _payout_table(out, m, before, after, VP_BUDGET, rewards, commission)
    seconds = time.monotonic() - t0
    out.print(f"\ndone in {seconds:.1f} s")
    return DemoResult(deal_id, rewards, commission, rejected, documents, before, after, seconds)
