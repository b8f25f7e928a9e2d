"""Gov life cycle at keeper level: deposits, activation, votes, EndBlocker outcomes, exact balances."""

from __future__ import annotations

import pytest

from panacea.chain import addr
from panacea.chain.errors import ChainError
from panacea.chain.modules.gov.keeper import ACTIVE_QUEUE_PREFIX, INACTIVE_QUEUE_PREFIX, STORE, timestamp
from panacea.chain.modules.gov.params import TallyParams
from panacea.types.anyutil import pack_any
from panacea.types.events import Event
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2, tx_pb2
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2

from .conftest import (
    DEPOSITOR,
    FEE_COLLECTOR_ADDRESS,
    FUNDS,
    GOV_ADDRESS,
    HOUR,
    MIN_DEPOSIT,
    OUTSIDER,
    PERIOD,
    PROPOSER,
    T0,
    UNIQUE_ID,
    V1,
    V2,
    V3,
    Env,
    param_change,
    text_proposal,
    upgrade_proposal,
)

YES, ABSTAIN, NO, VETO = (gov_pb2.VOTE_OPTION_YES, gov_pb2.VOTE_OPTION_ABSTAIN, gov_pb2.VOTE_OPTION_NO,
                          gov_pb2.VOTE_OPTION_NO_WITH_VETO)
GOV = addr.encode(GOV_ADDRESS)


def transfer(sender: str, recipient: str, amount: str) -> list[Event]:
    return [Event.of("coin_spent", ("spender", sender), ("amount", amount)),
            Event.of("coin_received", ("receiver", recipient), ("amount", amount)),
            Event.of("transfer", ("recipient", recipient), ("sender", sender), ("amount", amount)),
            Event.of("message", ("sender", sender))]


def queue_keys(env: Env, queue: bytes) -> list[bytes]:
    return [k for k, _v in env.ctx.kv(STORE).iterate(queue, bytes([queue[0] + 1]))]


def close_voting(env: Env, proposal_id: int, height: int | None = None) -> list[Event]:
    end = env.proposal(proposal_id).voting_end_time
    env.at(end.seconds * 1_000_000_000 + end.nanos, height)
    n = len(env.ctx.events)
    env.gov.end_block(env.ctx)
    return env.events_since(n)


def test_full_life_cycle_passes_oracle_upgrade(env: Env) -> None:
    n = len(env.ctx.events)
    pid = env.submit(upgrade_proposal(height=100), 4_000_000)
    assert pid == 1
    assert env.events_since(n) == [
        Event.of("submit_proposal", ("proposal_id", "1")),
        *transfer(PROPOSER, GOV, "4000000umed"),
        Event.of("proposal_deposit", ("amount", "4000000umed"), ("proposal_id", "1")),
        Event.of("message", ("module", "governance"), ("sender", PROPOSER)),
        Event.of("submit_proposal", ("proposal_type", "OracleUpgrade")),
    ]
    p = env.proposal(pid)
    assert p.status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD
    assert (p.submit_time.seconds, p.deposit_end_time.seconds) == (T0 // 10**9, (T0 + PERIOD) // 10**9)
    assert p.voting_start_time.seconds == -62_135_596_800  # Go's zero time until voting starts
    assert (env.balance(PROPOSER), env.balance(GOV_ADDRESS)) == (FUNDS - 4_000_000, 4_000_000)
    assert env.gov.next_proposal_id(env.ctx) == 2

    # a deposit below the minimum keeps the deposit period; reaching it starts voting
    env.at(T0 + HOUR)
    env.deposit(pid, 1_000_000)
    assert env.proposal(pid).status == gov_pb2.PROPOSAL_STATUS_DEPOSIT_PERIOD
    n = len(env.ctx.events)
    env.deposit(pid, 5_000_000)
    assert env.events_since(n) == [
        *transfer(DEPOSITOR, GOV, "5000000umed"),
        Event.of("proposal_deposit", ("amount", "5000000umed"), ("proposal_id", "1")),
        Event.of("message", ("module", "governance"), ("sender", DEPOSITOR)),
        Event.of("proposal_deposit", ("voting_period_start", "1")),
    ]
    p = env.proposal(pid)
    assert p.status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD
    assert [(c.denom, c.amount) for c in p.total_deposit] == [("umed", "10000000")]
    assert (p.voting_start_time.seconds, p.voting_end_time.seconds) == ((T0 + HOUR) // 10**9,
                                                                        (T0 + HOUR + PERIOD) // 10**9)
    assert queue_keys(env, INACTIVE_QUEUE_PREFIX) == []
    assert queue_keys(env, ACTIVE_QUEUE_PREFIX) == [
        ACTIVE_QUEUE_PREFIX + (T0 + HOUR + PERIOD).to_bytes(8, "big") + (1).to_bytes(8, "big")]
    deposit = env.gov.get_deposit(env.ctx, pid, addr.parse(DEPOSITOR))
    assert deposit is not None and [c.amount for c in deposit.amount] == ["6000000"]

    n = len(env.ctx.events)
    env.vote(pid, V1, NO)
    assert env.events_since(n) == [
        Event.of("proposal_vote", ("option", '{"option":3,"weight":"1.000000000000000000"}'), ("proposal_id", "1")),
        Event.of("message", ("module", "governance"), ("sender", V1)),
    ]
    env.vote(pid, V2, YES)
    env.vote(pid, V3, NO)
    env.vote(pid, V3, YES)  # a later vote replaces the earlier one

    # one nanosecond before the end nothing happens
    env.at(T0 + HOUR + PERIOD - 1)
    env.gov.end_block(env.ctx)
    assert env.proposal(pid).status == gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD

    events = close_voting(env, pid, height=50)
    assert events == [
        *transfer(GOV, PROPOSER, "4000000umed"),  # deposits in depositor-address order
        *transfer(GOV, DEPOSITOR, "6000000umed"),
        Event.of("active_proposal", ("proposal_id", "1"), ("proposal_result", "proposal_passed")),
    ]
    p = env.proposal(pid)
    assert p.status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert p.final_tally_result == gov_pb2.TallyResult(yes="50", abstain="0", no="10", no_with_veto="0")
    assert env.oracle.find_oracle_upgrade_info(env.ctx) == oracle_pb2.OracleUpgradeInfo(
        unique_id="uniqueID-v2", height=100)
    assert (env.balance(PROPOSER), env.balance(DEPOSITOR), env.balance(GOV_ADDRESS)) == (FUNDS, FUNDS, 0)
    assert env.gov.votes(env.ctx, pid) == []  # consumed by the tally, like the SDK
    assert env.gov.deposits(env.ctx, pid) == []
    assert queue_keys(env, ACTIVE_QUEUE_PREFIX) == []


def test_quorum_not_reached_is_rejected_and_refunded(env: Env) -> None:
    pid = env.activated(upgrade_proposal())
    env.vote(pid, V1, YES)  # 10 of 60 < 0.334
    events = close_voting(env, pid)
    assert events[-1] == Event.of("active_proposal", ("proposal_id", "1"), ("proposal_result", "proposal_rejected"))
    p = env.proposal(pid)
    assert p.status == gov_pb2.PROPOSAL_STATUS_REJECTED
    assert p.final_tally_result == gov_pb2.TallyResult(yes="10", abstain="0", no="0", no_with_veto="0")
    assert (env.balance(PROPOSER), env.balance(GOV_ADDRESS)) == (FUNDS, 0)
    assert env.oracle.find_oracle_upgrade_info(env.ctx) is None


def test_veto_sends_deposits_to_fee_collector(env: Env) -> None:
    pid = env.submit(text_proposal(), 7_000_000)
    env.deposit(pid, 3_000_000)
    env.vote(pid, V1, YES)
    env.vote(pid, V2, YES)
    env.vote(pid, V3, VETO)  # 30 / 60 > 0.334
    events = close_voting(env, pid)
    fee_collector = addr.encode(FEE_COLLECTOR_ADDRESS)
    assert events == [
        *transfer(GOV, fee_collector, "7000000umed"),
        *transfer(GOV, fee_collector, "3000000umed"),
        Event.of("active_proposal", ("proposal_id", "1"), ("proposal_result", "proposal_rejected")),
    ]
    assert env.proposal(pid).final_tally_result == gov_pb2.TallyResult(yes="30", abstain="0", no="0",
                                                                        no_with_veto="30")
    assert (env.balance(PROPOSER), env.balance(DEPOSITOR)) == (FUNDS - 7_000_000, FUNDS - 3_000_000)
    assert (env.balance(GOV_ADDRESS), env.balance(FEE_COLLECTOR_ADDRESS)) == (0, 10_000_000)
    collector = env.auth.get_account(env.ctx, FEE_COLLECTOR_ADDRESS)
    assert collector is not None and collector.module_name == "fee_collector"


def test_all_abstain_is_rejected_and_refunded(env: Env) -> None:
    pid = env.activated(text_proposal())
    for v in (V1, V2, V3):
        env.vote(pid, v, ABSTAIN)
    close_voting(env, pid)
    p = env.proposal(pid)
    assert p.status == gov_pb2.PROPOSAL_STATUS_REJECTED
    assert p.final_tally_result == gov_pb2.TallyResult(yes="0", abstain="60", no="0", no_with_veto="0")
    assert env.balance(PROPOSER) == FUNDS


def test_threshold_is_strictly_greater(env: Env) -> None:
    pid = env.activated(text_proposal())
    env.vote(pid, V1, YES)
    env.vote(pid, V2, YES)
    env.vote(pid, V3, NO)  # 30 / 60 = 0.5, not > 0.5
    close_voting(env, pid)
    assert env.proposal(pid).status == gov_pb2.PROPOSAL_STATUS_REJECTED


def test_weighted_votes_split_power(env: Env) -> None:
    pid = env.activated(text_proposal())
    env.msg_server.vote_weighted(env.ctx, tx_pb2.MsgVoteWeighted(proposal_id=pid, voter=V3, options=[
        gov_pb2.WeightedVoteOption(option=YES, weight="700000000000000000"),
        gov_pb2.WeightedVoteOption(option=NO, weight="300000000000000000")]))
    assert env.ctx.events[-2] == Event.of(
        "proposal_vote", ("option", '{"option":1,"weight":"0.700000000000000000"}\n'
                                    '{"option":3,"weight":"0.300000000000000000"}'), ("proposal_id", "1"))
    close_voting(env, pid)
    p = env.proposal(pid)
    assert p.status == gov_pb2.PROPOSAL_STATUS_PASSED  # 21 / 30 > 0.5, quorum 30 / 60
    assert p.final_tally_result == gov_pb2.TallyResult(yes="21", abstain="0", no="9", no_with_veto="0")


def test_expired_deposit_period_deletes_and_refunds(env: Env) -> None:
    pid = env.submit(text_proposal(), 2_000_000)
    env.deposit(pid, 1_000_000)
    env.at(T0 + PERIOD - 1)
    env.gov.end_block(env.ctx)
    assert env.gov.get_proposal(env.ctx, pid) is not None
    env.at(T0 + PERIOD)
    n = len(env.ctx.events)
    env.gov.end_block(env.ctx)
    assert env.events_since(n) == [
        *transfer(GOV, PROPOSER, "2000000umed"),
        *transfer(GOV, DEPOSITOR, "1000000umed"),
        Event.of("inactive_proposal", ("proposal_id", "1"), ("proposal_result", "proposal_dropped")),
    ]
    assert env.gov.get_proposal(env.ctx, pid) is None
    assert env.gov.deposits(env.ctx, pid) == []
    assert queue_keys(env, INACTIVE_QUEUE_PREFIX) == []
    assert (env.balance(PROPOSER), env.balance(DEPOSITOR), env.balance(GOV_ADDRESS)) == (FUNDS, FUNDS, 0)


def test_queues_are_processed_in_time_then_id_order(env: Env) -> None:
    first = env.submit(text_proposal(), 1)
    second = env.submit(text_proposal(), 1)
    env.at(T0 + PERIOD)
    n = len(env.ctx.events)
    env.gov.end_block(env.ctx)
    dropped = [e.attributes[0][1] for e in env.events_since(n) if e.type == "inactive_proposal"]
    assert dropped == [str(first), str(second)]


def test_handler_failure_marks_failed_and_discards_writes(env: Env) -> None:
    pid = env.activated(upgrade_proposal(height=20))
    for v in (V1, V2, V3):
        env.vote(pid, v, YES)
    events = close_voting(env, pid, height=21)  # the plan height is now in the past
    assert events[-1] == Event.of("active_proposal", ("proposal_id", "1"), ("proposal_result", "proposal_failed"))
    p = env.proposal(pid)
    assert p.status == gov_pb2.PROPOSAL_STATUS_FAILED
    assert p.final_tally_result == gov_pb2.TallyResult(yes="60", abstain="0", no="0", no_with_veto="0")
    assert env.oracle.find_oracle_upgrade_info(env.ctx) is None
    assert env.balance(PROPOSER) == FUNDS  # deposits are settled before execution, refunded


def test_param_change_of_oracle_params(env: Env) -> None:
    pid = env.activated(param_change(("oracle", "UniqueID", '"uniqueID-v9"'),
                                     ("oracle", "SignatureDigest", '"legacy"')))
    for v in (V2, V3):
        env.vote(pid, v, YES)
    close_voting(env, pid)
    assert env.proposal(pid).status == gov_pb2.PROPOSAL_STATUS_PASSED
    params = env.oracle.get_params(env.ctx)
    assert (params.unique_id, params.signature_digest) == ("uniqueID-v9", "legacy")


def test_param_change_of_gov_tally_params_is_a_partial_update(env: Env) -> None:
    pid = env.activated(param_change(("gov", "tallyparams", '{"quorum":"0.5"}')))
    env.vote(pid, V3, YES)
    close_voting(env, pid)
    assert env.gov.tally_params(env.ctx) == TallyParams(quorum=env.gov.tally_params(env.ctx).quorum)
    assert str(env.gov.tally_params(env.ctx).quorum) == "0.500000000000000000"


def test_param_change_of_gov_voting_period(env: Env) -> None:
    pid = env.activated(param_change(("gov", "votingparams", '{"voting_period":"3600000000000"}')))
    env.vote(pid, V3, YES)
    close_voting(env, pid)
    assert env.gov.voting_params(env.ctx).voting_period_ns == HOUR
    nxt = env.activated(text_proposal())
    p = env.proposal(nxt)
    assert p.voting_end_time.seconds - p.voting_start_time.seconds == 3600


@pytest.mark.parametrize(("content", "log"), [
    (param_change(("oracle", "SignatureDigest", '"md5"')),
     "key: SignatureDigest, value: \"md5\", err: invalid signature digest 'md5': must be \"sha256\" or "
     "\"legacy\": failed to set parameter: invalid proposal content"),
    (param_change(("oracle", "UniqueID", '"ok"'), ("staking", "MaxValidators", "5")),
     "staking: unknown subspace: invalid proposal content"),
    (param_change(("gov", "tallyparams", '{"threshold":"0"}')),
     "key: tallyparams, value: {\"threshold\":\"0\"}, err: vote threshold must be positive: "
     "0.000000000000000000: failed to set parameter: invalid proposal content"),
    (param_change(("gov", "votingparams", '{"voting_period":"0"}')),
     "key: votingparams, value: {\"voting_period\":\"0\"}, err: voting period must be positive: 0s: "
     "failed to set parameter: invalid proposal content"),
    (param_change(("gov", "quorum", '"0.5"')),
     "key: quorum, value: \"0.5\", err: parameter quorum not registered: failed to set parameter: "
     "invalid proposal content"),
    (upgrade_proposal(height=4),
     "oracle upgrade cannot be scheduled in the past: invalid request: invalid proposal content"),
])
def test_submit_vets_content_in_a_branch(env: Env, content: object, log: str) -> None:
    env.at(T0, height=5)
    with pytest.raises(ChainError) as e:
        env.submit(content, MIN_DEPOSIT)  # type: ignore[arg-type]
    assert (e.value.codespace, e.value.code, e.value.log) == ("gov", 5, log)
    assert env.oracle.get_params(env.ctx).unique_id == UNIQUE_ID
    assert env.gov.get_proposal(env.ctx, 1) is None


def test_param_change_is_all_or_nothing_at_execution(env: Env) -> None:
    # Genesis proposals are not vetted; the second change fails when the proposal executes.
    content = param_change(("oracle", "UniqueID", '"changed"'), ("oracle", "SignatureDigest", '"md5"'))
    pid = env.gov.next_proposal_id(env.ctx)
    env.gov.set_next_proposal_id(env.ctx, pid + 1)
    env.gov.set_proposal(env.ctx, gov_pb2.Proposal(
        proposal_id=pid, content=pack_any(content), status=gov_pb2.PROPOSAL_STATUS_VOTING_PERIOD,
        voting_start_time=timestamp(T0), voting_end_time=timestamp(T0 + HOUR)))
    env.gov.enqueue(env.ctx, ACTIVE_QUEUE_PREFIX, pid, T0 + HOUR)
    env.vote(pid, V3, YES)
    close_voting(env, pid)
    assert env.proposal(pid).status == gov_pb2.PROPOSAL_STATUS_FAILED
    assert env.oracle.get_params(env.ctx).unique_id == UNIQUE_ID


def test_vote_by_non_validator(env: Env) -> None:
    pid = env.activated(text_proposal())
    with pytest.raises(ChainError) as e:
        env.vote(pid, OUTSIDER, YES)
    assert (e.value.codespace, e.value.code, e.value.log) == ("sdk", 4, f"voter {OUTSIDER} is not a validator: "
                                                                         "unauthorized")


def test_vote_on_inactive_or_unknown_proposal(env: Env) -> None:
    pid = env.submit(text_proposal(), 1_000_000)
    with pytest.raises(ChainError) as e:
        env.vote(pid, V1, YES)
    assert (e.value.codespace, e.value.code, e.value.log) == ("gov", 3, "1: inactive proposal")
    with pytest.raises(ChainError) as e:
        env.vote(7, V1, YES)
    assert (e.value.codespace, e.value.code, e.value.log) == ("gov", 2, "7: unknown proposal")


def test_deposit_on_closed_or_unknown_proposal(env: Env) -> None:
    pid = env.activated(text_proposal())
    close_voting(env, pid)
    with pytest.raises(ChainError) as e:
        env.deposit(pid, 1)
    assert e.value.log == "1: inactive proposal"
    with pytest.raises(ChainError) as e:
        env.deposit(9, 1)
    assert e.value.log == "9: unknown proposal"


def test_deposit_beyond_balance(env: Env) -> None:
    pid = env.submit(text_proposal(), 1)
    with pytest.raises(ChainError) as e:
        env.deposit(pid, FUNDS + 1)
    assert e.value.log == f"{FUNDS}umed is smaller than {FUNDS + 1}umed: insufficient funds"


def test_deposits_during_voting_period_are_accepted(env: Env) -> None:
    pid = env.activated(text_proposal())
    env.deposit(pid, 500)
    assert [c.amount for c in env.proposal(pid).total_deposit] == [str(MIN_DEPOSIT + 500)]
    close_voting(env, pid)
    assert env.balance(DEPOSITOR) == FUNDS
