"""The ``simulated`` enclave backend: no hardware, the same guarantees in shape (oracle-reference §4.1, §10.4).

- unique_id: the SHA-256 measurement of the oracle package's code (:mod:`.measurement`), like MRENCLAVE;
  product id ``01 00…00`` (16 bytes) and security version 1, as the reference manifest sets them.
- Reports are signed by a local *attestation key* standing in for the platform's quoting key; a verifier
  trusts its own attestation key and the public keys configured in ``[enclave] trusted-attestation-keys``.
  Layout: ``b"PSR1" ‖ unique_id(32) ‖ product_id(16) ‖ BE16(svn) ‖ report_data(64) ‖ attestation_pub(33) ‖
  DER(ECDSA-secp256k1 over SHA-256 of everything before it)``.
- Sealing: AES-256-GCM under ``HKDF-SHA256(machine secret, salt = unique_id, info = "panacea-oracle-seal-v1")``
  with AAD ``b"PSS1" ‖ unique_id``; the blob is ``b"PSS1" ‖ nonce ‖ ciphertext ‖ tag``. Another code version
  (another unique_id) or another machine secret cannot unseal it, as with SGX's MRENCLAVE sealing.

Departure: the reference does not check the product id of a report; ``verify_report`` does (docs/decisions.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

import coincurve
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from panacea.crypto import aes
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PrivateKey, PublicKey, cc_private
from panacea.oracle.enclave.base import (
    PRODUCT_ID_SIZE,
    REPORT_DATA_SIZE,
    UNIQUE_ID_SIZE,
    EnclaveIdentity,
    VerifiedReport,
)
from panacea.oracle.enclave.measurement import PACKAGE_ROOT, measure, own_measurement
from panacea.oracle.errors import Category, EnclaveError

REPORT_MAGIC = b"PSR1"
SEAL_MAGIC = b"PSS1"
SEAL_INFO = b"panacea-oracle-seal-v1"
PRODUCT_ID = b"\x01" + b"\x00" * (PRODUCT_ID_SIZE - 1)
SECURITY_VERSION = 1
_BODY_SIZE = len(REPORT_MAGIC) + UNIQUE_ID_SIZE + PRODUCT_ID_SIZE + 2 + REPORT_DATA_SIZE + 33


def _bad_report(message: str) -> EnclaveError:
    return EnclaveError(message, Category.BAD_REQUEST)


class SimulatedEnclave:
    """An Enclave without hardware: measurement of the code, a local attestation key, a machine secret."""

    backend = "simulated"

    def __init__(self, attestation_key: PrivateKey, machine_secret: bytes, *,
                 trusted_attestation_keys: Iterable[PublicKey] = (), code_root: Path | None = None,
                 product_id: bytes = PRODUCT_ID, security_version: int = SECURITY_VERSION) -> None:
        if len(machine_secret) < 32:
            raise EnclaveError("the machine secret must be at least 32 bytes")
        unique_id = own_measurement() if code_root is None or code_root == PACKAGE_ROOT else measure(code_root)
        self._identity = EnclaveIdentity(unique_id, product_id, security_version)
        self.__attestation = attestation_key
        self._attestation_pub = attestation_key.public_key().compressed
        self._trusted = {self._attestation_pub, *(k.compressed for k in trusted_attestation_keys)}
        self.__seal_key = HKDF(hashes.SHA256(), 32, unique_id, SEAL_INFO).derive(machine_secret)

    def __repr__(self) -> str:
        return f"SimulatedEnclave(unique_id={self._identity.unique_id_hex})"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("an enclave cannot be pickled")

    @property
    def attestation_public_key(self) -> PublicKey:
        """The key verifiers must trust to accept this enclave's reports."""
        return PublicKey(self._attestation_pub)

    def identity(self) -> EnclaveIdentity:
        """unique_id = the code measurement; product id and security version as the reference manifest."""
        return self._identity

    def remote_report(self, data: bytes) -> bytes:
        """A signed report binding ``data`` (zero-padded to 64 bytes) to this enclave's identity."""
        if len(data) > REPORT_DATA_SIZE:
            raise EnclaveError(f"report data is {len(data)} bytes, at most {REPORT_DATA_SIZE} allowed",
                               Category.BAD_REQUEST)
        ident = self._identity
        body = (REPORT_MAGIC + ident.unique_id + ident.product_id + ident.security_version.to_bytes(2, "big")
                + data.ljust(REPORT_DATA_SIZE, b"\x00") + self._attestation_pub)
        return body + bytes(cc_private(self.__attestation.secret).sign(body))  # SHA-256, RFC 6979

    def verify_report(self, report: bytes, expected_data: bytes, expected_unique_id: bytes,
                      expected_product_id: bytes | None = None) -> VerifiedReport:
        """VerifyRemoteReport with the reference texts; product id defaults to this enclave's own."""
        body, signature = report[:_BODY_SIZE], report[_BODY_SIZE:]
        if len(body) != _BODY_SIZE or not body.startswith(REPORT_MAGIC) or not signature:
            raise _bad_report("malformed remote report")
        at = len(REPORT_MAGIC)
        unique_id, at = body[at:at + UNIQUE_ID_SIZE], at + UNIQUE_ID_SIZE
        product_id, at = body[at:at + PRODUCT_ID_SIZE], at + PRODUCT_ID_SIZE
        svn, at = int.from_bytes(body[at:at + 2], "big"), at + 2
        data, at = body[at:at + REPORT_DATA_SIZE], at + REPORT_DATA_SIZE
        signer = body[at:]
        if signer not in self._trusted:
            raise _bad_report("the remote report is not signed by a trusted attestation key")
        try:
            ok = coincurve.PublicKey(signer).verify(signature, body)
        except (ValueError, TypeError):
            ok = False
        if not ok:
            raise _bad_report("invalid signature of the remote report")
        if svn < 1:
            raise _bad_report("invalid security version in the report")
        if unique_id != expected_unique_id:
            raise _bad_report("invalid unique ID in the report")
        if product_id != (self._identity.product_id if expected_product_id is None else expected_product_id):
            raise _bad_report("invalid product ID in the report")
        if data[:len(expected_data)] != expected_data:
            raise _bad_report("invalid data in the report")
        return VerifiedReport(EnclaveIdentity(unique_id, product_id, svn), data)

    def seal(self, plaintext: bytes) -> bytes:
        """AES-GCM under the key bound to unique_id and the machine secret."""
        return SEAL_MAGIC + aes.encrypt(self.__seal_key, plaintext, SEAL_MAGIC + self._identity.unique_id)

    def unseal(self, sealed: bytes) -> bytes:
        """Open a blob sealed by this code version on this machine."""
        if not sealed.startswith(SEAL_MAGIC):
            raise EnclaveError("failed to unseal: not a sealed file")
        try:
            return aes.decrypt(self.__seal_key, sealed[len(SEAL_MAGIC):], SEAL_MAGIC + self._identity.unique_id)
        except CryptoError:
            raise EnclaveError("failed to unseal: sealed by another enclave version or on another machine") from None


def report_data_for(public_key: PublicKey) -> bytes:
    """What a key's report binds: SHA256(33-byte compressed pubkey) (oracle-reference §2.1)."""
    return hashlib.sha256(public_key.compressed).digest()
