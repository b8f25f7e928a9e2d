"""`oracled verify-report FILE`: oracle_pub_key.json, base64 or raw reports, verified with this home's enclave
(its own and the configured attestation keys); each failure is the reference's text on one line, exit 1."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

from click.testing import CliRunner

from panacea.cli import oracled
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.oracle.enclave import SimulatedEnclave
from panacea.oracle.home import OracleHome


def _run(home: Path, *args: str) -> tuple[int, str]:
    r = CliRunner().invoke(oracled.main, ["--home", str(home), *args])
    return r.exit_code, r.output


def _genesis(root: Path) -> tuple[OracleHome, PublicKey, bytes]:
    assert _run(root, "init")[0] == 0
    assert _run(root, "gen-oracle-key")[0] == 0
    home = OracleHome(root)
    doc = json.loads(home.oracle_pub_key_file.read_text())
    return home, PublicKey.from_base64(doc["public_key_base64"]), base64.b64decode(doc["remote_report_base64"])


def _valid(uid: str, data: bytes) -> str:
    return (f"the remote report is valid\nunique ID: {uid}\nproduct ID: {'01' + '00' * 15}\nsecurity version: 1\n"
            f"report data: {data.hex()}{'00' * (64 - len(data))}\n")


def _attestation_key(home: OracleHome) -> PrivateKey:
    return PrivateKey(home.file(home.config.enclave.attestation_key_file).read_bytes())


def _machine_secret(home: OracleHome) -> bytes:
    return home.file(home.config.enclave.machine_secret_file).read_bytes()


def test_verify_the_oracle_pub_key_file_and_other_forms(tmp_path: Path) -> None:
    home, pub, report = _genesis(tmp_path / "o")
    uid = home.open_enclave().identity().unique_id_hex
    digest = hashlib.sha256(pub.compressed).digest()
    assert _run(home.root, "verify-report", str(home.oracle_pub_key_file)) == (0, _valid(uid, digest))
    b64 = tmp_path / "report.b64"
    b64.write_text(base64.b64encode(report).decode() + "\n")
    raw = tmp_path / "report.bin"
    raw.write_bytes(report)
    for file in (b64, raw):  # without the public key, the data is checked only when --data is given
        assert _run(home.root, "verify-report", str(file)) == (0, _valid(uid, digest))
        assert _run(home.root, "verify-report", str(file), "--data", digest.hex(), "--unique-id", uid) == (
            0, _valid(uid, digest))
        assert _run(home.root, "verify-report", str(file), "--data", "00" + digest.hex()[2:]) == (
            1, "Error: invalid data in the report\n")


def test_each_failure(tmp_path: Path) -> None:
    home, _, report = _genesis(tmp_path / "o")
    file = home.oracle_pub_key_file

    def verify(content: bytes, *args: str) -> tuple[int, str]:
        path = tmp_path / "r.bin"
        path.write_bytes(content)
        return _run(home.root, "verify-report", str(path), *args)

    assert _run(home.root, "verify-report", str(file), "--unique-id", "ab" * 32) == (
        1, "Error: invalid unique ID in the report\n")
    assert _run(home.root, "verify-report", str(file), "--data", "00" * 32) == (
        1, "Error: invalid data in the report\n")
    tampered = report[:-1] + bytes([report[-1] ^ 1])
    assert verify(tampered) == (1, "Error: invalid signature of the remote report\n")
    assert verify(b"hello") == (1, "Error: malformed remote report\n")
    key, secret = _attestation_key(home), _machine_secret(home)
    old = SimulatedEnclave(key, secret, security_version=0).remote_report(b"")
    assert verify(old) == (1, "Error: invalid security version in the report\n")
    other_product = SimulatedEnclave(key, secret, product_id=b"\x02" + bytes(15)).remote_report(b"")
    assert verify(other_product) == (1, "Error: invalid product ID in the report\n")
    # a report of another machine verifies once its attestation key is trusted
    stranger, _, foreign = _genesis(tmp_path / "other")
    assert verify(foreign) == (1, "Error: the remote report is not signed by a trusted attestation key\n")
    config = home.config_file.read_text()
    trusted = base64.b64encode(_attestation_key(stranger).public_key().compressed).decode()
    home.config_file.write_text(config.replace("trusted-attestation-keys = []",
                                               f'trusted-attestation-keys = ["{trusted}"]'))
    assert verify(foreign)[0] == 0


def test_bad_input(tmp_path: Path) -> None:
    home, _, _ = _genesis(tmp_path / "o")
    missing = tmp_path / "none.json"
    assert _run(home.root, "verify-report", str(missing)) == (
        1, f"Error: cannot read {missing}: No such file or directory\n")
    bad = tmp_path / "bad.json"
    bad.write_text('{"public_key_base64": "x"}')
    assert _run(home.root, "verify-report", str(bad)) == (
        1, f"Error: {bad}: expected oracle_pub_key.json's public_key_base64 and remote_report_base64\n")
    assert _run(home.root, "verify-report", str(home.oracle_pub_key_file), "--data", "zz") == (
        1, "Error: invalid --data: not hex\n")
