"""``panacead tx did …`` / ``query did get-did`` against a real embedded node (did-reference §7): the life of a DID,
keys from the keyring, and every way a command fails with the chain's or the reference's text."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import base58
import pytest
from click.testing import CliRunner, Result

from panacea.cli.panacead import main
from panacea.client.keyring import Keyring
from panacea.crypto.did import ES256K_2019, did_for_key, key_document
from panacea.crypto.hd import derive_private_key
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.types.did_json import document_to_json
from tests.client.nodekit import Node, key, start_node

MNEMONIC = ("quiz reveal unable device setup exhibit hard must dumb issue love color genius panther agree uncover sea "
            "ketchup machine shoulder flat vessel orphan duck")


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    n = start_node(tmp_path_factory.mktemp("cli-did"))
    yield n
    n.stop()


def run(node: Node, *args: str, input: str | None = None) -> Result:
    keyring = ["--home", str(node.home), "--keyring-backend", "test"] if args[0] == "tx" else []
    return CliRunner().invoke(main, [*args, *keyring, "--node", node.rpc], input=input)


def ok(node: Node, *args: str, input: str | None = None) -> Any:
    r = run(node, *args, input=input)
    assert r.exit_code == 0, r.output
    return json.loads(r.output[r.output.index("{"):])


def error(r: Result) -> str:
    assert r.exit_code == 1, r.output
    last = r.output.splitlines()[-1]
    assert last.startswith("Error: "), r.output
    return last.removeprefix("Error: ")


def keyring(node: Node) -> Keyring:
    return Keyring(node.home, "test")


def extra_key(label: str) -> PrivateKey:
    return PrivateKey(hashlib.sha256(f"cli-did-node/{label}".encode()).digest())


def with_method(doc: dict[str, Any], fragment: str, public_key: bytes, authentication: bool) -> dict[str, Any]:
    """``doc`` (JSON A) plus an ES256K-2019 method ``#fragment``, as a user edits a document file."""
    did = doc["id"]
    method = {"id": f"{did}#{fragment}", "type": ES256K_2019, "controller": did,
              "public_key_base58": base58.b58encode(public_key).decode()}
    out = {**doc, "verification_methods": [*doc["verification_methods"], method]}
    if authentication:
        out["authentications"] = [*doc["authentications"], method["id"]]
    return out


def write(path: Path, doc: dict[str, Any]) -> str:
    path.write_text(json.dumps(doc))
    return str(path)


def test_create_get_update_update_with_the_new_key_deactivate(node: Node, tmp_path: Path) -> None:
    names_before = {i.name for i in keyring(node).list()}
    r = run(node, "tx", "did", "create-did", "--from", "alice")
    assert r.exit_code == 0, r.output
    assert "A random mnemonic was generated: " in r.output
    words = r.output.split("A random mnemonic was generated: ")[1].splitlines()[0]
    assert len(words.split()) == 24
    out = json.loads(r.output[r.output.index("{"):])
    did_key = derive_private_key(words)
    did = did_for_key(did_key.public_key())
    assert (out["code"], out["did"], out["verification_method_id"]) == (0, did, did + "#key1")
    name = did.removeprefix("did:panacea:")
    assert out["did_key"] == name
    assert {i.name for i in keyring(node).list()} == names_before | {name}
    assert keyring(node).private_key(name) == did_key

    got = ok(node, "query", "did", "get-did", did)
    created = document_to_json(key_document(did_key.public_key()))
    assert got == {"did_document_with_seq": {"document": created, "sequence": "0"}}

    second = extra_key("second")
    keyring(node).import_private_key("did-second", second.to_hex())
    doc2 = with_method(created, "key2", second.public_key().compressed, authentication=True)
    assert ok(node, "tx", "did", "update-did", did, did + "#key1", write(tmp_path / "doc2.json", doc2),
              "--from", "alice")["code"] == 0
    assert ok(node, "query", "did", "get-did", did)["did_document_with_seq"] == {"document": doc2, "sequence": "1"}

    # signed with #key2, found in the keyring by its public key; this document drops #key1
    doc3 = {**doc2, "verification_methods": doc2["verification_methods"][1:],
            "authentications": [did + "#key2"],
            "services": [{"id": did + "#home", "type": "LinkedDomains", "service_endpoint": "https://example.org"}]}
    assert ok(node, "tx", "did", "update-did", did, did + "#key2", write(tmp_path / "doc3.json", doc3),
              "--from", "bob")["code"] == 0
    assert ok(node, "query", "did", "get-did", did)["did_document_with_seq"] == {"document": doc3, "sequence": "2"}

    # #key1 is no longer an authentication method of the current document
    assert error(run(node, "tx", "did", "update-did", did, did + "#key1", write(tmp_path / "doc4.json", doc2),
                     "--from", "alice")) == f"VerificationMethodId: {did}#key1: VerificationMethodID not found"
    assert error(run(node, "tx", "did", "deactivate-did", did, did + "#key2", "--did-key", name,
                     "--from", "alice")) == f"key {name!r} is not the key of {did}#key2"

    assert ok(node, "tx", "did", "deactivate-did", did, did + "#key2", "--did-key", "did-second",
              "--from", "alice")["code"] == 0
    assert error(run(node, "query", "did", "get-did", did)) == "DID deactivated: key not found"
    assert error(run(node, "tx", "did", "update-did", did, did + "#key2", write(tmp_path / "doc5.json", doc3),
                     "--from", "alice")) == "DID deactivated: key not found"
    assert error(run(node, "tx", "did", "deactivate-did", did, did + "#key2", "--from", "alice")) == (
        "DID deactivated: key not found")


def test_create_with_a_keyring_key_and_a_failed_create_saves_nothing(node: Node) -> None:
    carol = key("carol")
    did = did_for_key(carol.public_key())
    out = ok(node, "tx", "did", "create-did", "--did-key", "carol", "--from", "carol")
    assert (out["code"], out["did"], out["did_key"]) == (0, did, "carol")
    assert ok(node, "query", "did", "get-did", did)["did_document_with_seq"]["document"] == document_to_json(
        key_document(carol.public_key()))
    # the same key again: the chain refuses it in CheckTx
    assert error(run(node, "tx", "did", "create-did", "--did-key", "carol", "--from", "carol")) == (
        f"failed to execute message; message index: 0: DID: {did}: DID already exists")

    # --interactive: the key is saved only once the tx succeeded
    answers = f"{MNEMONIC}\nextra words\nextra words\n"
    m_key = derive_private_key(MNEMONIC, passphrase="extra words")
    m_did = did_for_key(m_key.public_key())
    out = ok(node, "tx", "did", "create-did", "--interactive", "--key-name", "m1", "--from", "dave", input=answers)
    assert (out["did"], out["did_key"]) == (m_did, "m1")
    assert keyring(node).private_key("m1") == m_key
    keyring(node).delete("m1")
    names = {i.name for i in keyring(node).list()}
    r = run(node, "tx", "did", "create-did", "--interactive", "--key-name", "m1", "--from", "dave", input=answers)
    assert error(r) == f"failed to execute message; message index: 0: DID: {m_did}: DID already exists"
    assert {i.name for i in keyring(node).list()} == names
    # a create that fails in the block (out of gas) saves nothing either
    r = run(node, "tx", "did", "create-did", "--key-name", "m2", "--gas", "30000", "--from", "dave")
    assert r.exit_code == 1 and "out of gas" in r.output, r.output
    assert json.loads(r.output[r.output.index("{"):r.output.rindex("}") + 1])["code"] == 11  # failed in the block
    assert {i.name for i in keyring(node).list()} == names


def test_update_and_deactivate_failures(node: Node, tmp_path: Path) -> None:
    missing = did_for_key(extra_key("never-created").public_key())
    doc = document_to_json(key_document(extra_key("never-created").public_key()))
    assert error(run(node, "tx", "did", "update-did", missing, missing + "#key1", write(tmp_path / "d.json", doc),
                     "--from", "erin")) == "DID not found: key not found"
    assert error(run(node, "tx", "did", "deactivate-did", missing, missing + "#key1", "--from", "erin")) == (
        "DID not found: key not found")
    assert error(run(node, "query", "did", "get-did", missing)) == "DID not found: key not found"

    # a DID whose key is not in the keyring (created with the client's builder straight from a key)
    lost = extra_key("lost")
    out = ok(node, "tx", "did", "create-did", "--interactive", "--key-name", "lost", "--from", "erin",
             input=f"{MNEMONIC}\n\n")
    lost_did, lost = out["did"], derive_private_key(MNEMONIC)
    keyring(node).delete("lost")
    b58 = base58.b58encode(lost.public_key().compressed).decode()
    assert error(run(node, "tx", "did", "deactivate-did", lost_did, lost_did + "#key1", "--from", "erin")) == (
        f"no key in the test keyring holds the key of {lost_did}#key1 ({b58}): add it with 'panacead keys add NAME "
        "--recover' or 'panacead keys import', or pass --did-key NAME")
    assert error(run(node, "tx", "did", "deactivate-did", lost_did, lost_did + "#key1", "--did-key", "nobody",
                     "--from", "erin")) == f"key 'nobody' not found in the test keyring ({node.home / 'keyring-test'})"
    # the reference's path back: recover the key into the keyring, then it is found by its public key
    r = CliRunner().invoke(main, ["keys", "add", "lost-again", "--recover", "--home", str(node.home),
                                  "--keyring-backend", "test"], input=MNEMONIC + "\n")
    assert r.exit_code == 0, r.output
    assert ok(node, "tx", "did", "deactivate-did", lost_did, lost_did + "#key1", "--from", "erin")["code"] == 0
    assert error(run(node, "tx", "did", "create-did", "--did-key", "lost-again", "--from", "erin")) == (
        f"failed to execute message; message index: 0: DID: {lost_did}: DID was already deactivated")


def test_create_with_the_file_keyring(node: Node, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANACEA_KEYRING_PASSPHRASE", "file-keyring-pass")
    file_ring = Keyring(node.home, "file")
    file_ring.import_private_key("payer", key("erin").to_hex())
    r = CliRunner().invoke(main, ["tx", "did", "create-did", "--from", "payer", "--home", str(node.home),
                                  "--keyring-backend", "file", "--node", node.rpc])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output[r.output.index("{"):])
    assert file_ring.private_key(out["did_key"]).public_key() == did_key_of(node, out["did"])


def did_key_of(node: Node, did: str) -> PublicKey:
    doc = ok(node, "query", "did", "get-did", did)["did_document_with_seq"]["document"]
    return PublicKey.from_bytes(base58.b58decode(doc["verification_methods"][0]["public_key_base58"]))
