"""The values the SDK takes and returns (frozen dataclasses; amounts are integers in umed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2

_DEC_SCALE = 10**18


@dataclass(frozen=True)
class Term:
    """An agreement term of a deal; a provider must agree to the ``required`` ones to be paid."""

    title: str
    description: str
    required: bool = False

    @classmethod
    def from_text(cls, text: str, required: bool = False) -> Term:
        """``"title: description"``; a text without ``": "`` is both the title and the description."""
        title, sep, description = text.partition(": ")
        return cls(title.strip(), (description if sep else title).strip(), required)


@dataclass(frozen=True)
class ConsentInfo:
    """One consent of a deal: the datum's hash, who provided it and which oracle certified it."""

    data_hash: str
    provider: str
    oracle: str


@dataclass(frozen=True)
class DealProgress:
    """Where a deal stands: its status, data received of the data wanted, and what is left in its escrow."""

    deal_id: int
    status: str  # ACTIVE, INACTIVE or COMPLETED
    cur_num_data: int
    max_num_data: int
    budget: int
    price_per_data: int
    escrow_balance: int
    consumer: str
    consents: tuple[ConsentInfo, ...]

    @property
    def active(self) -> bool:
        return self.status == "ACTIVE"


@dataclass(frozen=True)
class ProvideResult:
    """A datum provided: the oracle's certificate, the consent tx, and what it paid (exact, from the tx events)."""

    deal_id: int
    data_hash: str
    certificate: consent_pb2.Certificate
    oracle_address: str
    tx_hash: str
    height: int
    reward: int  # umed paid to the provider
    commission: int  # umed paid to the oracle
    fee: int  # umed the provider paid for the tx


@dataclass(frozen=True)
class FetchedData:
    """A delivered datum, decrypted and verified: ``plaintext`` hashes (JCS) to ``data_hash``. From ``fetch_all``:
    where it was written, and ``fetched`` False when a verified copy was there already (resumed)."""

    data_hash: str
    plaintext: bytes = field(repr=False)
    path: Path | None = None
    fetched: bool = True


def status_name(status: int) -> str:
    """``DEAL_STATUS_ACTIVE`` → ``ACTIVE``."""
    return deal_pb2.DealStatus.Name(status).removeprefix("DEAL_STATUS_")


def price_per_data(budget: int, max_num_data: int) -> int:
    """The chain's ``TruncateDec(Dec(budget) / Dec(max_num_data))`` (sdk.Dec: half-even at the 18th digit)."""
    if max_num_data <= 0:
        return 0
    quotient, rest = divmod(budget * _DEC_SCALE, max_num_data)
    if 2 * rest > max_num_data or (2 * rest == max_num_data and quotient % 2):
        quotient += 1
    return quotient // _DEC_SCALE
