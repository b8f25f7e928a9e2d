"""x/oracle error registry (codespace ``oracle``, chain-reference §3.14) and plain Go errors."""

from __future__ import annotations

from typing import Final

from panacea.chain.errors import ChainError, register
from panacea.types.grpc_status import INVALID_ARGUMENT, NOT_FOUND

CODESPACE: Final = "oracle"

ErrRegisterOracle = register(CODESPACE, 1, "error while registering a oracle")
ErrGetOracleRegistration = register(CODESPACE, 2, "error while getting a oracle registration", grpc=INVALID_ARGUMENT)
ErrOracleRegistrationNotFound = register(CODESPACE, 3, "oracle registration not found", grpc=NOT_FOUND)
ErrGetOracle = register(CODESPACE, 4, "error while getting a oracle", grpc=INVALID_ARGUMENT)
ErrOracleNotFound = register(CODESPACE, 5, "oracle not found", grpc=NOT_FOUND)
ErrInvalidUniqueID = register(CODESPACE, 6, "invalid unique id", grpc=INVALID_ARGUMENT)
ErrApproveOracleRegistration = register(CODESPACE, 7, "error while approving an oracle registration")
ErrUpdateOracle = register(CODESPACE, 8, "error while updating oracle info")
ErrCommissionNegative = register(CODESPACE, 9, "commission must be positive")
ErrCommissionGTMaxRate = register(CODESPACE, 10, "commission cannot be more than the max rate")
ErrCommissionUpdateTime = register(CODESPACE, 11, "commission cannot be changed more than once in 24h")
ErrCommissionGTMaxChangeRate = register(CODESPACE, 12, "commission cannot be changed more than max change rate")
ErrOracleUpgradeInfoNotFound = register(CODESPACE, 13, "oracle upgrade information not found", grpc=NOT_FOUND)
ErrGetOracleUpgradeInfo = register(CODESPACE, 14, "error while getting oracleUpgradeInfo")
ErrUpgradeOracle = register(CODESPACE, 15, "error while upgrading a oracle")
ErrGetOracleUpgrade = register(CODESPACE, 16, "error while getting oracleUpgrade", grpc=INVALID_ARGUMENT)
ErrApproveOracleUpgrade = register(CODESPACE, 17, "error while approving oracle upgrade")
ErrOracleUpgradeNotFound = register(CODESPACE, 18, "oracle upgrade not found", grpc=NOT_FOUND)

# Go's unregistered errors (fmt.Errorf) surface as codespace "undefined", code 1 (ABCI "internal").
UNDEFINED: Final = "undefined"
INTERNAL_CODE: Final = 1


def plain(text: str) -> ChainError:
    """An unregistered Go error; callers usually re-wrap its ``log`` with a registered error."""
    return ChainError(UNDEFINED, INTERNAL_CODE, text)
