"""x/did through the App (real store, real txs): the routes, message events, tx results, and the
``did_reference_compat`` switch of the App constructor on both sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from panacea.chain.app import App
from panacea.chain.modules.did.keeper import tombstone
from panacea.crypto.did import did_for_key
from panacea.crypto.keys import PrivateKey
from panacea.types.pb.panacea.did.v2 import did_pb2, tx_pb2
from tests.chain.kit import Chain

from .conftest import create_msg, deactivate_msg, document, key, update_msg

OWNER = key("app-did-owner")


def did_of(k: PrivateKey) -> str:
    return did_for_key(k.public_key())


DID = did_of(OWNER)


@pytest.fixture(params=[False, True], ids=["departures", "reference"])
def chain(request: pytest.FixtureRequest, tmp_path: Path) -> Chain:
    c = Chain(tmp_path / "node")
    if request.param:
        c.app = App(c.store, did_reference_compat=True)
    assert c.app.did.reference_compat is request.param
    request.addfinalizer(c.store.close)
    return c


def run(chain: Chain, msg: object) -> tuple[int, str]:
    payer = chain.consumer
    msg.from_address = payer.bech32()  # type: ignore[attr-defined]
    result = chain.block([chain.tx(payer, msg)]).tx_results[0]  # type: ignore[arg-type]
    return result.code, result.log


def test_create_update_deactivate(chain: Chain) -> None:
    doc = document(DID, OWNER)
    payer = chain.consumer
    result = chain.block([chain.tx(payer, create_msg(DID, OWNER, doc, from_address=payer.bech32()))]).tx_results[0]
    assert result.code == 0, result.log
    assert [e.type for e in result.events].count("message") >= 1
    assert result.log == ('[{"msg_index":0,"log":"","events":[{"type":"message","attributes":'
                          '[{"key":"action","value":"create_did"}]}]}]')
    new = document(DID, OWNER)
    new.services.append(did_pb2.Service(id="s", type="t", service_endpoint="https://e"))
    assert run(chain, update_msg(DID, OWNER, new, 0))[0] == 0
    assert run(chain, deactivate_msg(DID, OWNER, 1))[0] == 0
    ctx = chain.app.query_context(None)
    assert chain.app.did.get(ctx, DID) == tombstone(2)
    assert run(chain, create_msg(DID, OWNER)) == (
        13, f"failed to execute message; message index: 0: DID: {DID}: DID was already deactivated")


def test_check_tx_runs_validate_basic_with_the_exact_wrap(chain: Chain) -> None:
    msg = create_msg("did:panacea:short", OWNER, from_address=chain.consumer.bech32())
    result = chain.app.check_tx(chain.tx(chain.consumer, msg))
    assert (result.codespace, result.code, result.log) == ("did", 3, "did: did:panacea:short: Invalid DID")
    absent = tx_pb2.MsgCreateDID(did=DID, signature=b"x", from_address=chain.consumer.bech32())
    result = chain.app.check_tx(chain.tx(chain.consumer, absent))
    assert (result.code, result.log) == (4, "DIDDocument: <nil>: Invalid DID Document")  # both modes: no panic


def test_the_switch(chain: Chain) -> None:
    """REF-1 and REF-5 through real txs: refused with the departures, the reference's behaviour otherwise."""
    compat = chain.app.did.reference_compat
    other = document(did_of(key("someone-else")), OWNER)  # document.id != did
    squat = create_msg(DID, OWNER, other)
    squat.verification_method_id = f"{other.id}#key1"  # the key as the document names it
    code, log = run(chain, squat)
    if compat:
        assert code == 0
        assert chain.app.did.get(chain.app.query_context(None), DID).document == other  # stored under msg.did
        return
    assert (code, log) == (4, f"the DID {DID} is not the document id {other.id}: Invalid DID Document")
    create = create_msg(DID, OWNER)
    assert run(chain, create)[0] == 0
    replay = tx_pb2.MsgUpdateDID(did=DID, document=create.document,
                                 verification_method_id=create.verification_method_id, signature=create.signature)
    assert run(chain, replay) == (
        4, "failed to execute message; message index: 0: the document is unchanged: Invalid DID Document")


def test_reference_mode_replay(tmp_path: Path) -> None:
    chain = Chain(tmp_path / "node")
    try:
        chain.app = App(chain.store, did_reference_compat=True)
        create = create_msg(DID, OWNER)
        assert run(chain, create)[0] == 0
        replay = tx_pb2.MsgUpdateDID(did=DID, document=create.document,
                                     verification_method_id=create.verification_method_id, signature=create.signature)
        assert run(chain, replay)[0] == 0  # REF-5: anyone can bump the sequence with the create signature
        assert chain.app.did.get(chain.app.query_context(None), DID).sequence == 1
    finally:
        chain.store.close()
