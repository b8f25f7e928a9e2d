"""Store layout of x/datadeal (spec §2.2) and the deal escrow address."""

from __future__ import annotations

from typing import Final

from panacea.crypto.address import module_address

MODULE_NAME: Final = "datadeal"
STORE: Final = b"datadeal/"
NEXT_DEAL_NUMBER_KEY: Final = b"\x01"
DEAL_PREFIX: Final = b"\x02"
CONSENT_PREFIX: Final = b"\x03"
KEY_INDEX_SEPARATOR: Final = b"\xff"


def deal_key(deal_id: int) -> bytes:
    return DEAL_PREFIX + deal_id.to_bytes(8, "big")


def consents_prefix(deal_id: int) -> bytes:
    return CONSENT_PREFIX + deal_id.to_bytes(8, "big")


def consent_key(deal_id: int, data_hash: str) -> bytes:
    return consents_prefix(deal_id) + KEY_INDEX_SEPARATOR + data_hash.encode()


def deal_account_name(deal_id: int) -> str:
    return f"deal{deal_id}"


def deal_address(deal_id: int) -> bytes:
    """The escrow account of a deal: ``SHA256("deal<id>")[:20]``."""
    return module_address(deal_account_name(deal_id))
