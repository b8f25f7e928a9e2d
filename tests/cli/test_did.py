"""``panacead tx did …`` / ``query did get-did`` without a node: syntax, files, BIP39 input, JSON A (did-reference
§7, §8 cli items, §11)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from panacea.cli.did import did_private_key, parse_did, parse_method_id, read_bip39_params, read_did_doc
from panacea.cli.panacead import main
from panacea.client.did import create_did_msg, document_bytes
from panacea.crypto.did import did_for_key, verify_ownership
from panacea.crypto.hd import derive_private_key
from panacea.crypto.keys import PrivateKey

TESTDATA = Path(__file__).parent / "testdata" / "did"
FIXTURE_DID = "did:panacea:27FnaDeQZApXhsRZZDARhWYs2nKFaw3p7evGd9zUSrBZ"
VECTOR_KEY = PrivateKey(hashlib.sha256(b"panacea-did-spec-vector").digest())
VECTOR_DID = "did:panacea:8ifX66eFxRKky33XoMmgWShgdGtSiQMdMiBocrabeK96"
MNEMONIC = ("quiz reveal unable device setup exhibit hard must dumb issue love color genius panther agree uncover sea "
            "ketchup machine shoulder flat vessel orphan duck")  # BIP39 of SHA-256("did-cli-test")


def run(*args: str, input: str | None = None, home: Path | None = None) -> Result:
    extra = ["--home", str(home)] if home is not None else []
    return CliRunner().invoke(main, [*args, *extra], input=input)


def error(r: Result) -> str:
    """The one-line error a command ended with (after any prompts)."""
    assert r.exit_code == 1, r.output
    last = r.output.splitlines()[-1]
    assert last.startswith("Error: "), r.output
    return last.removeprefix("Error: ")


# --- syntax ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("did", [FIXTURE_DID, "did:panacea:" + "1" * 32, "did:panacea:" + "z" * 44])
def test_parse_did_accepts(did: str) -> None:
    assert parse_did(did) == did


@pytest.mark.parametrize("did", ["did:panacea:7Prd74ry1Uct87nZqL3n", "did:panacea:" + "1" * 45, FIXTURE_DID + "\n",
                                 "did:panacea:" + "0" * 32, "did:other:" + "1" * 32, "", " " + FIXTURE_DID])
def test_parse_did_rejects(did: str) -> None:
    with pytest.raises(click.ClickException) as e:
        parse_did(did)
    assert e.value.message == f"did: {did}: Invalid DID"


@pytest.mark.parametrize("suffix", ["key1", "k" * 128, "key\v1", "key#1", "é" * 64, "ключ"])
def test_parse_method_id_accepts(suffix: str) -> None:
    assert parse_method_id(f"{FIXTURE_DID}#{suffix}", FIXTURE_DID) == f"{FIXTURE_DID}#{suffix}"


@pytest.mark.parametrize("method_id", [
    f"{FIXTURE_DID}# key1", f"{FIXTURE_DID}#key1 ", f"{FIXTURE_DID}#", FIXTURE_DID, "invalid#key1",
    f"{VECTOR_DID}#key1", f"{FIXTURE_DID}#{'k' * 129}", f"{FIXTURE_DID}#key1\n", f"{FIXTURE_DID}#{'é' * 65}",
    f"{FIXTURE_DID}#ke\ty", f"{FIXTURE_DID}key1",
])
def test_parse_method_id_rejects(method_id: str) -> None:
    with pytest.raises(click.ClickException) as e:
        parse_method_id(method_id, FIXTURE_DID)
    assert e.value.message == f"verificationMethodID: {method_id}, did: {FIXTURE_DID}: Invalid VerificationMethodID"


# --- BIP39 parameters and the key (TestReadBIP39ParamsFrom*, keygen tests) -------------------------------------------
def reader(answers: list[str]) -> Iterator[str]:
    yield from answers


def read_from(answers: list[str]) -> tuple[tuple[str, str], list[str]]:
    asked: list[str] = []
    it = reader(answers)

    def read(text: str, secret: bool) -> str:
        asked.append(text)
        return next(it)

    return read_bip39_params(True, read), asked


def test_bip39_params_non_interactive_are_empty() -> None:
    def never(text: str, secret: bool) -> str:
        raise AssertionError(text)

    assert read_bip39_params(False, never) == ("", "")


def test_bip39_params_mnemonic_and_passphrase_twice() -> None:
    assert read_from([MNEMONIC, "secret", "secret"]) == ((MNEMONIC, "secret"), [
        "Enter your BIP39 mnemonic, or hit enter to generate one", "Enter your BIP39 passphrase, or hit enter",
        "Repeat the passphrase"])


def test_bip39_params_empty_passphrase_is_asked_once() -> None:
    assert read_from([MNEMONIC, ""])[0] == (MNEMONIC, "")
    assert read_from(["", ""])[0] == ("", "")


def test_bip39_params_passphrase_not_matched() -> None:
    with pytest.raises(click.ClickException) as e:
        read_from([MNEMONIC, "secret", "secreT"])
    assert e.value.message == "passphrases don't match"


def test_bip39_params_invalid_mnemonic() -> None:
    with pytest.raises(click.ClickException) as e:
        read_from(["travel broken"])
    assert e.value.message == "invalid mnemonic"


def test_did_key_from_a_mnemonic_or_a_new_one() -> None:
    key, generated = did_private_key(MNEMONIC, "pass")
    assert generated == "" and key == derive_private_key(MNEMONIC, passphrase="pass")
    assert key != did_private_key(MNEMONIC, "")[0]
    new, words = did_private_key("", "")
    assert len(words.split()) == 24 and new.secret != bytes(32)
    assert new == derive_private_key(words)
    with pytest.raises(click.ClickException) as e:
        did_private_key("dummy", "")
    assert e.value.message == "invalid mnemonic"  # departure: the reference echoes the mnemonic


def test_new_msg_create_did() -> None:  # TestNewMsgCreateDID
    key = did_private_key(MNEMONIC, "")[0]
    msg = create_did_msg(key, "panacea1x")
    did = did_for_key(key.public_key())
    assert (msg.did, msg.document.id, msg.verification_method_id) == (did, did, did + "#key1")
    vm = msg.document.verification_methods[0]
    assert (vm.id, vm.type, vm.controller) == (did + "#key1", "EcdsaSecp256k1VerificationKey2019", did)
    assert list(msg.document.contexts.values) == ["https://www.w3.org/ns/did/v1"]
    assert [a.verification_method_id for a in msg.document.authentications] == [did + "#key1"]
    assert verify_ownership(key.public_key().compressed, document_bytes(msg.document), 0, msg.signature)


# --- the document file (TestReadDIDDoc*) ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["one_context", "multi_context", "multi_authentication"])
def test_snake_and_w3c_files_give_identical_documents(name: str) -> None:
    snake = read_did_doc(str(TESTDATA / f"did_{name}.json"))
    w3c = read_did_doc(str(TESTDATA / f"did_{name}_w3c.json"))
    assert snake == w3c
    assert document_bytes(snake) == document_bytes(w3c)
    assert snake.id == FIXTURE_DID
    assert {vm.type for vm in snake.verification_methods} == {"Secp256k1VerificationKey2018"}


def test_one_and_two_contexts() -> None:
    assert list(read_did_doc(str(TESTDATA / "did_one_context_w3c.json")).contexts.values) == [
        "https://www.w3.org/ns/did/v1"]
    assert list(read_did_doc(str(TESTDATA / "did_multi_context.json")).contexts.values) == [
        "https://www.w3.org/ns/did/v1", "https://w3id.org/security/v1"]


def test_multi_relationship_file() -> None:
    doc = read_did_doc(str(TESTDATA / "did_multi_authentication_w3c.json"))

    def shape(rels: object) -> list[str]:
        return [f"ref {r.verification_method_id.split('#')[1]}" if r.WhichOneof("content") == "verification_method_id"
                else f"embedded {r.verification_method.id.split('#')[1]}" for r in rels]  # type: ignore[attr-defined]

    assert shape(doc.authentications) == ["ref key1", "embedded key2"]
    assert len(doc.assertion_methods) == 3 and len(doc.key_agreements) == 3
    assert shape(doc.key_agreements)[-1] == "ref key3"
    assert (len(doc.capability_invocations), len(doc.capability_delegations)) == (2, 2)
    assert doc.authentications[1].verification_method.public_key_base58  # camelCase key of an embedded method
    assert [(s.type, s.service_endpoint) for s in doc.services] == [("LinkedDomains", "https://example.org")]


def test_bad_document_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": ')
    with pytest.raises(click.ClickException) as e:
        read_did_doc(str(bad))
    assert e.value.message == "fail to decode DIDDocument JSON: Expecting value: line 1 column 8 (char 7)"
    bad.write_text('{"id": "x", "extra": 1}')
    with pytest.raises(click.ClickException) as e:
        read_did_doc(str(bad))
    assert e.value.message == 'fail to decode DIDDocument JSON: document: unknown field "extra"'
    with pytest.raises(click.ClickException) as e:
        read_did_doc(str(tmp_path / "missing.json"))
    assert e.value.message == f"file not found: {tmp_path / 'missing.json'}"


# --- commands that fail before any node is asked --------------------------------------------------------------------
UNREACHABLE = "tcp://127.0.0.1:9"


def test_get_did_checks_the_syntax_first() -> None:
    assert error(run("query", "did", "get-did", "did:panacea:abc", "--node", UNREACHABLE)) == (
        "did: did:panacea:abc: Invalid DID")


def test_update_and_deactivate_check_their_arguments_first(tmp_path: Path) -> None:
    doc = str(TESTDATA / "did_one_context.json")
    base = ["--from", "alice", "--keyring-backend", "test", "--node", UNREACHABLE]
    assert error(run("tx", "did", "update-did", "did:x", "did:x#key1", doc, *base, home=tmp_path)) == (
        "did: did:x: Invalid DID")
    assert error(run("tx", "did", "update-did", FIXTURE_DID, f"{VECTOR_DID}#key1", doc, *base, home=tmp_path)) == (
        f"verificationMethodID: {VECTOR_DID}#key1, did: {FIXTURE_DID}: Invalid VerificationMethodID")
    bad = tmp_path / "doc.json"
    bad.write_text('{"verificationMethods": []}')
    assert error(run("tx", "did", "update-did", FIXTURE_DID, f"{FIXTURE_DID}#key1", str(bad), *base,
                     home=tmp_path)) == ('fail to decode DIDDocument JSON: document: unknown field '
                                         '"verificationMethods"')
    bad.write_text(json.dumps({"id": FIXTURE_DID, "authentication": [FIXTURE_DID + "#key1"]}))
    assert error(run("tx", "did", "update-did", FIXTURE_DID, f"{FIXTURE_DID}#key1", str(bad), *base,
                     home=tmp_path)) == f'DIDDocument: id:"{FIXTURE_DID}" authentications:"\\n={FIXTURE_DID}#key1" : ' \
        "Invalid DID Document"
    assert error(run("tx", "did", "update-did", VECTOR_DID, f"{VECTOR_DID}#key1", doc, *base, home=tmp_path)) == (
        f"the DID {VECTOR_DID} is not the document id {FIXTURE_DID}: Invalid DID Document")
    assert error(run("tx", "did", "deactivate-did", "did:x", "did:x#key1", *base, home=tmp_path)) == (
        "did: did:x: Invalid DID")
    assert error(run("tx", "did", "deactivate-did", FIXTURE_DID, f"{FIXTURE_DID}# key1", *base, home=tmp_path)) == (
        f"verificationMethodID: {FIXTURE_DID}# key1, did: {FIXTURE_DID}: Invalid VerificationMethodID")


def test_create_did_input_errors(tmp_path: Path) -> None:
    base = ["--keyring-backend", "test", "--node", UNREACHABLE]
    assert error(run("tx", "did", "create-did", *base, home=tmp_path)) == (
        "--from is required: a key name or address from the keyring")
    assert error(run("tx", "did", "create-did", "--from", "a", "--did-key", "a", "--interactive", *base,
                     home=tmp_path)) == "--did-key uses a keyring key: it cannot go with --interactive or --key-name"
    r = run("tx", "did", "create-did", "--from", "a", "--interactive", *base, input="travel broken\n", home=tmp_path)
    assert error(r) == "invalid mnemonic"
    r = run("tx", "did", "create-did", "--from", "a", "--interactive", *base, input=f"{MNEMONIC}\npw\nPW\n",
            home=tmp_path)
    assert error(r) == "passphrases don't match"
    assert error(run("tx", "did", "create-did", "--from", "a", "--did-key", "nobody", *base, home=tmp_path)) == (
        f"key 'nobody' not found in the test keyring ({tmp_path / 'keyring-test'})")
    assert error(run("tx", "did", "create-did", "--from", "a", "--key-name", "bad:name", *base, home=tmp_path)) == (
        "invalid key name 'bad:name': use letters, digits, '_', '.', '-' (max 64)")
    assert not (tmp_path / "keyring-test").exists()


def test_create_did_asks_the_file_keyrings_passphrase_before_the_tx(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PANACEA_KEYRING_PASSPHRASE", raising=False)
    r = run("tx", "did", "create-did", "--from", "a", "--keyring-backend", "file", "--node", UNREACHABLE,
            home=tmp_path)
    assert error(r) == "the file keyring needs a passphrase: set PANACEA_KEYRING_PASSPHRASE"
    assert not (tmp_path / "keyring-file").exists()
