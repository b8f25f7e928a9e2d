"""Store layout of x/gov: under ``b"gov/"`` (SDK 0.45 ``types/keys.go``; values are bare protobuf like the SDK's
``cdc.MustMarshal``, not length-prefixed):

| key | value |
|---|---|
| ``0x00 ‖ BE64(id)`` | Proposal |
| ``0x01 ‖ BE64(voting_end_ns) ‖ BE64(id)`` | BE64(id) — active queue |
| ``0x02 ‖ BE64(deposit_end_ns) ‖ BE64(id)`` | BE64(id) — inactive queue |
| ``0x03`` | BE64(next proposal id) |
| ``0x10 ‖ BE64(id) ‖ len(addr) ‖ addr`` | Deposit |
| ``0x20 ‖ BE64(id) ‖ len(addr) ‖ addr`` | Vote |
| ``0x30`` / ``0x31`` / ``0x32`` | DepositParams / VotingParams / TallyParams (x/params in the SDK) |
| ``0x40 ‖ len(addr) ‖ addr`` | validator voting power, ASCII decimal (departure: no staking) |

Queue times are ``ctx.time_ns`` values (the SDK keys them by ``sdk.FormatTimeBytes``).
"""

from __future__ import annotations

from typing import Final

from panacea.chain.modules.auth.keys import FEE_COLLECTOR as FEE_COLLECTOR
from panacea.chain.modules.auth.keys import GOV_MODULE as GOV_MODULE

MODULE_NAME: Final = "gov"  # = auth GOV_MODULE, the name of its module account
STORE: Final = b"gov/"
PROPOSALS_PREFIX: Final = b"\x00"
ACTIVE_QUEUE_PREFIX: Final = b"\x01"
INACTIVE_QUEUE_PREFIX: Final = b"\x02"
PROPOSAL_ID_KEY: Final = b"\x03"
DEPOSITS_PREFIX: Final = b"\x10"
VOTES_PREFIX: Final = b"\x20"
DEPOSIT_PARAMS_KEY: Final = b"\x30"
VOTING_PARAMS_KEY: Final = b"\x31"
TALLY_PARAMS_KEY: Final = b"\x32"
VALIDATORS_PREFIX: Final = b"\x40"

GOV_PERMISSIONS: Final = ("burner",)


def be64(n: int) -> bytes:
    return n.to_bytes(8, "big")


def length_prefixed(address: bytes) -> bytes:
    return bytes([len(address)]) + address


def proposal_key(proposal_id: int) -> bytes:
    return PROPOSALS_PREFIX + be64(proposal_id)


def deposits_prefix(proposal_id: int) -> bytes:
    return DEPOSITS_PREFIX + be64(proposal_id)


def votes_prefix(proposal_id: int) -> bytes:
    return VOTES_PREFIX + be64(proposal_id)
