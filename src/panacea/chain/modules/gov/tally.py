"""Tally (SDK 0.45 ``keeper/tally.go``) with genesis validator power standing in for bonded stake."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from panacea.chain import decmath
from panacea.chain.modules.gov.params import TallyParams
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2

OPTIONS: Final = (gov_pb2.VOTE_OPTION_YES, gov_pb2.VOTE_OPTION_ABSTAIN, gov_pb2.VOTE_OPTION_NO,
           gov_pb2.VOTE_OPTION_NO_WITH_VETO)


@dataclass(frozen=True)
class WeightedOption:
    option: gov_pb2.VoteOption
    weight: Decimal


@dataclass(frozen=True)
class ValidatorVote:
    power: int
    options: Sequence[WeightedOption]


@dataclass(frozen=True)
class TallyOutcome:
    passes: bool
    burn_deposits: bool  # the SDK's second return value (quorum failure or veto)
    vetoed: bool
    result: gov_pb2.TallyResult


def empty_result() -> gov_pb2.TallyResult:
    return gov_pb2.TallyResult(yes="0", abstain="0", no="0", no_with_veto="0")


def tally(votes: Iterable[ValidatorVote], total_power: int, params: TallyParams) -> TallyOutcome:
    results: dict[int, Decimal] = {o: decmath.ZERO for o in OPTIONS}
    voted = decmath.ZERO
    for v in votes:
        power = decmath.from_int(v.power)
        for o in v.options:
            if o.option in results:  # an unknown option (only possible via genesis) counts for nothing
                results[o.option] = decmath.add(results[o.option], decmath.mul(power, o.weight))
        voted = decmath.add(voted, power)
    result = gov_pb2.TallyResult(
        yes=str(decmath.truncate_int(results[gov_pb2.VOTE_OPTION_YES])),
        abstain=str(decmath.truncate_int(results[gov_pb2.VOTE_OPTION_ABSTAIN])),
        no=str(decmath.truncate_int(results[gov_pb2.VOTE_OPTION_NO])),
        no_with_veto=str(decmath.truncate_int(results[gov_pb2.VOTE_OPTION_NO_WITH_VETO])))

    def outcome(passes: bool, burn: bool, vetoed: bool = False) -> TallyOutcome:
        return TallyOutcome(passes, burn, vetoed, result)

    if total_power == 0:
        return outcome(False, False)
    if decmath.quo(voted, decmath.from_int(total_power)) < params.quorum:
        return outcome(False, True)
    non_abstain = decmath.sub(voted, results[gov_pb2.VOTE_OPTION_ABSTAIN])
    if non_abstain == decmath.ZERO:
        return outcome(False, False)
    if decmath.quo(results[gov_pb2.VOTE_OPTION_NO_WITH_VETO], voted) > params.veto_threshold:
        return outcome(False, True, vetoed=True)
    if decmath.quo(results[gov_pb2.VOTE_OPTION_YES], non_abstain) > params.threshold:
        return outcome(True, False)
    return outcome(False, False)
