"""Bounded memo tables for pure functions on the hot paths (addresses, keys, decodings, signatures).

A plain dict, emptied when it reaches its limit: cheaper to consult from compiled code than
``functools.lru_cache`` and no GC-tracked bookkeeping per entry. Only what a pure function returned for
a key is ever entered, so what a table holds never changes a result, only the time spent.

Every process-global memo table of the state machine, in one place. Each is safe to share between Apps
in one process (the simulation and the compiled-vs-pure test run several): it is keyed by immutable
values (bytes, str, int), bounded, and its value is a pure function of its key — never of an App's
state (a deal id, an account address alone, a height). Tables that hand out protobuf messages share
them read-only (callers copy, as noted at each). A test runs two Apps with different genesis side by
side (``tests/chain/test_app_memo.py``).

| table (module) | key → value | bound |
|---|---|---|
| ``_decoded`` (chain.modules.auth.keeper) | (stored account bytes, address) → Account (immutable) | 16k, dict |
| ``_pubkey_any`` (auth.keeper) | compressed pubkey → its ``Any`` (shared, copied by callers) | 16k, lru |
| ``_base_account_head`` (auth.keeper) | (address, number, pubkey) → BaseAccount bytes without sequence | 16k, lru |
| ``_amounts`` (bank.keeper) | stored Coin bytes → amount | 16k, dict |
| ``_decoded_deals`` (datadeal.keeper) | stored deal bytes → Deal (private; readers get copies) | 64, dict |
| ``_price_per_data`` (datadeal.keeper) | (budget amount text, max_num_data) → price | 256, lru |
| ``rewards`` (datadeal.keeper) | (price, scaled commission rate) → (provider, oracle) reward | 256, lru |
| ``_scaled_rate`` (datadeal.keeper) | sdk.Dec wire text → scaled integer | 256, lru |
| ``_oracle_public_key`` (oracle.keeper) | base64 param text → parsed PublicKey | 64, lru |
| ``_shared_params`` (oracle.keeper) | stored params bytes → Params (shared read-only) | 64, lru |
| ``_shared_oracle`` (oracle.keeper) | stored oracle bytes → Oracle (shared read-only) | 1k, lru |
| ``prefix_end`` (chain.kv) | key prefix → first key past it | 4k, lru |
| ``_chain_id_field`` (chain.ante) | chain id → its encoded SignDoc field | 64, lru |
| ``_verified_sigs`` (chain.ante) | (pubkey, sign bytes, signature) → True (successes only) | 64k, dict |
| ``_pubkeys`` (chain.ante) | pubkey ``Any`` bytes → (key, account address) | 64k, dict |
| ``_acc_encoded`` / ``_acc_decoded`` (crypto.address) | account address bytes ⇄ bech32 text | 64k, dict |
| ``module_address`` (crypto.address) | module name → SHA256(name)[:20] | 4k, lru |
| ``_cc_keys`` (crypto.signature) | compressed pubkey → parsed coincurve key | 16k, dict |

Not memo tables: ``chain.errors._REGISTRY`` (the error codes registered at import) and
``oracle.validation.PARAM_VALIDATORS`` (a constant table).
"""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


def remember(table: dict[K, V], key: K, value: V, limit: int) -> V:
    """Enter ``key -> value`` (emptying ``table`` first when it holds ``limit`` entries); returns ``value``."""
    if len(table) >= limit:
        table.clear()
    table[key] = value
    return value
