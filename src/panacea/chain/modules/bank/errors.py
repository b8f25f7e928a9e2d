"""x/bank raises the SDK's root errors (codespace ``sdk``), as ``x/bank`` does in SDK 0.45."""

from __future__ import annotations

from panacea.chain.errors import ErrInsufficientFunds, ErrInvalidCoins, ErrInvalidRequest, ErrNotFound, ErrUnauthorized

__all__ = ["ErrInsufficientFunds", "ErrInvalidCoins", "ErrInvalidRequest", "ErrNotFound", "ErrUnauthorized"]
