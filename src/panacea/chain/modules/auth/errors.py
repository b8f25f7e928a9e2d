"""x/auth raises the SDK's root errors (codespace ``sdk``), as ``x/auth`` does in SDK 0.45."""

from __future__ import annotations

from panacea.chain.errors import ErrInvalidRequest, ErrNotFound

__all__ = ["ErrInvalidRequest", "ErrNotFound"]
