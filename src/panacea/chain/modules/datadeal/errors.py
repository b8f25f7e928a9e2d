"""x/datadeal error registry (codespace ``datadeal``, spec §2.12)."""

from __future__ import annotations

from typing import Final

from panacea.chain.errors import register
from panacea.types.grpc_status import NOT_FOUND

CODESPACE: Final = "datadeal"

ErrDealNotInitialized = register(CODESPACE, 1, "deal has not been initialized")
ErrDealAlreadyExist = register(CODESPACE, 2, "deal already exist")
ErrDealNotFound = register(CODESPACE, 3, "deal is not found", grpc=NOT_FOUND)
ErrGetDeal = register(CODESPACE, 4, "error while get deal")
ErrConsentNotFound = register(CODESPACE, 5, "consent is not found", grpc=NOT_FOUND)
ErrGetConsent = register(CODESPACE, 6, "error while get consent")
ErrSubmitConsent = register(CODESPACE, 7, "error while submit consent")
ErrDeactivateDeal = register(CODESPACE, 8, "error while deactivate deal")


class Rejection(Exception):
    """Why a keeper step refused a consent or deactivation; the caller wraps the text in its registered error."""
