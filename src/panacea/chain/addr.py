"""Bech32 account addresses as the chain reads them (``sdk.AccAddressFromBech32``)."""

from __future__ import annotations

from panacea.chain.errors import ChainError, ErrInvalidAddress
from panacea.crypto.address import ACC_HRP, bech32_decode, bech32_encode
from panacea.crypto.errors import CryptoError


def parse(address: str) -> bytes:
    """Raises ``CryptoError`` with the SDK's text ("empty address string is not allowed", …)."""
    return bech32_decode(address, ACC_HRP)


def parse_or(address: str, error: ChainError | None = None, detail: str = "") -> bytes:
    """Parse or raise ``ErrInvalidAddress`` (or ``error``) wrapped with ``detail (cause)``."""
    try:
        return bech32_decode(address, ACC_HRP)
    except CryptoError as e:
        text = f"{detail} ({e})" if detail else str(e)
        raise (error.wrap(text) if error is not None else ErrInvalidAddress.wrap(text)) from None


def valid(address: str) -> bool:
    try:
        bech32_decode(address, ACC_HRP)
    except CryptoError:
        return False
    return True


def encode(address: bytes) -> str:
    return bech32_encode(ACC_HRP, address)
