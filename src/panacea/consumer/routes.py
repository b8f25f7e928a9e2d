"""Path and query values of the consumer API, checked before anything is read (§7 handler steps 1–2)."""

from __future__ import annotations

import re
from typing import Final

from panacea.service.errors import ServiceError
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2

MAX_HASH_HEX: Final = 128
MAX_U64: Final = (1 << 64) - 1
DEFAULT_PAGE: Final = 100
_HEX: Final = re.compile(r"(?:[0-9a-fA-F]{2})+")
_STATUS_PREFIX: Final = "DEAL_STATUS_"


def data_hash(raw: str) -> str:
    """§7 step 1: even-length hex; departure: at most 128 digits and stored lower-case (one name per hash)."""
    if len(raw) > MAX_HASH_HEX or not _HEX.fullmatch(raw):
        raise ServiceError(400, "failed to decode dataHash")
    return raw.lower()


def deal_id(raw: str) -> int:
    """§7 step 2: a uint64 in decimal (departure: "01" is deal 1, not a directory of its own)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 20 or int(raw) > MAX_U64:
        raise ServiceError(400, "failed to parse deal ID")
    return int(raw)


def page_limit(raw: str | None, maximum: int) -> int:
    """The ``limit`` query parameter: 1 to ``maximum``, default 100 (or ``maximum`` when smaller)."""
    if raw is None:
        return min(DEFAULT_PAGE, maximum)
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9 or not 1 <= int(raw) <= maximum:
        raise ServiceError(400, f"limit must be an integer from 1 to {maximum}")
    return int(raw)


def page_after(raw: str | None) -> str:
    """The ``after`` query parameter: the last data hash of the previous page ("" for the first)."""
    if not raw:
        return ""
    if len(raw) > MAX_HASH_HEX or not _HEX.fullmatch(raw):
        raise ServiceError(400, "after must be a data hash (hex)")
    return raw.lower()


def status_name(status: int) -> str:
    """``INACTIVE`` for DEAL_STATUS_INACTIVE (the oracle's wording, §2 step "cannot provide data to …")."""
    try:
        return deal_pb2.DealStatus.Name(status).removeprefix(_STATUS_PREFIX)
    except ValueError:
        return str(status)
