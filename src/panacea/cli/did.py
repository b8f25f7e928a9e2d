"""``panacead tx did create-did|update-did|deactivate-did`` and ``panacead query did get-did`` (did-reference §7).

Departures from the reference CLI (docs/decisions.md "DIDs"): DID keys live in our keyring, not a Web3 keystore
directory (portable file names); ``create-did --did-key NAME`` uses a key already there; a new key is saved only
after the tx succeeded; update and deactivate find the key of KEY_ID by its public key in the current document.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import Any

import click
from google.protobuf.message import Message

from panacea.chain.errors import ChainError
from panacea.chain.modules.did.errors import ErrInvalidDID, ErrInvalidVerificationMethodID
from panacea.chain.modules.did.msgs import validate_document
from panacea.chain.modules.did.validation import validate_did, validate_verification_method_id
from panacea.cli.common import open_keyring, print_json, read_text_file
from panacea.cli.query import query_options
from panacea.cli.tx import broadcast, tx_options
from panacea.client.keyring import PASSPHRASE_ENV, Keyring, KeyringError
from panacea.client.types import TxResponse
from panacea.crypto.keys import PrivateKey
from panacea.types.did_json import document_from_json, with_seq_to_json
from panacea.types.pb.panacea.did.v2 import did_pb2


# --- syntax and the document file (did-reference §1.1, §2: the chain's rules and texts) ---------------------------
def _fail(error: ChainError) -> click.ClickException:
    return click.ClickException(error.log)


def parse_did(value: str) -> str:
    """``ParseDID``: the DID, or the reference's error "did: <value>: Invalid DID"."""
    if not validate_did(value):
        raise _fail(ErrInvalidDID.wrap(f"did: {value}"))
    return value


def parse_method_id(value: str, did: str) -> str:
    """``ParseVerificationMethodID``: ``<did>#<suffix>`` (1..128 bytes, no whitespace) or the reference's error."""
    if not validate_verification_method_id(value, did):
        raise _fail(ErrInvalidVerificationMethodID.wrap(f"verificationMethodID: {value}, did: {did}"))
    return value


def read_did_doc(path: str, did: str | None = None) -> did_pb2.DIDDocument:
    """``readDIDDocFrom``: the document in the JSON file at ``path`` (either key style); a decode failure is the
    reference's "fail to decode DIDDocument JSON: …". With ``did``: also the chain's document checks for an
    update of that DID (``Valid``, and our departures: the id is the DID, no method id twice)."""
    text = read_text_file(path)
    try:
        doc = document_from_json(json.loads(text))
    except (ValueError, RecursionError) as e:
        raise click.ClickException(f"fail to decode DIDDocument JSON: {e}") from None
    if did is not None:
        try:
            validate_document(did, doc, reference_compat=False)
        except ChainError as e:
            raise _fail(e) from None
    return doc


# --- keys -----------------------------------------------------------------------------------------------------------
Reader = Callable[[str, bool], str]


def read_bip39_params(interactive: bool, read: Reader) -> tuple[str, str]:
    """``readBIP39ParamsFrom``: (mnemonic, passphrase), both empty when not interactive (a mnemonic is made)."""
    from panacea.crypto.hd import validate_mnemonic

    if not interactive:
        return "", ""
    mnemonic = " ".join(read("Enter your BIP39 mnemonic, or hit enter to generate one", True).split())
    if mnemonic:
        try:
            validate_mnemonic(mnemonic)
        except ValueError:
            raise click.ClickException("invalid mnemonic") from None
    passphrase = read("Enter your BIP39 passphrase, or hit enter", True)
    if passphrase and read("Repeat the passphrase", True) != passphrase:
        raise click.ClickException("passphrases don't match")
    return mnemonic, passphrase


def did_private_key(mnemonic: str, passphrase: str) -> tuple[PrivateKey, str]:
    """``GenSecp256k1PrivKey``: the key at m/44'/371'/0'/0/0 and the mnemonic generated for it ("" if given).
    Departure: an invalid mnemonic is not echoed in the error (it is key material)."""
    from panacea.crypto.errors import CryptoError
    from panacea.crypto.hd import derive_private_key, generate_mnemonic

    generated = "" if mnemonic else generate_mnemonic(24)
    try:
        return derive_private_key(mnemonic or generated, passphrase=passphrase), generated
    except CryptoError:
        raise click.ClickException("invalid mnemonic") from None


def _prompt(text: str, secret: bool) -> str:
    value: str = click.prompt(text, default="", show_default=False, hide_input=secret, err=True)
    return value


def _save_passphrase(backend: str) -> Callable[[bool], str]:
    """The passphrase a new DID key is sealed with (file keyring), asked before the tx so that nothing is asked
    after it: PANACEA_KEYRING_PASSPHRASE, else the reference's two prompts on a terminal."""
    if backend != "file" or os.environ.get(PASSPHRASE_ENV) is not None:
        return lambda _new: os.environ.get(PASSPHRASE_ENV, "")
    if not sys.stdin.isatty():
        raise KeyringError(f"the file keyring needs a passphrase: set {PASSPHRASE_ENV}")
    first = click.prompt("Enter a password to encrypt your key for DID to disk", hide_input=True, err=True)
    if click.prompt("Repeat the password", hide_input=True, err=True) != first:
        raise click.ClickException("passphrases don't match")
    if len(first) < 8:
        raise KeyringError("passphrase must be at least 8 characters")
    return lambda _new: str(first)


def _stored_as(keyring: Keyring, public_key: bytes) -> str | None:
    """The name of the keyring key with this 33-byte public key, if any."""
    return next((info.name for info in keyring.list() if info.pubkey.compressed == public_key), None)


def _free_name(keyring: Keyring, name: str) -> None:
    """A new key can be saved as ``name`` after the tx: a valid name that no key has."""
    try:
        keyring.show(name)
    except KeyringError as e:
        if "not found" in str(e):
            return
        raise
    raise KeyringError(f"key {name!r} already exists")


def _method_key(keyring: Keyring, did_key: str | None, current: did_pb2.DIDDocument, method_id: str) -> PrivateKey:
    """The private key of ``method_id``, an authentication method of the current document: the keyring key
    ``did_key``, else the keyring key holding that method's public key."""
    from panacea.client.did import authentication_method, method_public_key

    method = authentication_method(current, method_id)
    if method is None:
        raise click.ClickException(f"VerificationMethodId: {method_id}: VerificationMethodID not found")
    public = method_public_key(method)
    if did_key is not None:
        key = keyring.private_key(did_key)
        if key.public_key().compressed != public:
            raise click.ClickException(f"key {did_key!r} is not the key of {method_id}")
        return key
    name = _stored_as(keyring, public)
    if name is None:
        raise click.ClickException(
            f"no key in the {keyring.backend} keyring holds the key of {method_id} "
            f"({method.public_key_base58}): add it with "
            "'panacead keys add NAME --recover' or 'panacead keys import', or pass --did-key NAME")
    return keyring.private_key(name)


def _current(opts: dict[str, Any], did: str) -> did_pb2.DIDDocumentWithSeq:
    from panacea.client.sync import ChainClient

    with ChainClient(opts["node"], opts["chain_id"]) as client:
        return client.did(did)


# --- tx did -------------------------------------------------------------------------------------------------------
_DID_KEY = click.option("--did-key", metavar="NAME",
                        help="keyring key that signs as the DID (default: the keyring key holding KEY_ID's public key)")


@click.group("did", short_help="DID transactions.")
def did_tx() -> None:
    """DID transactions: create, update and deactivate did:panacea documents."""


@did_tx.command("create-did", short_help="Create a DID for a new or keyring key.")
@click.option("--did-key", metavar="NAME", help="create the DID of this keyring key instead of a new key")
@click.option("--interactive", is_flag=True, help="prompt for the BIP39 mnemonic and passphrase of the new key")
@click.option("--key-name", metavar="NAME", help="keyring name for the new key [default: the DID without did:panacea:]")
@tx_options
def create_did(did_key: str | None, interactive: bool, key_name: str | None, **opts: Any) -> None:
    """Create a DID whose document holds one key, #key1 (signed with it at sequence 0).

    The key is --did-key from the keyring, or a new one from a fresh mnemonic (printed once) or from the
    mnemonic and passphrase --interactive asks for (HD path m/44'/371'/0'/0/0). A new key is saved to the
    keyring only once the tx succeeded."""
    from panacea.client.did import create_did_msg
    from panacea.crypto.did import did_for_key

    if not opts["from_"]:  # before a mnemonic is made and printed
        raise click.ClickException("--from is required: a key name or address from the keyring")
    if did_key is not None and (interactive or key_name is not None):
        raise click.ClickException("--did-key uses a keyring key: it cannot go with --interactive or --key-name")
    keyring = open_keyring(opts["home"], opts["keyring_backend"])
    if key_name is not None:
        _free_name(keyring, key_name)
    existing: str | None
    if did_key is not None:
        key, existing = keyring.private_key(did_key), keyring.find(did_key).name
    else:
        key, generated = did_private_key(*read_bip39_params(interactive, _prompt))
        if generated:
            click.echo(f"A random mnemonic was generated: {generated}", err=True)
        existing = _stored_as(keyring, key.public_key().compressed)
    did = did_for_key(key.public_key())
    name = existing or key_name or did.removeprefix("did:panacea:")
    saver = None
    if existing is None:
        _free_name(keyring, name)
        saver = Keyring(opts["home"], keyring.backend, passphrase=_save_passphrase(keyring.backend))
    msg = create_did_msg(key, "")

    def build(me: str) -> list[Message]:
        msg.from_address = me
        return [msg]

    def saved(_result: TxResponse) -> dict[str, object]:
        if saver is not None:
            try:
                saver.import_private_key(name, key.to_hex())
            except (KeyringError, OSError) as e:
                raise click.ClickException(f"{did} was created, but its key could not be saved as {name!r}: {e}"
                                           ) from None
        return {"did": did, "verification_method_id": msg.verification_method_id, "did_key": name}

    broadcast(opts, build, extra=saved)


@did_tx.command("update-did", short_help="Replace a DID's document.")
@click.argument("did")
@click.argument("key_id")
@click.argument("did_doc_path")
@_DID_KEY
@tx_options
def update_did(did: str, key_id: str, did_doc_path: str, did_key: str | None, **opts: Any) -> None:
    """Replace the document of DID with the one in DID_DOC_PATH (JSON, snake_case or W3C keys).

    KEY_ID is the full id (<did>#key1) of an authentication method of the current document; the new document
    is signed with its key at the DID's current sequence."""
    from panacea.client.did import update_did_msg

    did = parse_did(did)
    method_id = parse_method_id(key_id, did)
    doc = read_did_doc(did_doc_path, did)

    def build(me: str) -> list[Message]:
        current = _current(opts, did)
        key = _method_key(open_keyring(opts["home"], opts["keyring_backend"]), did_key, current.document, method_id)
        return [update_did_msg(did, method_id, key, doc, current.sequence, me)]

    broadcast(opts, build)


@did_tx.command("deactivate-did", short_help="Deactivate a DID for good.")
@click.argument("did")
@click.argument("key_id")
@_DID_KEY
@tx_options
def deactivate_did(did: str, key_id: str, did_key: str | None, **opts: Any) -> None:
    """Deactivate DID for good (it can never be created again), signed with the key of KEY_ID (<did>#key1), an
    authentication method of the current document."""
    from panacea.client.did import deactivate_did_msg

    did = parse_did(did)
    method_id = parse_method_id(key_id, did)

    def build(me: str) -> list[Message]:
        current = _current(opts, did)
        key = _method_key(open_keyring(opts["home"], opts["keyring_backend"]), did_key, current.document, method_id)
        return [deactivate_did_msg(did, method_id, key, current.sequence, me)]

    broadcast(opts, build)


# --- query did ----------------------------------------------------------------------------------------------------
@click.group("did")
def did_query() -> None:
    """DID documents."""


@did_query.command("get-did", short_help="Show a DID's document and sequence.")
@click.argument("did")
@query_options
def get_did(did: str, **opts: Any) -> None:
    """Show the document of DID and its sequence (JSON, as the REST API: snake_case keys)."""
    from panacea.client.queries import did as did_queries
    from panacea.client.sync import ChainClient

    with ChainClient(opts["node"]) as client:
        found = client.run(did_queries.did(parse_did(did)), opts["height"])
    print_json({"did_document_with_seq": with_seq_to_json(found)})
