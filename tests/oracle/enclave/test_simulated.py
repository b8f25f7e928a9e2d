"""The simulated enclave: identity from the code, reports, verification texts, sealing bound to version and
machine."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from panacea.crypto.keys import PrivateKey
from panacea.oracle.enclave import SimulatedEnclave, report_data_for
from panacea.oracle.enclave.measurement import PACKAGE_ROOT, measure, measured_files, own_measurement
from panacea.oracle.enclave.simulated import PRODUCT_ID
from panacea.oracle.errors import EnclaveError

ATTESTATION = PrivateKey(hashlib.sha256(b"attestation").digest())
SECRET = b"\x05" * 32


def test_identity_is_the_code_measurement(tmp_path: Path) -> None:
    e = SimulatedEnclave(ATTESTATION, SECRET)
    ident = e.identity()
    assert ident.unique_id == own_measurement() == measure(PACKAGE_ROOT)
    assert (len(ident.unique_id_hex), ident.product_id, ident.security_version) == (64, PRODUCT_ID, 1)
    copy = tmp_path / "oracle"
    shutil.copytree(PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    assert measure(copy) == ident.unique_id  # location-independent
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "x.pyc").write_bytes(b"ignored")
    (copy / "notes.txt").write_text("ignored")
    assert measure(copy) == ident.unique_id
    (copy / "validate.py").write_text((copy / "validate.py").read_text() + "\n# a change\n")
    assert SimulatedEnclave(ATTESTATION, SECRET, code_root=copy).identity().unique_id != ident.unique_id
    names = [p.relative_to(copy).as_posix() for p in measured_files(copy)]
    assert names == sorted(names, key=str.encode) and "__init__.py" in names and "enclave/base.py" in names


def test_report_round_trip_and_reference_texts(tmp_path: Path) -> None:
    e = SimulatedEnclave(ATTESTATION, SECRET)
    uid = e.identity().unique_id
    data = report_data_for(PrivateKey(b"\x09" * 32).public_key())
    report = e.remote_report(data)
    verified = e.verify_report(report, data, uid)
    assert verified.identity == e.identity() and verified.report_data == data + bytes(32)
    cases = [
        (report, data, b"\x00" * 32, None, "invalid unique ID in the report"),
        (report, b"\x01" + data[1:], uid, None, "invalid data in the report"),
        (report, data, uid, b"\x02" * 16, "invalid product ID in the report"),
        (report[:-1] + bytes([report[-1] ^ 1]), data, uid, None, "invalid signature of the remote report"),
        (report[:50], data, uid, None, "malformed remote report"),
    ]
    for rep, want_data, want_uid, pid, message in cases:
        with pytest.raises(EnclaveError) as info:
            e.verify_report(rep, want_data, want_uid, pid)
        assert (info.value.message, info.value.status) == (message, 400)
    old = SimulatedEnclave(ATTESTATION, SECRET, security_version=0)
    with pytest.raises(EnclaveError) as info:
        e.verify_report(old.remote_report(data), data, uid)
    assert info.value.message == "invalid security version in the report"
    stranger = SimulatedEnclave(PrivateKey(b"\x03" * 32), SECRET)
    with pytest.raises(EnclaveError) as info:
        e.verify_report(stranger.remote_report(data), data, uid)
    assert info.value.message == "the remote report is not signed by a trusted attestation key"
    trusting = SimulatedEnclave(ATTESTATION, SECRET, trusted_attestation_keys=[stranger.attestation_public_key])
    assert trusting.verify_report(stranger.remote_report(data), data, uid).identity.unique_id == uid
    with pytest.raises(EnclaveError) as info:
        e.remote_report(bytes(65))
    assert info.value.message == "report data is 65 bytes, at most 64 allowed"


def test_sealing_is_bound_to_version_and_machine(tmp_path: Path) -> None:
    e = SimulatedEnclave(ATTESTATION, SECRET)
    sealed = e.seal(b"scalar")
    assert e.unseal(sealed) == b"scalar" and sealed[:4] == b"PSS1" and len(sealed) == 4 + 12 + 6 + 16
    copy = tmp_path / "oracle"
    shutil.copytree(PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "new.py").write_text("# version 2\n")
    for other in (SimulatedEnclave(ATTESTATION, b"\x06" * 32), SimulatedEnclave(ATTESTATION, SECRET, code_root=copy)):
        with pytest.raises(EnclaveError) as info:
            other.unseal(sealed)
        assert info.value.message == "failed to unseal: sealed by another enclave version or on another machine"
    with pytest.raises(EnclaveError) as info:
        e.unseal(b"plain")
    assert info.value.message == "failed to unseal: not a sealed file"
    with pytest.raises(EnclaveError):
        SimulatedEnclave(ATTESTATION, b"short")
    assert repr(e) == f"SimulatedEnclave(unique_id={e.identity().unique_id_hex})"
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(e)
