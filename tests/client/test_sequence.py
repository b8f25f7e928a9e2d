"""Sequence bookkeeping pieces that need no node."""

from __future__ import annotations

import threading

from panacea.client.fees import fee_amount
from panacea.client.sequence import AccountSequence, SequenceBook, expected_sequence


def test_expected_sequence_reads_the_node_error() -> None:
    log = "account sequence mismatch, expected 7, got 3: incorrect account sequence"
    assert expected_sequence("sdk", 32, log) == 7
    assert expected_sequence("sdk", 5, log) is None
    assert expected_sequence("sdk", 32, "incorrect account sequence") is None


def test_account_sequence_and_book() -> None:
    book: SequenceBook[threading.Lock] = SequenceBook(threading.Lock)
    lock, state = book.entry("panacea1x")
    assert book.entry("panacea1x") == (lock, state) and book["panacea1x"] is state
    assert state == AccountSequence("panacea1x") and not state.loaded
    state.load(3, 9)
    state.accepted()
    assert (state.number, state.next_sequence, state.loaded) == (3, 10, True)
    state.forget()
    assert (state.number, state.next_sequence, state.loaded) == (3, None, False)


def test_fee_amount() -> None:
    assert fee_amount(0, 100_000) == 0
    assert fee_amount("2000umed", 100_000) == 2000
    assert fee_amount(0, 100_001, "0.025umed") == 2501
    assert fee_amount(0, 3, "5") == 15
