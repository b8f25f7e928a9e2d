"""Account sequences for many concurrent senders from one account (threads or asyncio tasks).

The rule that makes this work: a sender assigns the sequence, signs and broadcasts (CheckTx) while it
holds the account's lock, so txs reach the mempool in sequence order; waiting for inclusion happens
outside the lock. The node's CheckTx answer is the source of truth: on "account sequence mismatch,
expected N" the book jumps to N and the tx is re-signed (a bounded number of times).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

L = TypeVar("L")

MAX_SEQUENCE_RETRIES = 5
WRONG_SEQUENCE = ("sdk", 32)
_MISMATCH_RE = re.compile(r"account sequence mismatch, expected (\d+), got (\d+)")


def expected_sequence(codespace: str, code: int, log: str) -> int | None:
    """The sequence the node expects, when a CheckTx/simulation error is a sequence mismatch."""
    if (codespace, code) != WRONG_SEQUENCE:
        return None
    m = _MISMATCH_RE.search(log)
    return int(m.group(1)) if m else None


@dataclass
class AccountSequence:
    """What a sender knows about one account; ``None`` means "read it from the chain first"."""

    address: str
    number: int | None = None
    next_sequence: int | None = None

    @property
    def loaded(self) -> bool:
        return self.number is not None and self.next_sequence is not None

    def load(self, number: int, sequence: int) -> None:
        self.number = number
        self.next_sequence = sequence

    def forget(self) -> None:
        """After an outcome we cannot know (transport error, timeout): re-read before the next tx."""
        self.next_sequence = None

    def accepted(self) -> None:
        assert self.next_sequence is not None
        self.next_sequence += 1


class SequenceBook(Generic[L]):
    """One lock and one AccountSequence per address, shared by every sender of a client."""

    def __init__(self, lock_factory: Callable[[], L]) -> None:
        self._lock_factory = lock_factory
        self._guard = threading.Lock()
        self._entries: dict[str, tuple[L, AccountSequence]] = {}

    def entry(self, address: str) -> tuple[L, AccountSequence]:
        with self._guard:
            found = self._entries.get(address)
            if found is None:
                found = (self._lock_factory(), AccountSequence(address))
                self._entries[address] = found
            return found

    def __getitem__(self, address: str) -> AccountSequence:
        return self.entry(address)[1]
