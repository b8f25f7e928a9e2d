"""The enclave seam (oracle-reference §4.1): what the oracle asks of SGX, as an interface a backend fills.

The reference's seven methods become five here: ``identity`` (GenerateSelfEnclaveInfo), ``remote_report``
(GenerateRemoteReport), ``verify_report`` (VerifyRemoteReport), ``seal`` / ``unseal`` (SealWithUniqueKey /
Unseal; the file variants live in :mod:`panacea.oracle.home`). docs/enclave.md says how a real SGX/TDX
backend implements them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

REPORT_DATA_SIZE = 64  # SGX report data is 64 bytes; callers pass at most that
UNIQUE_ID_SIZE = 32  # MRENCLAVE
PRODUCT_ID_SIZE = 16  # ISVPRODID as Open Enclave reports it (2 bytes used, padded to 16)


@dataclass(frozen=True)
class EnclaveIdentity:
    """Who this enclave is: MRENCLAVE-like unique_id, product id and security version (ISVSVN)."""

    unique_id: bytes
    product_id: bytes
    security_version: int

    @property
    def unique_id_hex(self) -> str:
        """The unique_id as the chain and certificates spell it (64 lower-case hex characters)."""
        return self.unique_id.hex()


@dataclass(frozen=True)
class VerifiedReport:
    """What a verified remote report says about the enclave that produced it."""

    identity: EnclaveIdentity
    report_data: bytes  # all 64 bytes


@runtime_checkable
class Enclave(Protocol):
    """A trusted execution environment the oracle runs in (simulated, SGX or TDX)."""

    @property
    def backend(self) -> str:
        """The backend's name as config.toml spells it (``simulated``, ``sgx``…)."""
        ...

    def identity(self) -> EnclaveIdentity:
        """This enclave's own identity, as a report over it would state (GenerateSelfEnclaveInfo)."""
        ...

    def remote_report(self, data: bytes) -> bytes:
        """A report a remote party can verify, binding ``data`` (≤ 64 bytes) to this enclave's identity."""
        ...

    def verify_report(self, report: bytes, expected_data: bytes, expected_unique_id: bytes,
                      expected_product_id: bytes | None = None) -> VerifiedReport:
        """Check a report's signature chain, security version, unique_id, product id and data prefix."""
        ...

    def seal(self, plaintext: bytes) -> bytes:
        """Encrypt so that only this enclave version on this machine can unseal (SealWithUniqueKey)."""
        ...

    def unseal(self, sealed: bytes) -> bytes:
        """Decrypt what ``seal`` produced here; anything else is an EnclaveError."""
        ...
