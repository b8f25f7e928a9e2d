"""Store layout of x/auth (SDK 0.45 ``x/auth/types/keys.go``), account type URLs and module account names."""

from __future__ import annotations

from typing import Final

STORE: Final = b"acc/"
ACCOUNT_PREFIX: Final = b"\x01"
ACCOUNT_PREFIX_END: Final = b"\x02"
GLOBAL_ACCOUNT_NUMBER_KEY: Final = b"globalAccountNumber"
PARAMS_KEY: Final = b"\x10params"  # x/params in the SDK (decision 9: each module keeps its own params)

BASE_ACCOUNT_URL: Final = "/cosmos.auth.v1beta1.BaseAccount"
MODULE_ACCOUNT_URL: Final = "/cosmos.auth.v1beta1.ModuleAccount"
SECP256K1_PUBKEY_URL: Final = "/cosmos.crypto.secp256k1.PubKey"
BECH32_PREFIX: Final = "panacea"

FEE_COLLECTOR: Final = "fee_collector"
GOV_MODULE: Final = "gov"
# The module accounts genesis creates, with their permissions.
MODULE_ACCOUNTS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = ((FEE_COLLECTOR, ()), (GOV_MODULE, ("burner",)))
