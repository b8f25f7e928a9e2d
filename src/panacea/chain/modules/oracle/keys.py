"""Store layout of x/oracle (chain-reference §3.3): records are length-prefixed protobuf under ``oracle/``."""

from __future__ import annotations

from typing import Final

MODULE_NAME: Final = "oracle"
STORE: Final = b"oracle/"
ORACLE_PREFIX: Final = b"\x01"
REGISTRATION_PREFIX: Final = b"\x02"
UPGRADE_INFO_KEY: Final = b"\x03"
UPGRADE_PREFIX: Final = b"\x04"
SEPARATOR: Final = b"\xff"
PARAMS_KEY: Final = b"\x10params"  # the x/params subspace, kept in this module's key space


def oracle_key(address: bytes) -> bytes:
    return ORACLE_PREFIX + address


def registration_key(unique_id: str, address: bytes) -> bytes:
    return REGISTRATION_PREFIX + unique_id.encode() + SEPARATOR + address


def upgrade_key(unique_id: str, address: bytes) -> bytes:
    return UPGRADE_PREFIX + unique_id.encode() + SEPARATOR + address


def registrations_prefix(unique_id: str) -> bytes:
    # Departure: the reference omits the 0xFF separator, so "abc" also lists "abcd…" (spec §3.3).
    return REGISTRATION_PREFIX + unique_id.encode() + SEPARATOR


def upgrades_prefix(unique_id: str) -> bytes:
    # Departure: separator included, as for registrations_prefix.
    return UPGRADE_PREFIX + unique_id.encode() + SEPARATOR
