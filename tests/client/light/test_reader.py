"""Proven reads: proof checks of abci_query answers (unit, over the chain's own store), then verified reads from a
real embedded node — equal to the unverified client's values and errors — and a tampering JSON-RPC proxy in front
of it (proofs, commits, validator sets) whose answers are rejected with clear errors."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from panacea.chain.store import Store
from panacea.client import AsyncChainClient, NotFoundError, QueryError
from panacea.client.light import (
    LightClient,
    LightStore,
    TrustExpiredError,
    TrustOptions,
    VerificationError,
    VerifiedQueries,
    proven_value,
)
from panacea.types.cometbft.encoding import time_json
from panacea.types.cometbft.types import Commit, CommitSig, Header, Validator, validators_hash
from tests.client import nodekit
from tests.client.light.kit import JSON, deal_and_consent, deal_msg, key, proxy, sign_block
from tests.client.nodekit import Node

T = TypeVar("T")
PERIOD = 336 * 3600 * 10**9
PROVIDER = nodekit.key("provider")
CONSUMER = nodekit.key("consumer")
ORACLE = nodekit.key("oracle")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hx(data: bytes) -> str:
    return data.hex().upper()


# --- proof checks (no node) -----------------------------------------------------------------------------------
@pytest.fixture
def state(tmp_path: Path) -> Iterator[Store]:
    with Store(str(tmp_path / "state")) as store:
        store.commit({b"datadeal/" + bytes([i]): bytes([i]) * 3 for i in range(1, 60)} | {b"datadeal/empty": b""}, 1)
        yield store


def answer(store: Store, asked: bytes, *, proof_of: bytes | None = None, **changes: Any) -> JSON:
    """An abci_query answer for ``asked`` (prove=true at height 1), as the node writes it, with ``changes``."""
    full = b"datadeal/" + asked
    value = store.get(full)
    proof = store.prove(b"datadeal/" + (proof_of or asked))
    response: JSON = {"key": b64(asked), "height": "1",
                      "proofOps": {"ops": [{"type": "panacea:smt", "key": b64(full), "data": b64(proof.to_bytes())}]}}
    if value:
        response["value"] = b64(value)
    response.update(changes)
    return {"response": {k: v for k, v in response.items() if v is not None}}


def rejected(result: JSON, key: bytes, root: bytes) -> str:
    with pytest.raises(VerificationError) as e:
        proven_value(result, "datadeal", key, 1, root)
    return str(e.value)


def test_membership_absence_and_empty_values_verify(state: Store) -> None:
    root = state.root_hash()
    assert proven_value(answer(state, b"\x07"), "datadeal", b"\x07", 1, root) == b"\x07" * 3
    assert proven_value(answer(state, b"missing"), "datadeal", b"missing", 1, root) is None
    assert proven_value(answer(state, b"empty"), "datadeal", b"empty", 1, root) == b""
    # CometBFT writes "proofOps" (jsonpb, zero fields included); the struct tag's "proof_ops" is read as well
    tagged = answer(state, b"\x07", code=0, log="", info="", index="0", codespace="")
    tagged["response"]["proof_ops"] = tagged["response"].pop("proofOps")
    assert proven_value(tagged, "datadeal", b"\x07", 1, root) == b"\x07" * 3


def test_tampered_answers_are_rejected(state: Store) -> None:
    root = state.root_hash()
    not_verified = f"the proof of datadeal key 07 does not verify against app hash {hx(root)} of block 2"
    assert rejected(answer(state, b"\x07", value=b64(b"\x07\x07\x08")), b"\x07", root) == not_verified
    assert rejected(answer(state, b"\x07", value=None), b"\x07", root) == not_verified  # "absent", but it is there
    good = answer(state, b"\x07")["response"]["proofOps"]["ops"][0]
    data = bytearray(base64.b64decode(good["data"]))
    data[5] ^= 1  # a sibling hash
    assert rejected(answer(state, b"\x07", proofOps={"ops": [{**good, "data": b64(bytes(data))}]}), b"\x07",
                    root) == not_verified
    assert rejected(answer(state, b"\x07"), b"\x07", hashlib.sha256(root).digest()).startswith(
        "the proof of datadeal key 07 does not verify against app hash")
    absent = f"the proof of datadeal key {b'missing'.hex()} does not verify against app hash {hx(root)} of block 2"
    assert rejected(answer(state, b"missing", value=b64(b"x")), b"missing", root) == absent
    # another key's proof, relabelled: the leaf it ends at is not the asked key's
    foreign = answer(state, b"\x07", proof_of=b"\x08")
    assert rejected(foreign, b"\x07", root) == not_verified


def test_answers_about_something_else_are_rejected(state: Store) -> None:
    root = state.root_hash()
    op = answer(state, b"\x07")["response"]["proofOps"]["ops"][0]
    cases = [
        (answer(state, b"\x07", height="2"), "the node answered for height 2 when asked for height 1"),
        (answer(state, b"\x07", height=None), "the node answered for height 0 when asked for height 1"),
        (answer(state, b"\x07", key=b64(b"\x08")), "the node answered for another key than 07"),
        (answer(state, b"\x07", proofOps=None), "the node's answer has no proof (one proof op expected)"),
        (answer(state, b"\x07", proofOps={"ops": [op, op]}), "the node's answer has no proof (one proof op expected)"),
        (answer(state, b"\x07", proofOps={"ops": [{**op, "type": "ics23:iavl"}]}),
         "the node's proof is of type 'ics23:iavl', not panacea:smt"),
        (answer(state, b"\x07", proofOps={"ops": [{**op, "key": b64(b"datadeal/\x08")}]}),
         f"the node's proof is about another key than {b'datadeal/'.hex()}07"),
        (answer(state, b"\x07", proofOps={"ops": [{**op, "data": b64(b"\x00")}]}),
         "malformed proof from the node: proof too short"),
        (answer(state, b"\x07", value="not base64!"), "malformed abci_query answer: value is not base64"),
    ]
    for result, message in cases:
        assert rejected(result, b"\x07", root) == message
    with pytest.raises(QueryError) as e:
        proven_value({"response": {"code": 6, "codespace": "sdk", "log": "no such store: x: unknown request"}},
                     "datadeal", b"\x07", 1, root)
    assert (str(e.value), e.value.code) == ("no such store: x: unknown request", 6)


# --- verified reads from a real node -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def deal_id(node: Node) -> int:
    with node.client() as client:
        return deal_and_consent(client, consumer=CONSUMER, provider=PROVIDER, oracle_address=ORACLE.bech32(),
                                unique_id=nodekit.UNIQUE_ID, oracle_key=nodekit.ORACLE_SHARED_KEY)


def verified(node: Node, tmp: Path, body: Callable[[VerifiedQueries], Coroutine[Any, Any, T]], *,
             queries_via: str | None = None, light_via: str | None = None, clock: Callable[[], int] | None = None,
             root: tuple[int, bytes] | None = None) -> T:
    """``body(VerifiedQueries)``: queries through ``queries_via`` and headers through ``light_via`` (default: the
    node), trusting the node's block 1."""
    async def go() -> T:
        store = LightStore(tmp / "light-client")
        async with AsyncChainClient(queries_via or node.rpc) as client, \
                AsyncChainClient(light_via or node.rpc) as primary:
            if root is None:
                trusted = (1, bytes.fromhex((await primary.block(1))["block_id"]["hash"]))
            light = LightClient(primary, store, root or trusted, TrustOptions(nodekit.CHAIN_ID, PERIOD),
                                **({} if clock is None else {"clock": clock}))
            try:
                return await body(VerifiedQueries(client, light))
            finally:
                store.close()

    return asyncio.run(go())


async def _outcome(call: Coroutine[Any, Any, object]) -> object:
    try:
        return await call
    except QueryError as e:
        return (type(e).__name__, e.path, e.code, e.codespace, str(e))


def test_verified_reads_equal_the_unverified_ones(node: Node, deal_id: int, tmp_path: Path) -> None:
    data_hash = "ab" * 32
    nobody = nodekit.key("nobody").bech32()

    def reads(q: Any) -> list[Coroutine[Any, Any, object]]:
        """The same calls on VerifiedQueries and on AsyncChainClient."""
        registration = q.oracle_registration
        return [q.deal(deal_id), q.deal(10**6), q.consent(deal_id, data_hash), q.consent(deal_id, "cd" * 32),
                q.account(PROVIDER.bech32()), q.account(nobody), q.account("panacea1xyz"), q.account(""),
                q.oracle_params(), q.oracle(ORACLE.bech32()), q.oracle(nobody), q.oracle("panacea1xyz"),
                registration(nodekit.UNIQUE_ID, ORACLE.bech32()), registration("u", "panacea1xyz"),
                q.oracle_upgrade("u", nobody), q.oracle_upgrade("u", "panacea1xyz"), q.upgrade_info()]

    async def proven(q: VerifiedQueries) -> list[object]:
        return [await _outcome(c) for c in reads(q)]

    async def plain() -> list[object]:
        async with AsyncChainClient(node.rpc) as client:
            return [await _outcome(c) for c in reads(client)]

    got, expected = verified(node, tmp_path, proven), asyncio.run(plain())
    assert got == expected
    deal, missing_deal, consent = got[:3]
    assert deal.id == deal_id and deal.consumer_address == CONSUMER.bech32()  # type: ignore[attr-defined]
    assert missing_deal == ("NotFoundError", "/panacea.datadeal.v2.Query/Deal", 3, "datadeal",
                            "deal with ID 1000000 does not exist: deal is not found")
    assert consent.certificate.unsigned_certificate.data_hash == data_hash  # type: ignore[attr-defined]
    assert got[4].pubkey == PROVIDER.public_key().compressed  # type: ignore[attr-defined]
    assert got[8].unique_id == nodekit.UNIQUE_ID and got[16] is None  # type: ignore[attr-defined]


def test_reads_through_a_tampering_proxy_are_rejected(node: Node, deal_id: int, tmp_path: Path) -> None:
    def flip_proof(method: str, params: JSON, body: JSON) -> JSON:
        if method == "abci_query":
            op = body["result"]["response"]["proofOps"]["ops"][0]
            data = bytearray(base64.b64decode(op["data"]))
            data[-1] ^= 1
            op["data"] = b64(bytes(data))
        return body

    def absent(method: str, params: JSON, body: JSON) -> JSON:
        if method == "abci_query":
            body["result"]["response"].pop("value", None)
        return body

    def stale(method: str, params: JSON, body: JSON) -> JSON:
        if method == "abci_query":
            body["result"]["response"]["height"] = str(int(params["height"]) - 1)
        return body

    async def read(q: VerifiedQueries) -> str:
        with pytest.raises(VerificationError) as e:
            await q.deal(deal_id)
        return str(e.value)

    with proxy(node.rpc) as (p, url):
        messages = []
        for tamper in (flip_proof, absent, stale):
            p.tamper = tamper
            messages.append(verified(node, tmp_path / tamper.__name__, read, queries_via=url))
    key_hex = (b"\x02" + deal_id.to_bytes(8, "big")).hex()
    pattern = rf"the proof of datadeal key {key_hex} does not verify against app hash [0-9A-F]{{64}} of block \d+"
    assert re.fullmatch(pattern, messages[0]) and re.fullmatch(pattern, messages[1]), messages
    assert re.fullmatch(r"the node answered for height (\d+) when asked for height \d+", messages[2])


class _Forger:
    """Rewrites the node's commits and validator sets above height 1 (the trust root stays honest)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.fake = key("forger")
        self.heights: list[int] = []

    def __call__(self, method: str, params: JSON, body: JSON) -> JSON:
        result = body.get("result")
        if result is None or params.get("height") == "1":
            return body
        if method == "commit":
            signed = result["signed_header"]
            header, commit = Header.from_json(signed["header"]), Commit.from_json(signed["commit"])
            self.heights.append(header.height)
            if self.mode == "unsigned":
                signed["commit"] = Commit(commit.height, commit.round, commit.block_id,
                                          tuple(CommitSig.absent() for _ in commit.signatures)).to_json()
            elif self.mode == "other key":
                vals = (Validator(self.fake.pub_key, 10),)
                forged = Header(**{**header.__dict__, "validators_hash": validators_hash(vals),
                                   "next_validators_hash": validators_hash(vals)})
                block = sign_block(header.chain_id, forged, vals, {self.fake.address: self.fake})
                signed["header"], signed["commit"] = block.header.to_json(), block.commit.to_json()
        if method == "validators":
            if self.mode == "other key":
                result["validators"] = [Validator(self.fake.pub_key, 10).to_json()]
            elif self.mode == "stronger":
                for v in result["validators"]:
                    v["voting_power"] = str(int(v["voting_power"]) * 2)
        return body


def _forged(node: Node, tmp: Path, mode: str) -> tuple[str, _Forger, JSON]:
    forger = _Forger(mode)

    async def read(q: VerifiedQueries) -> str:
        with pytest.raises(VerificationError) as e:
            await q.oracle_params()
        return str(e.value)

    with proxy(node.rpc) as (p, url):
        p.tamper = forger
        message = verified(node, tmp, read, light_via=url)
    with nodekit.ChainClient(node.rpc) as client:
        first = client.rpc("commit", {"height": "1"})["signed_header"]["header"]
    return message, forger, first


def test_a_commit_without_two_thirds_of_the_power_is_rejected(node: Node, tmp_path: Path) -> None:
    message, forger, _ = _forged(node, tmp_path, "unsigned")
    # no trusted power signed the latest block: bisection down to the adjacent step 1 → 2, which fails
    assert forger.heights[-1] == 2
    assert message == "cannot verify block 2 from trusted block 1: invalid commit -- insufficient voting power: " \
                      "got 0, needed more than 6"


def test_a_header_signed_by_another_validator_key_is_rejected(node: Node, tmp_path: Path) -> None:
    message, forger, first = _forged(node, tmp_path, "other key")
    fake = validators_hash((Validator(forger.fake.pub_key, 10),))
    assert message == (f"cannot verify block 2 from trusted block 1: expected old header next validators "
                       f"({first['next_validators_hash']}) to match those from new header ({hx(fake)})")


def test_a_validator_set_other_than_the_headers_is_rejected(node: Node, tmp_path: Path) -> None:
    message, forger, first = _forged(node, tmp_path, "stronger")
    target = max(forger.heights)  # the first block above the root that the node served
    assert re.fullmatch(rf"cannot verify block {target} from trusted block 1: expected validator hash of header to "
                        rf"match validator set hash \({first['validators_hash']} != [0-9A-F]{{64}}\)", message), message


def test_a_trusted_header_outside_the_trust_period_is_rejected(node: Node, tmp_path: Path) -> None:
    with nodekit.ChainClient(node.rpc) as client:
        first = Header.from_json(client.rpc("commit", {"height": "1"})["signed_header"]["header"])
    late = first.time_ns + PERIOD

    async def read(q: VerifiedQueries) -> str:
        with pytest.raises(TrustExpiredError) as e:
            await q.deal(1)
        return str(e.value)

    assert verified(node, tmp_path, read, clock=lambda: late) == (
        f"cannot trust the trusted block at height 1: the trusted header at height 1 expired at {time_json(late)} "
        f"(trust period 336h, now {time_json(late)}): give a new trusted block")

    now = [first.time_ns + 10**9 * 3600]

    async def later(q: VerifiedQueries) -> str:
        await q.oracle_params()
        trusted = q.light.latest_trusted
        assert trusted is not None
        now[0] = trusted.header.time_ns + PERIOD
        while (await q.client.status()).latest_height == trusted.height:
            await asyncio.sleep(0.05)
        with pytest.raises(TrustExpiredError) as e:
            await q.oracle_params()
        return f"{trusted.height} {trusted.header.time_ns} {e.value}"

    height, time_ns, message = verified(node, tmp_path / "later", later, clock=lambda: now[0]).split(" ", 2)
    expiry = time_json(int(time_ns) + PERIOD)
    assert re.fullmatch(rf"cannot verify block \d+ from trusted block {height}: the trusted header at height {height} "
                        rf"expired at {expiry} \(trust period 336h, now {expiry}\): give a new trusted block", message)


def test_not_found_is_proven(node: Node, tmp_path: Path) -> None:
    """A node that answers "absent" for an existing account is caught: its proof ends at the account's leaf."""
    def hide(method: str, params: JSON, body: JSON) -> JSON:
        if method == "abci_query":
            body["result"]["response"].pop("value", None)
        return body

    async def read(q: VerifiedQueries) -> object:
        try:
            return await q.account(PROVIDER.bech32())
        except (NotFoundError, VerificationError) as e:
            return type(e).__name__

    with proxy(node.rpc) as (p, url):
        p.tamper = hide
        assert verified(node, tmp_path, read, queries_via=url) == "VerificationError"


def test_an_object_created_in_the_newest_block_is_found(node: Node, deal_id: int, tmp_path: Path) -> None:
    """The newest block's state is proven only by the next header: a read that finds nothing one block back waits
    for it when the node says the object exists now (a deal just created, an event just seen)."""
    async def read(q: VerifiedQueries) -> tuple[int, int]:
        await q.light.latest()  # the light client is started before the deal exists
        async with AsyncChainClient(node.rpc) as client:
            sent = await client.wallet(CONSUMER).send([deal_msg(CONSUMER, "https://schemas.test/y.json")])
            assert sent.ok, sent.raw_log
            newest = max(d.id for d in await client.deals())
        return newest, (await q.deal(newest)).id

    newest, got = verified(node, tmp_path, read)
    assert got == newest > deal_id


def test_the_nodes_word_that_something_exists_proves_nothing(node: Node, tmp_path: Path) -> None:
    def claim(method: str, params: JSON, body: JSON) -> JSON:
        if method == "abci_query" and not params["prove"]:
            body["result"]["response"]["value"] = b64(b"\x0afake")
        return body

    async def read(q: VerifiedQueries) -> str:
        with pytest.raises(NotFoundError) as e:
            await q.deal(10**6)
        return str(e.value)

    with proxy(node.rpc) as (p, url):
        p.tamper = claim
        assert verified(node, tmp_path, read, queries_via=url) == (
            "deal with ID 1000000 does not exist: deal is not found")
        heights = [int(params["height"]) for method, params in p.calls if method == "abci_query"]
    # proven absent at H-1; the node's (false) word about its newest state; proven absent at that state
    assert len(heights) == 3 and heights[1] == 0 and heights[2] > heights[0]

