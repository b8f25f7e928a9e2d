"""Gov params: amino-JSON partial updates (x/params Subspace.Update) and the SDK validators' texts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from panacea.chain.modules.gov.params import (
    DepositParams,
    ParamError,
    TallyParams,
    VotingParams,
    go_duration,
    update_deposit_params,
    update_tally_params,
    update_voting_params,
)
from panacea.types.coins import Coin


def test_partial_updates_keep_other_fields() -> None:
    new = update_deposit_params(DepositParams(), '{"min_deposit":[{"denom":"umed","amount":"5"}]}')
    assert new == DepositParams(min_deposit=(Coin("umed", 5),))
    assert update_deposit_params(DepositParams(), '{"max_deposit_period":"1000000000"}').max_deposit_period_ns == 10**9
    assert update_voting_params(VotingParams(), "{}") == VotingParams()
    assert update_tally_params(TallyParams(), '{"veto_threshold":"0.4"}') == TallyParams(veto_threshold=Decimal("0.4"))


@pytest.mark.parametrize(("params", "text"), [
    (DepositParams(min_deposit=(Coin("umed", 0),)), "invalid minimum deposit: 0umed"),
    (DepositParams(max_deposit_period_ns=0), "maximum deposit period must be positive: 0"),
    (VotingParams(voting_period_ns=-90 * 10**9), "voting period must be positive: -1m30s"),
    (TallyParams(quorum=Decimal("-0.1")), "quorom cannot be negative: -0.100000000000000000"),
    (TallyParams(quorum=Decimal("1.5")), 'quorom too large: quorum: "1.500000000000000000"\n'
     'threshold: "0.500000000000000000"\nveto_threshold: "0.334000000000000000"\n'),
    (TallyParams(veto_threshold=Decimal(0)), "veto threshold must be positive: 0.500000000000000000"),
])
def test_validators(params: DepositParams | VotingParams | TallyParams, text: str) -> None:
    with pytest.raises(ParamError) as e:
        params.validate()
    assert str(e.value) == text


@pytest.mark.parametrize(("value", "text"), [
    ("[", "invalid JSON: Expecting value"),
    ("[]", "expected a JSON object"),
    ('{"voting_period":172800}', "invalid int64 172800: expected a decimal string of nanoseconds"),
])
def test_amino_json_errors(value: str, text: str) -> None:
    with pytest.raises(ParamError) as e:
        update_voting_params(VotingParams(), value)
    assert str(e.value) == text


@pytest.mark.parametrize(("ns", "text"), [
    (0, "0s"), (172_800 * 10**9, "48h0m0s"), (1_500_000_000, "1.5s"), (-90 * 10**9, "-1m30s"),
    (2_500_000, "2.5ms"), (7, "7ns"), (3_000, "3µs"),
])
def test_go_duration(ns: int, text: str) -> None:
    assert go_duration(ns) == text
