"""Gov genesis: defaults, validation texts, init checks and an export → init → export round trip."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from panacea.chain.errors import ChainError
from panacea.chain.modules.gov.genesis import default_genesis, validate_genesis
from panacea.chain.modules.gov.params import DepositParams, TallyParams, VotingParams
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2

from .conftest import (
    DEPOSITOR,
    GOV_ADDRESS,
    HOUR,
    PROPOSER,
    T0,
    V1,
    V2,
    V3,
    Env,
    new_env,
    text_proposal,
    upgrade_proposal,
)


def test_default_genesis_is_the_sdk_default() -> None:
    assert default_genesis() == {
        "starting_proposal_id": "1",
        "deposits": [], "votes": [], "proposals": [],
        "deposit_params": {"min_deposit": [{"denom": "umed", "amount": "10000000"}],
                           "max_deposit_period": "172800s"},
        "voting_params": {"voting_period": "172800s"},
        "tally_params": {"quorum": "0.334000000000000000", "threshold": "0.500000000000000000",
                         "veto_threshold": "0.334000000000000000"},
        "validators": [],
    }
    validate_genesis(default_genesis())


def test_init_sets_params_validators_and_module_account(env: Env) -> None:
    assert env.gov.deposit_params(env.ctx) == DepositParams()
    assert env.gov.voting_params(env.ctx) == VotingParams()
    assert env.gov.tally_params(env.ctx) == TallyParams()
    assert [p for _a, p in env.gov.validators(env.ctx)] == [10, 20, 30]
    gov_account = env.auth.get_account(env.ctx, GOV_ADDRESS)
    assert gov_account is not None and (gov_account.module_name, gov_account.permissions) == ("gov", ("burner",))


def with_changes(**changes: Any) -> dict[str, Any]:
    g = copy.deepcopy(default_genesis())
    for k, v in changes.items():
        g[k] = v
    return g


@pytest.mark.parametrize(("genesis", "log"), [
    (with_changes(tally_params={"quorum": "0.3", "threshold": "1.1", "veto_threshold": "0.3"}),
     "governance vote threshold should be positive and less or equal to one, is 1.100000000000000000: "
     "invalid genesis state"),
    (with_changes(tally_params={"quorum": "0.3", "threshold": "0.5", "veto_threshold": "-0.1"}),
     "governance vote veto threshold should be positive and less or equal to one, is -0.100000000000000000: "
     "invalid genesis state"),
    (with_changes(deposit_params={"min_deposit": [{"denom": "umed", "amount": "0"}], "max_deposit_period": "1s"}),
     "governance deposit amount must be a valid sdk.Coins amount, is 0umed: invalid genesis state"),
    (with_changes(validators=[{"address": "panacea1xyz", "power": "1"}]),
     "invalid validator address 'panacea1xyz' (decoding bech32 failed: invalid separator index 7): "
     "invalid genesis state"),
    (with_changes(validators=[{"address": V1, "power": "0"}]),
     f"validator {V1} power must be a positive integer, is '0': invalid genesis state"),
    (with_changes(validators=[{"address": V1, "power": "1"}, {"address": V1, "power": "2"}]),
     f"duplicate validator {V1}: invalid genesis state"),
    (with_changes(validators=[{"address": V1, "power": 5}]),
     "invalid validator entry {'address': '" + V1 + "', 'power': 5}: want {\"address\", \"power\"} strings: "
     "invalid genesis state"),
    (with_changes(starting_proposal_id="x"),
     "failed to unmarshal gov genesis state: Failed to parse starting_proposal_id field: "
     "invalid literal for int() with base 10: 'x'.: invalid genesis state"),
])
def test_validate_genesis_errors(genesis: dict[str, Any], log: str) -> None:
    with pytest.raises(ChainError) as e:
        validate_genesis(genesis)
    assert (e.value.codespace, e.value.code, e.value.log) == ("gov", 8, log)


def test_init_rejects_deposits_not_backed_by_the_module_balance(env: Env) -> None:
    env.submit(text_proposal(), 3_000_000)
    exported = env.module.export_genesis(env.ctx)
    with pytest.raises(ChainError) as e:
        new_env(exported, gov_balance=2_000_000)
    assert e.value.log == "expected module account was 2000000umed but we got 3000000umed: invalid genesis state"


def test_export_init_export_round_trip(env: Env) -> None:
    env.submit(text_proposal(), 3_000_000)  # deposit period
    voting = env.submit(upgrade_proposal(), 10_000_000)
    env.at(T0 + HOUR)
    env.deposit(voting, 1_000_000)
    env.vote(voting, V1, gov_pb2.VOTE_OPTION_YES)
    env.vote(voting, V2, gov_pb2.VOTE_OPTION_NO_WITH_VETO)
    exported = env.module.export_genesis(env.ctx)
    assert exported["starting_proposal_id"] == "3"
    assert [p["status"] for p in exported["proposals"]] == ["PROPOSAL_STATUS_DEPOSIT_PERIOD",
                                                             "PROPOSAL_STATUS_VOTING_PERIOD"]
    assert exported["proposals"][1]["content"] == {
        "@type": "/panacea.oracle.v2.OracleUpgradeProposal", "title": "Upgrade oracle",
        "description": "Move to the v2 enclave", "plan": {"unique_id": "uniqueID-v2", "height": "100"}}
    assert exported["proposals"][0]["voting_start_time"] == "0001-01-01T00:00:00Z"
    assert [(d["proposal_id"], d["depositor"], d["amount"]) for d in exported["deposits"]] == [
        ("1", PROPOSER, [{"denom": "umed", "amount": "3000000"}]),
        ("2", PROPOSER, [{"denom": "umed", "amount": "10000000"}]),
        ("2", DEPOSITOR, [{"denom": "umed", "amount": "1000000"}])]
    assert exported["votes"][0] == {"proposal_id": "2", "voter": V1, "option": "VOTE_OPTION_YES",
                                    "options": [{"option": "VOTE_OPTION_YES", "weight": "1.000000000000000000"}]}
    assert exported["validators"] == [{"address": V1, "power": "10"}, {"address": V2, "power": "20"},
                                      {"address": V3, "power": "30"}]
    validate_genesis(exported)
    restored = new_env(exported, gov_balance=14_000_000)
    assert restored.module.export_genesis(restored.ctx) == exported
    # the restored queues work: the voting proposal closes (vetoed) and the other expires
    restored.at(T0 + HOUR + 172_800 * 1_000_000_000)
    restored.gov.end_block(restored.ctx)
    assert restored.gov.get_proposal(restored.ctx, 1) is None
    assert restored.proposal(2).status == gov_pb2.PROPOSAL_STATUS_REJECTED
