"""SubmitConsent: check order and texts (§2.6), signature digests (§2.7), rewards and dust (§2.8), events."""

from __future__ import annotations

import pytest

from panacea.chain import addr
from panacea.chain.errors import ChainError
from panacea.chain.modules.datadeal.errors import ErrSubmitConsent, Rejection
from panacea.chain.modules.datadeal.keeper import validate_agreements
from panacea.chain.modules.datadeal.module import DatadealModule
from panacea.types.coins import DENOM
from panacea.types.events import Event
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2, deal_pb2, tx_pb2

from .conftest import DEFAULT_FUNDS, UNIQUE_ID, Env, key, make_deal, terms

ACTIVE, COMPLETED = deal_pb2.DEAL_STATUS_ACTIVE, deal_pb2.DEAL_STATUS_COMPLETED
SUFFIX = ": error while submit consent"


def submit_error(env: Env, consent: consent_pb2.Consent) -> str:
    with pytest.raises(ChainError) as info:
        env.datadeal.submit_consent(env.ctx, consent)
    assert info.value.is_(ErrSubmitConsent)
    return info.value.log


def transfer_events(sender: str, recipient: str, amount: str) -> list[Event]:
    return [
        Event.of("coin_spent", ("spender", sender), ("amount", amount)),
        Event.of("coin_received", ("receiver", recipient), ("amount", amount)),
        Event.of("transfer", ("recipient", recipient), ("sender", sender), ("amount", amount)),
        Event.of("message", ("sender", sender)),
    ]


def test_submit_consent_success(env: Env) -> None:
    """TestSubmitConsentSuccess: budget 10000, max 10, rate 0.1."""
    deal_id = env.create_deal(budget=10_000, max_num_data=10)
    deal = env.datadeal.get_deal(env.ctx, deal_id)
    env.store_oracle(rate="0.1")
    assert (env.balance(env.provider), env.balance(env.oracle_account), env.balance(deal.address)) == (0, 0, 10_000)
    env.submit(deal_id)
    assert env.balance(env.provider) == 900
    assert env.balance(env.oracle_account) == 100
    assert env.balance(deal.address) == 9_000
    deal = env.datadeal.get_deal(env.ctx, deal_id)
    assert (deal.cur_num_data, deal.status) == (1, ACTIVE)
    assert env.datadeal.get_consent(env.ctx, deal_id, "dataHash").certificate.unsigned_certificate.provider_address \
        == env.provider


def test_submit_consent_completes_deal(env: Env) -> None:
    """TestSubmitConsentChangeStatusComplete: budget 10000, max 1."""
    deal_id = env.create_deal(budget=10_000, max_num_data=1)
    env.store_oracle()
    env.submit(deal_id)
    deal = env.datadeal.get_deal(env.ctx, deal_id)
    assert (env.balance(env.provider), env.balance(env.oracle_account), env.balance(deal.address)) == (9_000, 1_000, 0)
    assert (deal.cur_num_data, deal.status) == (1, COMPLETED)
    assert env.balance(env.consumer) == DEFAULT_FUNDS - 10_000


def test_submit_consent_events(sha_env: Env) -> None:
    env = sha_env
    deal_id = env.create_deal(budget=10_000, max_num_data=10)
    env.store_oracle()
    module = DatadealModule(env.datadeal)
    env.ctx.events.clear()
    cert = env.certificate(deal_id)
    module.submit_consent(env.ctx, tx_pb2.MsgSubmitConsent(consent=env.consent(cert)))
    escrow = addr.encode(env.datadeal.deal_address(deal_id))
    assert env.ctx.events == [
        *transfer_events(escrow, env.provider, "900umed"),
        *transfer_events(escrow, env.oracle_account, "100umed"),
        Event.of("message", ("module", "datadeal")),
    ]


def test_more_consents_than_max_and_dust_refund(env: Env) -> None:
    """max 3, budget 10001, rate 0.15: P = 3333, oracle = trunc(499.95) = 499, provider = trunc(2833.05) = 2833.

    Three consents pay 3 * (2833 + 499) = 9996; the 5 umed left (3 * 1 rounding + 10001 - 3 * 3333 = 2)
    go back to the consumer with the third consent (departure); a fourth consent is refused.
    """
    deal_id = env.create_deal(budget=10_001, max_num_data=3)
    env.store_oracle(rate="0.15")
    escrow = addr.encode(env.datadeal.deal_address(deal_id))
    providers = [key(f"provider{i}").bech32() for i in range(4)]
    module = DatadealModule(env.datadeal)
    for i in range(2):
        module.submit_consent(env.ctx, tx_pb2.MsgSubmitConsent(
            consent=env.consent(env.certificate(deal_id, f"hash{i}", provider=providers[i]))))
    assert env.balance(escrow) == 10_001 - 2 * 3_332 == 3_337
    env.ctx.events.clear()
    module.submit_consent(env.ctx, tx_pb2.MsgSubmitConsent(
        consent=env.consent(env.certificate(deal_id, "hash2", provider=providers[2]))))
    assert env.ctx.events == [
        *transfer_events(escrow, providers[2], "2833umed"),
        *transfer_events(escrow, env.oracle_account, "499umed"),
        *transfer_events(escrow, env.consumer, "5umed"),
        Event.of("message", ("module", "datadeal")),
    ]
    assert [env.balance(p) for p in providers] == [2_833, 2_833, 2_833, 0]
    assert env.balance(env.oracle_account) == 3 * 499 == 1_497
    assert env.balance(escrow) == 0
    assert env.balance(env.consumer) == DEFAULT_FUNDS - 10_001 + 5
    deal = env.datadeal.get_deal(env.ctx, deal_id)
    assert (deal.cur_num_data, deal.status) == (3, COMPLETED)

    log = submit_error(env, env.consent(env.certificate(deal_id, "hash3", provider=providers[3])))
    assert log == "deal status is not ACTIVE" + SUFFIX
    assert env.balance(providers[3]) == 0


def test_rate_zero_point_one_dust(sha_env: Env) -> None:
    """max 3, budget 10000, rate 0.1: P = 3333, oracle 333, provider trunc(2999.7) = 2999; 4 umed refunded."""
    env = sha_env
    deal_id = env.create_deal(budget=10_000, max_num_data=3)
    env.store_oracle(rate="0.1")
    for i in range(3):
        env.submit(deal_id, f"hash{i}")
    assert env.balance(env.provider) == 3 * 2_999
    assert env.balance(env.oracle_account) == 3 * 333
    assert env.balance(env.consumer) == DEFAULT_FUNDS - 10_000 + 4
    assert env.balance(env.datadeal.deal_address(deal_id)) == 0


def test_reward_uses_current_commission_rate(sha_env: Env) -> None:
    env = sha_env
    deal_id = env.create_deal(budget=10_000, max_num_data=10)
    env.store_oracle(rate="0.1")
    env.submit(deal_id, "a")
    env.store_oracle(rate="0.25")
    env.submit(deal_id, "b")
    assert env.balance(env.provider) == 900 + 750
    assert env.balance(env.oracle_account) == 100 + 250


def test_not_registered_oracle(env: Env) -> None:
    deal_id = env.create_deal(budget=10_000, max_num_data=1)
    cert = env.certificate(deal_id, oracle_address=env.provider)
    assert submit_error(env, env.consent(cert)) == (
        f"failed to oracle validation. address({env.provider}) oracle '{env.provider}' does not exist: "
        f"oracle not found{SUFFIX}")


def test_oracle_with_other_unique_id(env: Env) -> None:
    deal_id = env.create_deal(budget=10_000, max_num_data=1)
    env.store_oracle(unique_id="invalidUniqueID")
    assert submit_error(env, env.consent(env.certificate(deal_id))) == (
        f"is not active an oracle. oracleAddress({env.oracle_account}), oracleUniqueID(invalidUniqueID), "
        f"activeUniqueID({UNIQUE_ID}){SUFFIX}")


def test_signature_from_other_key(env: Env) -> None:
    deal_id = env.create_deal(budget=10_000, max_num_data=1)
    env.store_oracle()
    cert = env.certificate(deal_id)
    consent = env.consent(cert, signature=env.sign(cert, env.other_oracle_key))
    assert submit_error(env, consent) == "failed to signature validation" + SUFFIX


def test_malformed_signature(env: Env) -> None:
    deal_id = env.create_deal(budget=10_000, max_num_data=1)
    env.store_oracle()
    consent = env.consent(env.certificate(deal_id), signature=b"signature")
    assert submit_error(env, consent) == "malformed signature: no header magic" + SUFFIX
    consent = env.consent(env.certificate(deal_id), signature=b"sig")
    assert submit_error(env, consent) == "malformed signature: too short" + SUFFIX


def test_deal_does_not_exist(env: Env) -> None:
    env.store_oracle()
    cert = env.certificate(1)
    consent = env.consent(cert, agreements=[])
    assert submit_error(env, consent) == (
        f"failed to get deal. deal with ID 1 does not exist: deal is not found{SUFFIX}")


def test_second_consent_on_completed_deal(env: Env) -> None:
    deal_id = env.create_deal(budget=10_000, max_num_data=1)
    env.store_oracle()
    env.submit(deal_id)
    assert submit_error(env, env.consent(env.certificate(deal_id, "dataHash2"))) == "deal status is not ACTIVE" + SUFFIX


def test_same_certificate_twice(env: Env) -> None:
    deal_id = env.create_deal(budget=10_000, max_num_data=10)
    env.store_oracle()
    env.submit(deal_id)
    assert submit_error(env, env.consent(env.certificate(deal_id))) == "already provided consent" + SUFFIX
    # Keyed by the exact data_hash string: another case is another datum.
    env.submit(deal_id, "DATAHASH")
    assert env.datadeal.get_deal(env.ctx, deal_id).cur_num_data == 2


def test_certificate_unique_id_mismatch(env: Env) -> None:
    deal_id = env.create_deal(budget=10_000, max_num_data=1)
    env.store_oracle()
    cert = env.certificate(deal_id, unique_id="invalidUniqueID")
    assert submit_error(env, env.consent(cert)) == (
        f"does not match active uniqueID. certificateUniqueID(invalidUniqueID) activeUniqueID(uniqueID){SUFFIX}")


def test_empty_agreements(env: Env) -> None:
    deal_id = env.create_deal(budget=10_000, max_num_data=10)
    env.store_oracle()
    consent = env.consent(env.certificate(deal_id), agreements=[])
    assert submit_error(env, consent) == "invalid count(0) of agreements: expected:2" + SUFFIX


A = consent_pb2.Agreement


@pytest.mark.parametrize(("agreements", "error"), [
    ([A(term_id=1, agreement=True), A(term_id=2, agreement=False)], None),
    ([A(term_id=1, agreement=True), A(term_id=2, agreement=True)], None),
    ([], "invalid count(0) of agreements: expected:2"),
    ([A(term_id=1, agreement=True)], "invalid count(1) of agreements: expected:2"),
    ([A(term_id=2, agreement=True)], "invalid count(1) of agreements: expected:2"),
    ([A(term_id=1, agreement=True), A(term_id=2, agreement=True), A(term_id=3, agreement=True)],
     "invalid count(3) of agreements: expected:2"),
    ([A(term_id=1, agreement=False), A(term_id=2, agreement=True)], "disagreed to the required agreement term 1"),
    ([A(term_id=1, agreement=True), A(term_id=3, agreement=True)], "cannot find agreement for term 2"),
])
def test_validate_agreements(agreements: list[consent_pb2.Agreement], error: str | None) -> None:
    if error is None:
        validate_agreements(terms(), agreements)
        return
    with pytest.raises(Rejection) as info:
        validate_agreements(terms(), agreements)
    assert str(info.value) == error


def test_check_order(sha_env: Env) -> None:
    """Several faults at once: each run reports the earliest check of §2.6, then that fault is fixed."""
    env = sha_env
    env.fund(env.consumer)
    env.datadeal.set_deal(env.ctx, make_deal(1, env.consumer, 10))  # stored deal, escrow never funded
    completed = make_deal(2, env.consumer, 10)
    completed.status = COMPLETED
    env.datadeal.set_deal(env.ctx, completed)
    env.store_oracle(address=env.provider, unique_id="old")  # "oracle" known but inactive

    def attempt(cert: consent_pb2.UnsignedCertificate, *, deal_id: int | None = None, signer: bool = True,
                agreements: list[consent_pb2.Agreement] | None = None) -> str:
        consent = consent_pb2.Consent(
            deal_id=deal_id or cert.deal_id,
            certificate=consent_pb2.Certificate(
                unsigned_certificate=cert,
                signature=env.sign(cert, None if signer else env.other_oracle_key)),
            agreements=agreements if agreements is not None else [A(term_id=1, agreement=True),
                                                                  A(term_id=2, agreement=True)])
        return submit_error(env, consent)

    cert = env.certificate(3, unique_id="bad", oracle_address=env.provider)
    assert attempt(cert, signer=False) == "failed to signature validation" + SUFFIX
    assert attempt(cert).startswith("is not active an oracle.")
    env.store_oracle(address=env.provider)
    assert attempt(cert).startswith("failed to get deal. deal with ID 3 does not exist")
    cert.deal_id = 2
    assert attempt(cert) == "deal status is not ACTIVE" + SUFFIX
    cert.deal_id = 1
    assert attempt(cert).startswith("does not match active uniqueID. certificateUniqueID(bad)")
    cert.unique_id = UNIQUE_ID
    env.datadeal.set_consent(env.ctx, env.consent(cert, agreements=[]))
    assert attempt(cert) == "already provided consent" + SUFFIX
    cert.data_hash = "fresh"
    assert attempt(cert, agreements=[]) == "invalid count(0) of agreements: expected:2" + SUFFIX
    assert attempt(cert) == "not enough balance in deal" + SUFFIX


def test_non_umed_budget(sha_env: Env) -> None:
    """A non-umed budget passes ValidateBasic; with P > 0 every consent fails the umed balance guard."""
    env = sha_env
    env.store_oracle()
    env.fund(env.consumer, 100, "uatom")
    msg = env.create_msg()
    msg.budget.CopyFrom(coin_pb2.Coin(denom="uatom", amount="100"))
    deal_id = env.datadeal.create_deal(env.ctx, msg)
    assert submit_error(env, env.consent(env.certificate(deal_id))) == "not enough balance in deal" + SUFFIX


def test_non_umed_budget_with_zero_price_completes_and_refunds(sha_env: Env) -> None:
    """P = floor(1 / 2) = 0: consents pay nothing (empty transfers) and completion returns the uatom."""
    env = sha_env
    env.store_oracle()
    env.fund(env.consumer, 1, "uatom")
    msg = env.create_msg(max_num_data=2)
    msg.budget.CopyFrom(coin_pb2.Coin(denom="uatom", amount="1"))
    deal_id = env.datadeal.create_deal(env.ctx, msg)
    escrow = addr.encode(env.datadeal.deal_address(deal_id))
    env.submit(deal_id, "a")
    env.ctx.events.clear()
    env.submit(deal_id, "b")
    assert env.ctx.events == [
        *transfer_events(escrow, env.provider, ""),
        *transfer_events(escrow, env.oracle_account, ""),
        *transfer_events(escrow, env.consumer, "1uatom"),
    ]
    assert env.balance(env.consumer, "uatom") == 1
    assert env.balance(env.provider, DENOM) == 0


def test_consent_stored_under_certificate_deal_id(sha_env: Env) -> None:
    """The keeper loads the deal by consent.deal_id but stores under the certificate's ids (§2.2)."""
    env = sha_env
    d1 = env.create_deal(budget=10_000, max_num_data=10)
    env.create_deal(budget=10_000, max_num_data=10)
    env.store_oracle()
    cert = env.certificate(2)
    consent = env.consent(cert)
    consent.deal_id = d1  # would fail ValidateBasic; keepers do not re-run it
    env.datadeal.submit_consent(env.ctx, consent)
    assert env.datadeal.get_deal(env.ctx, d1).cur_num_data == 1
    assert env.datadeal.get_deal(env.ctx, 2).cur_num_data == 0
    assert env.datadeal.has_consent(env.ctx, 2, "dataHash")
    assert not env.datadeal.has_consent(env.ctx, d1, "dataHash")


def test_legacy_signature_binds_only_first_32_bytes(legacy_env: Env) -> None:
    """REF (§2.7) in legacy mode: a signature over one certificate validates another for a different deal."""
    env = legacy_env
    env.store_oracle()
    d1 = env.create_deal(budget=10_000, max_num_data=10)
    d2 = env.create_deal(budget=10_000, max_num_data=10)
    signature = env.sign(env.certificate(d1))
    env.datadeal.submit_consent(env.ctx, env.consent(env.certificate(d2), signature=signature))
    assert env.balance(env.provider) == 900


def test_sha256_signature_binds_whole_certificate(sha_env: Env) -> None:
    env = sha_env
    env.store_oracle()
    d1 = env.create_deal(budget=10_000, max_num_data=10)
    d2 = env.create_deal(budget=10_000, max_num_data=10)
    signature = env.sign(env.certificate(d1))
    consent = env.consent(env.certificate(d2), signature=signature)
    assert submit_error(env, consent) == "failed to signature validation" + SUFFIX
