"""`panacead` keys and DEP helpers, driven through the real command line."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from panacea.cli.panacead import main
from panacea.crypto import aes, jwt
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.crypto.secret import consumer_secret_key, decrypt_from, encrypt_for

ABANDON = "abandon " * 11 + "about"
ABANDON_ADDR = "panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc"
ABANDON_PRIV = "e622b5ca9152e837257d5b54b423d72b9984ab950e4ccb6a219fa18ba7300a5d"
ORACLE = PrivateKey(bytes([7]) * 32)


def run(home: Path, *args: str, input: str | None = None, backend: str = "test") -> Result:
    extra = [] if args[0] == "hash-json" else ["--home", str(home), "--keyring-backend", backend]
    return CliRunner().invoke(main, [*args, *extra], input=input)


@pytest.fixture()
def home(tmp_path: Path) -> Path:
    r = run(tmp_path, "keys", "add", "bob", "--recover", input=ABANDON + "\n")
    assert r.exit_code == 0, r.output
    return tmp_path


def test_recover_gives_reference_address(home: Path) -> None:
    r = run(home, "keys", "show", "bob", "-a")
    assert r.output.strip() == ABANDON_ADDR
    assert run(home, "keys", "export", "bob").output.strip() == ABANDON_PRIV


def test_recover_other_hd_index(tmp_path: Path) -> None:
    r = run(tmp_path, "keys", "recover", "b1", "--index", "1", "-o", "json", input=ABANDON + "\n")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["address"] != ABANDON_ADDR


def test_add_list_show_delete(home: Path) -> None:
    r = run(home, "keys", "add", "alice", "-o", "json")
    assert r.exit_code == 0, r.output
    added = json.loads(r.output)
    assert len(added["mnemonic"].split()) == 24
    listed = json.loads(run(home, "keys", "list", "-o", "json").output)
    assert [k["name"] for k in listed] == ["alice", "bob"]
    assert run(home, "keys", "show", added["address"], "-a").output.strip() == added["address"]
    assert run(home, "keys", "show", "bob", "--bech", "val", "-a").output.strip() == (
        "panaceavaloper16q6g46va64az2gvgsykqzhmp7gvzmqw2qzngvx")
    r = run(home, "keys", "delete", "alice")  # no terminal here: never wait for an answer that cannot come
    assert (r.exit_code, r.output) == (
        1, "Error: not deleting key 'alice': no terminal to confirm on; pass --yes (-y)\n")
    r = run(home, "keys", "delete", "alice", "--yes")
    assert r.exit_code == 0
    assert [k["name"] for k in json.loads(run(home, "keys", "list", "-o", "json").output)] == ["bob"]


def test_key_errors_are_one_line(home: Path) -> None:
    r = run(home, "keys", "add", "bob")
    assert (r.exit_code, r.output) == (1, "Error: key 'bob' already exists\n")
    r = run(home, "keys", "show", "nobody")
    assert r.exit_code == 1 and r.output.startswith("Error: key 'nobody' not found in the test keyring")
    r = run(home, "keys", "add", "x", "--recover", input="abandon abandon\n")
    assert (r.exit_code, r.output) == (1, "Error: invalid mnemonic\n")
    r = run(home, "keys", "add", "bad/name")
    assert r.exit_code == 1 and "invalid key name" in r.output
    r = run(home, "keys", "show", "panacea1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq")
    assert r.exit_code == 1 and r.output.startswith("Error: no key with address")


def test_import_export_round_trip(home: Path, tmp_path: Path) -> None:
    keyfile = tmp_path / "key.hex"
    keyfile.write_text(run(home, "keys", "export", "bob").output)
    other = tmp_path / "other"
    r = run(other, "keys", "import", "imported", str(keyfile))
    assert r.exit_code == 0, r.output
    assert run(other, "keys", "show", "imported", "-a").output.strip() == ABANDON_ADDR
    keyfile.write_text("zz" * 32)
    r = run(other, "keys", "import", "broken", str(keyfile))
    assert r.exit_code == 1 and r.output.startswith("Error: ")


def test_file_backend_needs_the_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PANACEA_KEYRING_PASSPHRASE", "correct horse")
    r = run(tmp_path, "keys", "add", "carol", "--recover", input=ABANDON + "\n", backend="file")
    assert r.exit_code == 0, r.output
    stored = (tmp_path / "keyring-file" / "carol.json").read_text()
    assert ABANDON_PRIV not in stored
    assert run(tmp_path, "keys", "export", "carol", backend="file").output.strip() == ABANDON_PRIV
    monkeypatch.setenv("PANACEA_KEYRING_PASSPHRASE", "wrong")
    r = run(tmp_path, "keys", "export", "carol", backend="file")
    assert (r.exit_code, r.output) == (1, "Error: incorrect passphrase\n")


def test_hash_json(tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    a.write_text('{"b": 1.0, "a": [1e2, "\\u00e9"]}')
    b.write_text('{\n  "a": [100, "é"],\n  "b": 1\n}\n')
    ha = run(tmp_path, "hash-json", str(a)).output.strip()
    assert ha == run(tmp_path, "hash-json", str(b)).output.strip()
    import hashlib

    assert ha == hashlib.sha256('{"a":[100,"é"],"b":1}'.encode()).hexdigest()
    for text, err in [("[1,", "Error: invalid JSON"), ('"s"', "Error: JSON canonicalization requires an object"),
                      ('{"a":1,"a":2}', "Error: Duplicate key: a")]:
        a.write_text(text)
        r = run(tmp_path, "hash-json", str(a))
        assert r.exit_code == 1 and r.output.startswith(err), r.output
    r = run(tmp_path, "hash-json", str(tmp_path / "missing.json"))
    assert r.output == f"Error: file not found: {tmp_path / 'missing.json'}\n"


def test_issue_jwt_verifies_with_the_key(home: Path) -> None:
    r = run(home, "issue-jwt", "1h30m", "--from", "bob")
    assert r.exit_code == 0, r.output
    token = r.output.strip()
    pub = PrivateKey.from_hex(ABANDON_PRIV).public_key()
    claims = jwt.verify(token, pub)
    assert claims["iss"] == ABANDON_ADDR
    assert claims["exp"] == claims["iat"] + 5400 == claims["nbf"] + 5400  # type: ignore[operator]
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "ES256K", "typ": "JWT"}
    r = run(home, "issue-jwt", "10m", "--from", "bob", "--audience", "oracle-1", "--jti")
    claims = jwt.unverified_claims(r.output.strip())
    assert claims["aud"] == "oracle-1" and len(str(claims["jti"])) == 32
    r = run(home, "issue-jwt", "1d", "--from", "bob")
    assert (r.exit_code, r.output) == (1, 'Error: invalid duration "1d"\n')


def test_encrypt_then_oracle_then_decrypt(home: Path, tmp_path: Path) -> None:
    data = b'{"name": "alice", "age": 30}'
    (tmp_path / "data.json").write_bytes(data)
    opk = ORACLE.public_key().to_base64()
    r = run(home, "encrypt-data", str(tmp_path / "data.json"), "bob", "--oracle-pubkey", opk)
    assert r.exit_code == 0, r.output
    container = base64.b64decode(r.output.strip())
    provider = PrivateKey.from_hex(ABANDON_PRIV)
    # the oracle side: decrypt with its key and the provider's public key, re-encrypt for the consumer
    assert decrypt_from(ORACLE, provider.public_key(), container) == data
    data_hash = "ab" * 32
    secret = consumer_secret_key(ORACLE, 1, data_hash)
    (tmp_path / "stored.bin").write_bytes(aes.encrypt(secret, data))
    esk = base64.b64encode(encrypt_for(ORACLE, provider.public_key(), secret)).decode()
    r = run(home, "decrypt-data", str(tmp_path / "stored.bin"), "bob", esk, "--oracle-pubkey", opk)
    assert (r.exit_code, r.output) == (0, data.decode() + "\n")


def test_crypto_helper_bad_inputs(home: Path, tmp_path: Path) -> None:
    (tmp_path / "d.json").write_text("{}")
    opk = ORACLE.public_key().to_base64()
    cases = [
        (["encrypt-data", str(tmp_path / "d.json"), "bob", "--oracle-pubkey", "abc"],
         "Error: oracle public key is not valid base64\n"),
        (["encrypt-data", str(tmp_path / "d.json"), "bob", "--oracle-pubkey", "AAAA"],
         "Error: invalid secp256k1 public key\n"),
        (["decrypt-data", str(tmp_path / "d.json"), "bob", "!!", "--oracle-pubkey", opk],
         "Error: encrypted secret key is not valid base64\n"),
        (["decrypt-data", str(tmp_path / "d.json"), "bob", "AAAA", "--oracle-pubkey", opk],
         "Error: ciphertext too short: 3 bytes (need at least 28)\n"),
    ]
    for args, expected in cases:
        r = run(home, *args)
        assert (r.exit_code, r.output) == (1, expected), args
    esk = base64.b64encode(encrypt_for(ORACLE, PublicKey.from_base64(opk), bytes(16))).decode()
    r = run(home, "decrypt-data", str(tmp_path / "d.json"), "bob", esk, "--oracle-pubkey", opk)
    assert r.exit_code == 1 and r.output.startswith("Error: failed to decrypt")


def test_unreachable_node_is_one_line_without_traceback(home: Path, tmp_path: Path) -> None:
    (tmp_path / "d.json").write_text("{}")
    proc = subprocess.run(
        [sys.executable, "-m", "panacea.cli.panacead", "encrypt-data", str(tmp_path / "d.json"), "bob",
         "--home", str(home), "--keyring-backend", "test", "--node", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error: cannot reach node tcp://127.0.0.1:9:")



def test_q_is_query() -> None:
    q, query = CliRunner().invoke(main, ["q", "--help"]), CliRunner().invoke(main, ["query", "--help"])
    assert (q.exit_code, query.exit_code) == (0, 0)
    assert q.output.split("\n", 1)[1] == query.output.split("\n", 1)[1]  # all but the usage line
