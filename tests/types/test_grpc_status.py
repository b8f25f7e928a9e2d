"""The SDK's gRPC-status form of a query error log, written and read back."""

from __future__ import annotations

import pytest

from panacea.types import grpc_status as gs


@pytest.mark.parametrize(("code", "wrapper"), [
    (gs.NOT_FOUND, "key not found"), (gs.INVALID_ARGUMENT, "invalid request"),
    (gs.FAILED_PRECONDITION, "invalid request"), (gs.UNAUTHENTICATED, "unauthorized"), (gs.UNKNOWN, "unknown request"),
    (gs.INTERNAL, "unknown request"),
])
def test_status_log_round_trips(code: int, wrapper: str) -> None:
    log = gs.status_log(code, "deal 5: deal is not found")
    assert log == f"rpc error: code = {gs.NAMES[code]} desc = deal 5: deal is not found: {wrapper}"
    assert gs.parse_status_log(log) == (code, "deal 5: deal is not found")


def test_the_sdk_not_found_errors_drop_their_text_and_get_it_back() -> None:
    own = "account panacea1x not found: not found"
    message = gs.status_message("sdk", 38, own)
    assert message == "account panacea1x not found"
    assert gs.status_log(gs.NOT_FOUND, message) == (
        "rpc error: code = NotFound desc = account panacea1x not found: key not found")
    assert gs.original_log("sdk", 38, message) == own
    assert gs.status_message("datadeal", 3, "deal is not found") == "deal is not found"
    assert gs.original_log("datadeal", 3, "deal is not found") == "deal is not found"


def test_a_simulate_message_reads_back_as_the_tx_log() -> None:
    log = gs.status_log(gs.UNKNOWN, gs.simulate_message("out of funds: insufficient funds", 200_000, 41_234))
    assert log == ("rpc error: code = Unknown desc = out of funds: insufficient funds With gas wanted: '200000' "
                   "and gas used: '41234' : unknown request")
    assert gs.parse_status_log(log) == (gs.UNKNOWN, "out of funds: insufficient funds")


@pytest.mark.parametrize("log", [
    "", "account x not found: not found", "rpc error: code = Bogus desc = x: key not found",
    "rpc error: code = NotFound desc = no wrapper",
])
def test_other_texts_are_not_status_logs(log: str) -> None:
    assert gs.parse_status_log(log) is None
