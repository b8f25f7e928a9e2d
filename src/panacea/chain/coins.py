"""Coins for the state machine: the wire value lives in :mod:`panacea.types.coins` (the client shares it)."""

from __future__ import annotations

from panacea.types.coins import DENOM, Coin, coins_str, parse_amount, parse_coins, valid_denom

__all__ = ["DENOM", "Coin", "coins_str", "parse_amount", "parse_coins", "valid_denom"]
