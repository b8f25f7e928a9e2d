"""The SDK (``panacea.client.dep``) against a whole network on loopback — a real embedded node, the real oracle app
and a real consumerd, real deals: the five DEP steps through ``Consumer`` / ``Provider`` (sync and async), exact
payouts, verified delivery, and every failure named by its step."""

from __future__ import annotations

import asyncio
import base64
import inspect
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from panacea.client import AsyncChainClient, ChainClient
from panacea.client.dep import (
    AsyncConsumer,
    AsyncProvider,
    CertificateError,
    Consumer,
    DepError,
    FetchedData,
    IntegrityError,
    Provider,
    ServiceError,
    Term,
    TxError,
    price_per_data,
)
from panacea.client.services import ConsumerServiceClient
from panacea.crypto.jcs import data_hash
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2
from tests.client import nodekit
from tests.client.depkit import INACTIVE_ORACLE, ORACLE_ADDRESS, SCHEMA_URI, DepNet, dep_net, oracle_proxy

CONSUMER = nodekit.key("consumer")
PROVIDER = nodekit.key("provider")
ASYNC_PROVIDER = nodekit.key("erin")
STALE = nodekit.key("stale")  # funded, never signed a tx: no public key on chain
RECORDS = [b'{"name": "alice", "age": 30}', b'{ "age": 41, "name": "bob" }', b'{"name": "carol", "age": 7}']
TERMS = [Term("share", "my record, for research", required=True), "contact: may contact me later"]


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DepNet]:
    with dep_net(tmp_path_factory.mktemp("dep-net"), (PROVIDER, ASYNC_PROVIDER)) as n:
        yield n


@pytest.fixture()
def chain(net: DepNet) -> Iterator[ChainClient]:
    with net.node.client() as c:
        yield c


@pytest.fixture()
def consumer(chain: ChainClient) -> Iterator[Consumer]:
    with Consumer(chain, CONSUMER) as c:
        yield c


@pytest.fixture()
def provider(chain: ChainClient) -> Iterator[Provider]:
    with Provider(chain, PROVIDER) as p:
        yield p


def new_deal(consumer: Consumer, net: DepNet, *, budget: int = 10000, max_data: int = 3) -> int:
    return consumer.create_deal(schema=[SCHEMA_URI], budget=budget, max_data=max_data, terms=TERMS,
                                endpoint=net.storage_url)


def record(label: str) -> bytes:
    return json.dumps({"name": label, "age": 5}).encode()


def test_the_whole_flow_pays_exactly_and_every_hash_verifies(net: DepNet, chain: ChainClient, consumer: Consumer,
                                                              provider: Provider, tmp_path: Path) -> None:
    before = {a: chain.balance(a) for a in (CONSUMER.bech32(), PROVIDER.bech32(), ORACLE_ADDRESS)}
    deal = new_deal(consumer, net)
    assert consumer.progress(deal).escrow_balance == 10000

    results = [provider.provide(deal, raw) for raw in RECORDS]  # price 3333, commission 0.1
    assert [(r.reward, r.commission, r.fee, r.oracle_address) for r in results] == [(2999, 333, 0, ORACLE_ADDRESS)] * 3
    assert [r.data_hash for r in results] == [data_hash(raw) for raw in RECORDS]
    assert chain.balance(PROVIDER.bech32()) - before[PROVIDER.bech32()] == 3 * 2999
    assert chain.balance(ORACLE_ADDRESS) - before[ORACLE_ADDRESS] == 3 * 333
    # completed: the dust (1 per consent, 1 of the budget) goes back to the consumer in the last consent's tx
    assert chain.balance(CONSUMER.bech32()) - before[CONSUMER.bech32()] == -10000 + 4
    stored = chain.consent(deal, results[0].data_hash)
    assert [(a.term_id, a.agreement) for a in stored.agreements] == [(1, True), (2, False)]  # default: required only
    assert stored.certificate == results[0].certificate

    progress = consumer.progress(deal)
    assert (progress.status, progress.cur_num_data, progress.max_num_data, progress.budget,
            progress.price_per_data, progress.escrow_balance) == ("COMPLETED", 3, 3, 10000, 3333, 0)
    by_hash = sorted(results, key=lambda r: r.data_hash)  # the chain lists consents by data hash
    assert [(c.data_hash, c.provider, c.oracle) for c in progress.consents] == [
        (r.data_hash, PROVIDER.bech32(), ORACLE_ADDRESS) for r in by_hash]
    assert consumer.wait(deal) == progress
    assert consumer.delivered(deal) == [r.data_hash for r in by_hash]

    seen: list[tuple[int, int, str, bool]] = []

    def note(done: int, total: int, item: FetchedData) -> None:
        seen.append((done, total, item.data_hash, item.fetched))

    fetched = consumer.fetch_all(deal, tmp_path / "out", progress=note)
    plain = {data_hash(raw): raw for raw in RECORDS}
    assert [(f.data_hash, f.plaintext, f.fetched) for f in fetched] == [(h, plain[h], True) for h in sorted(plain)]
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == {f"{h}.json": plain[h] for h in plain}
    assert seen == [(i, 3, h, True) for i, h in enumerate(sorted(plain), 1)]

    seen.clear()  # resumed: everything is there and verifies, nothing is fetched again
    again = consumer.fetch_all(deal, tmp_path / "out", progress=note)
    assert [(f.data_hash, f.plaintext, f.fetched) for f in again] == [(h, plain[h], False) for h in sorted(plain)]
    assert seen == [(i, 3, h, False) for i, h in enumerate(sorted(plain), 1)]
    assert consumer.fetch(deal, results[1].data_hash) == RECORDS[1]  # the provider's bytes, not the JCS form

    with pytest.raises(DepError) as info:
        provider.provide(deal, record("late"))
    assert str(info.value) == f"read deal: deal {deal} is COMPLETED: it takes no more data"
    with pytest.raises(TxError) as tx_info:
        consumer.deactivate(deal)
    assert str(tx_info.value) == ("deactivate deal: failed to execute message; message index: 0: deal's status is not "
                                  "'ACTIVE': error while deactivate deal")
    assert (tx_info.value.codespace, tx_info.value.code) == ("datadeal", 8)


def test_async_flow_then_deactivate_refunds_the_rest(net: DepNet, tmp_path: Path) -> None:
    async def flow() -> tuple[int, list[Any], int, Any, list[bytes]]:
        async with AsyncChainClient(net.node.rpc) as chain, AsyncConsumer(chain, CONSUMER) as consumer, \
                AsyncProvider(chain, ASYNC_PROVIDER) as provider:
            before = await chain.balance(CONSUMER.bech32())
            deal = await consumer.create_deal(schema=[SCHEMA_URI], budget=10001, max_data=4, terms=TERMS,
                                              endpoint=net.storage_url)
            results = await asyncio.gather(*(provider.provide(deal, raw, agree=[1, 2]) for raw in RECORDS[:2]))
            await consumer.wait(deal, until_data=2)
            refund = await consumer.deactivate(deal)
            after = await consumer.progress(deal)
            delta = await chain.balance(CONSUMER.bech32()) - before
            data = [await consumer.fetch(deal, r.data_hash) for r in results]  # an INACTIVE deal still delivers
            return refund, list(results), delta, after, data

    refund, results, delta, after, data = asyncio.run(flow())
    assert [(r.reward, r.commission) for r in results] == [(2250, 250)] * 2  # price 2500, commission 0.1
    assert refund == 10001 - 2 * 2500
    assert delta == -2 * 2500
    assert (after.status, after.cur_num_data, after.escrow_balance) == ("INACTIVE", 2, 0)
    assert data == RECORDS[:2]
    with net.node.client() as chain:
        agreed = chain.consent(results[0].deal_id, results[0].data_hash).agreements
    assert [(a.term_id, a.agreement) for a in agreed] == [(1, True), (2, True)]


def test_a_record_violating_the_schema_is_refused_unpaid(net: DepNet, chain: ChainClient, consumer: Consumer,
                                                         provider: Provider) -> None:
    deal = new_deal(consumer, net)
    balance = chain.balance(PROVIDER.bech32())
    with pytest.raises(ServiceError) as info:
        provider.provide(deal, b'{"name": "dora", "age": -1}')
    e = info.value
    assert str(e) == "validate: failed to validate data: age: -1 is less than the minimum of 0"
    assert (e.step, e.status, e.code, e.endpoint) == ("validate", 400, 3, net.oracle_url)
    with pytest.raises(ServiceError) as info:
        provider.provide(deal, b'{"name": "dora"}')
    assert info.value.message == 'failed to validate data: (root): "age" is a required property'
    assert chain.consents(deal) == []
    assert chain.balance(PROVIDER.bech32()) == balance
    assert consumer.progress(deal).cur_num_data == 0


def _resign(doc: dict[str, Any], key: PrivateKey) -> dict[str, Any]:
    """The certificate as the oracle sent it, signed by ``key`` instead (a valid signature, of the wrong key)."""
    u = doc["certificate"]["unsignedCertificate"]
    unsigned = consent_pb2.UnsignedCertificate(unique_id=u["uniqueId"], oracle_address=u["oracleAddress"],
                                               deal_id=int(u["dealId"]), provider_address=u["providerAddress"],
                                               data_hash=u["dataHash"])
    signature = sign_message(key, unsigned.SerializeToString(deterministic=True), SignatureMode.SHA256)
    doc["certificate"]["signature"] = base64.b64encode(signature).decode()
    return doc


def _field(name: str, value: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def tamper(doc: dict[str, Any]) -> dict[str, Any]:
        doc["certificate"]["unsignedCertificate"][name] = value
        return doc
    return tamper


def _flip_signature(doc: dict[str, Any]) -> dict[str, Any]:
    sig = bytearray(base64.b64decode(doc["certificate"]["signature"]))
    sig[-1] ^= 1
    doc["certificate"]["signature"] = base64.b64encode(bytes(sig)).decode()
    return doc


BAD_SIGNATURE = "check certificate: the certificate's signature does not verify with the chain's oracle public key"
TAMPERED = {
    "flipped signature": (_flip_signature, BAD_SIGNATURE),
    "signed by another key": (lambda doc: _resign(doc, nodekit.key("not-the-oracle")), BAD_SIGNATURE),
    "other data hash": (_field("dataHash", "ab" * 32), "check certificate: the certificate's data hash is "
                                                       + "ab" * 32 + ", not {hash}"),
    "other deal": (_field("dealId", "999"), "check certificate: the certificate's deal is 999, not {deal}"),
    "other provider": (_field("providerAddress", INACTIVE_ORACLE),
                       f"check certificate: the certificate's provider is {INACTIVE_ORACLE}, not {PROVIDER.bech32()}"),
    "other oracle": (_field("oracleAddress", INACTIVE_ORACLE),
                     f"check certificate: the certificate's oracle is {INACTIVE_ORACLE}, not {ORACLE_ADDRESS}"),
    "other unique ID": (_field("uniqueId", "00" * 32), "check certificate: the certificate's unique ID is "
                                                       + "00" * 32 + ", not {unique_id}"),
}


@pytest.mark.parametrize("case", list(TAMPERED))
def test_a_tampered_certificate_is_caught_before_submitting(case: str, net: DepNet, chain: ChainClient,
                                                            consumer: Consumer, provider: Provider) -> None:
    tamper, text = TAMPERED[case]
    deal = new_deal(consumer, net)
    raw = record(case)
    balance = chain.balance(PROVIDER.bech32())
    with oracle_proxy(net.oracle_url) as proxy:
        proxy.tamper = tamper
        with pytest.raises(CertificateError) as info:
            provider.provide(deal, raw, oracle=proxy.url)
        assert proxy.validations == 1  # the real oracle validated and certified; the answer was altered on the way
    unique_id = chain.oracle_params().unique_id
    assert str(info.value) == text.format(hash=data_hash(raw), deal=deal, unique_id=unique_id)
    assert chain.consents(deal) == []
    assert chain.balance(PROVIDER.bech32()) == balance  # no tx, no fee


def test_an_oracle_named_by_url_or_address(net: DepNet, consumer: Consumer, provider: Provider) -> None:
    deal = new_deal(consumer, net)
    with oracle_proxy(net.oracle_url) as proxy:  # the account comes from the URL's /v0/status
        via_url = provider.provide(deal, record("by url"), oracle=proxy.url)
        assert proxy.validations == 1
    assert (via_url.oracle_address, via_url.reward) == (ORACLE_ADDRESS, 2999)
    assert provider.provide(deal, record("by address"), oracle=ORACLE_ADDRESS).oracle_address == ORACLE_ADDRESS
    with pytest.raises(DepError) as info:
        provider.provide(deal, record("inactive"), oracle=INACTIVE_ORACLE)
    with net.node.client() as chain:
        active = chain.oracle_params().unique_id
    assert str(info.value) == (f"choose oracle: oracle {INACTIVE_ORACLE} is not active: its unique ID "
                               f"{nodekit.UNIQUE_ID} is not the chain's {active}")
    with pytest.raises(ServiceError) as unreachable:
        provider.provide(deal, record("nobody"), oracle=f"http://127.0.0.1:{nodekit.free_port()}")
    assert unreachable.value.step == "choose oracle" and unreachable.value.status == 0
    assert unreachable.value.message.startswith("cannot reach http://127.0.0.1:")


def test_agreements_are_checked_before_anything_is_sent(net: DepNet, consumer: Consumer, provider: Provider) -> None:
    deal = new_deal(consumer, net)
    with oracle_proxy(net.oracle_url) as proxy:
        for agree, text in (([1, 3], f"agree: deal {deal} has no term 3 (its terms: 1, 2)"),
                            ([2], f"agree: term 1 of deal {deal} is required: the chain pays only if you agree to it")):
            with pytest.raises(DepError) as info:
                provider.provide(deal, record("terms"), agree=agree, oracle=proxy.url)
            assert str(info.value) == text
        assert proxy.validations == 0


def test_bad_input_is_named_by_its_step(net: DepNet, chain: ChainClient, consumer: Consumer,
                                        provider: Provider) -> None:
    deal = new_deal(consumer, net)
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: provider.provide(999, record("x")),
         "read deal: deal with ID 999 does not exist: deal is not found"),
        (lambda: provider.provide(deal, b"{not json"), "hash: the data is not JSON the oracle can hash: invalid JSON: "
                                                       "Expecting property name enclosed in double quotes: line 1 "
                                                       "column 2 (char 1)"),
        (lambda: Provider(chain, STALE).provide(deal, record("stale")),
         f"read account: account {STALE.bech32()} has no public key on chain yet (the oracle checks your token with "
         f"it): sign any tx first, e.g. send yourself 1umed"),
        (lambda: Consumer(chain, PROVIDER).fetch(deal, "ab" * 32),
         f"read deal: deal {deal} is {CONSUMER.bech32()}'s, not this key's ({PROVIDER.bech32()})"),
        (lambda: consumer.fetch(deal, "ab" * 32), "read consent: consent is not found"),
        (lambda: consumer.wait(deal, until_data=1, timeout=0),
         f"wait: deal {deal} has 0 of 3 data and is ACTIVE after 0s (waited for 1 data)"),
        (lambda: consumer.create_deal(budget=1, max_data=1, terms=[], endpoint=net.storage_url),
         "create deal: one of data schema and presentation definition can be provided: invalid request"),
        (lambda: consumer.create_deal(schema=[SCHEMA_URI], budget=1, max_data=0, terms=[], endpoint="x"),
         "create deal: max num of data is negative number: invalid request"),
    ]
    for call, text in cases:
        with pytest.raises(DepError) as info:
            call()
        assert str(info.value) == text


def test_delivery_that_is_not_what_was_certified_fails_loudly(net: DepNet, consumer: Consumer, provider: Provider,
                                                              tmp_path: Path) -> None:
    deal = new_deal(consumer, net)
    good, bad = provider.provide(deal, RECORDS[0]), provider.provide(deal, RECORDS[1])
    stored, forged = net.stored_file(deal, bad.data_hash), b'{"name": "mallory", "age": 1}'
    stored.write_bytes(net.oracle.key.encrypt_for_deal(deal, bad.data_hash, forged))  # only an oracle could
    with pytest.raises(IntegrityError) as info:
        consumer.fetch(deal, bad.data_hash)
    assert str(info.value) == (f"verify hash: the data stored as {bad.data_hash} hashes to {data_hash(forged)}, not "
                               f"to the consent's data hash")
    stored.write_bytes(b"\x00" * 40)
    with pytest.raises(IntegrityError) as info:
        consumer.fetch(deal, bad.data_hash)
    assert str(info.value) == f"decrypt: the stored data {bad.data_hash} does not decrypt with its secret key"
    with pytest.raises(IntegrityError):
        consumer.fetch_all(deal, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        [f"{good.data_hash}.json"] if good.data_hash < bad.data_hash else [])
    stored.unlink()
    with pytest.raises(ServiceError) as missing:
        consumer.fetch(deal, bad.data_hash)
    assert (str(missing.value), missing.value.status) == ("fetch: data not found", 404)


def test_storage_and_oracle_given_at_construction(net: DepNet, chain: ChainClient, consumer: Consumer,
                                                   provider: Provider) -> None:
    deal = new_deal(consumer, net)
    done = provider.provide(deal, record("given"))
    with oracle_proxy(net.oracle_url) as proxy, ConsumerServiceClient(net.storage_url) as storage, \
            Consumer(chain, CONSUMER, storage=storage, oracle=proxy.url) as consumer:
        assert consumer.fetch(deal, done.data_hash) == record("given")
    with Consumer(chain, CONSUMER, storage=net.storage_url, oracle=ORACLE_ADDRESS) as consumer:
        assert consumer.fetch(deal, done.data_hash) == record("given")


def test_presentation_definition_deals(net: DepNet, chain: ChainClient, consumer: Consumer) -> None:
    pd = {"id": "pd", "input_descriptors": [{"id": "d", "schema": [{"uri": "https://example.org/Credential"}]}]}
    as_dict = consumer.create_deal(presentation_definition=pd, budget=10, max_data=1, terms=[],
                                   endpoint=net.storage_url)
    raw = json.dumps(pd, indent=1).encode()
    as_bytes = consumer.create_deal(presentation_definition=raw, budget=10, max_data=1, terms=["t"],
                                    endpoint=net.storage_url)
    assert chain.deal(as_dict).presentation_definition == json.dumps(pd, separators=(",", ":")).encode()
    assert chain.deal(as_bytes).presentation_definition == raw
    assert [(t.id, t.title, t.description, t.required) for t in chain.deal(as_bytes).agreement_terms] == [
        (1, "t", "t", False)]


def test_price_per_data_is_the_chains() -> None:
    from panacea.chain.modules.datadeal.keeper import _price_per_data

    for budget, n in ((10000, 3), (10001, 4), (0, 5), (7, 7), (1, 2), (10**30, 3), (10**18 + 1, 10**18 * 2),
                      (3, 10**19 * 2), (10**20 - 1, 10**20)):
        assert price_per_data(budget, n) == _price_per_data(str(budget), n), (budget, n)


def _public(cls: type) -> dict[str, Any]:
    return {n: getattr(cls, n) for n in dir(cls) if not n.startswith("_") and callable(getattr(cls, n))}


@pytest.mark.parametrize(("sync", "aio"), [(Consumer, AsyncConsumer), (Provider, AsyncProvider)])
def test_sync_and_async_twins_offer_the_same_methods(sync: type, aio: type) -> None:
    def shape(m: Any) -> list[tuple[str, object, object]]:
        return [(p.name, p.kind, p.default) for p in inspect.signature(m).parameters.values()]

    s, a = _public(sync), _public(aio)
    assert sorted(s) == sorted(a)
    assert {n: shape(m) for n, m in s.items()} == {n: shape(m) for n, m in a.items()}
    for name, method in s.items():
        assert (inspect.getdoc(method) or "").count("\n") == 0, name
    dummy = aio(AsyncChainClient("tcp://127.0.0.1:9"), CONSUMER)
    assert all(inspect.iscoroutinefunction(getattr(dummy, n)) for n in a if n not in ("run_plan",))
