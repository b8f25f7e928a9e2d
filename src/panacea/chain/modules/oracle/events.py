"""x/oracle event types and attribute keys (chain-reference §3.5–§3.9); attribute order is part of the API."""

from __future__ import annotations

from typing import Final

from panacea.chain.events import Event, module_message
from panacea.chain.modules.oracle.keys import MODULE_NAME

EVENT_REGISTRATION: Final = "oracle_registration"
EVENT_APPROVE_REGISTRATION: Final = "approve_oracle_registration"
EVENT_UPGRADE: Final = "oracle_upgrade"
EVENT_APPROVE_UPGRADE: Final = "approve_oracle_upgrade"

ATTR_UNIQUE_ID: Final = "unique_id"
ATTR_ORACLE_ADDRESS: Final = "oracle_address"


def registration(unique_id: str, oracle_address: str) -> Event:
    return Event.of(EVENT_REGISTRATION, (ATTR_UNIQUE_ID, unique_id), (ATTR_ORACLE_ADDRESS, oracle_address))


def approve_registration(oracle_address: str, unique_id: str) -> Event:
    return Event.of(EVENT_APPROVE_REGISTRATION, (ATTR_ORACLE_ADDRESS, oracle_address), (ATTR_UNIQUE_ID, unique_id))


def upgrade(unique_id: str, oracle_address: str) -> Event:
    return Event.of(EVENT_UPGRADE, (ATTR_UNIQUE_ID, unique_id), (ATTR_ORACLE_ADDRESS, oracle_address))


def approve_upgrade(oracle_address: str, unique_id: str) -> Event:
    return Event.of(EVENT_APPROVE_UPGRADE, (ATTR_ORACLE_ADDRESS, oracle_address), (ATTR_UNIQUE_ID, unique_id))


# What the reference msg server adds after a successful keeper call (not for UpgradeOracle, §3.8).
MODULE_MESSAGE: Final[Event] = module_message(MODULE_NAME)
