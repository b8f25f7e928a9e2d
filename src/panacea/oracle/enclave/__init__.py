"""The enclave seam (oracle-reference §4.1, §4.3): the ``Enclave`` interface, its ``simulated`` backend and
the keys that live inside it. docs/enclave.md: how an SGX/TDX backend plugs in."""

from panacea.oracle.enclave.base import (
    PRODUCT_ID_SIZE,
    REPORT_DATA_SIZE,
    UNIQUE_ID_SIZE,
    Enclave,
    EnclaveIdentity,
    VerifiedReport,
)
from panacea.oracle.enclave.keys import EnclaveKey
from panacea.oracle.enclave.simulated import SimulatedEnclave, report_data_for

__all__ = [
    "PRODUCT_ID_SIZE", "REPORT_DATA_SIZE", "UNIQUE_ID_SIZE", "Enclave", "EnclaveIdentity", "EnclaveKey",
    "SimulatedEnclave", "VerifiedReport", "report_data_for",
]
