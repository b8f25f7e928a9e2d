"""Deposit, voting and tally params (SDK 0.45 defaults and validators) and their three encodings:
protobuf in the store and genesis, amino JSON in ParameterChangeProposal values (subspace ``gov``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Final

from google.protobuf import duration_pb2

from panacea.chain.coins import DENOM, Coin, coins_from_pb, coins_str, coins_to_pb, coins_valid
from panacea.chain.decmath import ONE, ZERO
from panacea.types.dec import dec_from_wire, dec_to_json, dec_to_wire, parse_dec
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2

NANOS: Final = 1_000_000_000
DEFAULT_PERIOD_NS: Final = 172_800 * NANOS
KEY_DEPOSIT_PARAMS: Final = "depositparams"
KEY_VOTING_PARAMS: Final = "votingparams"
KEY_TALLY_PARAMS: Final = "tallyparams"


class ParamError(ValueError):
    """A params validation failure; the text is the SDK's (callers wrap it in a registered error)."""


@dataclass(frozen=True)
class DepositParams:
    min_deposit: tuple[Coin, ...] = (Coin(DENOM, 10_000_000),)
    max_deposit_period_ns: int = DEFAULT_PERIOD_NS

    def to_pb(self) -> gov_pb2.DepositParams:
        return gov_pb2.DepositParams(min_deposit=coins_to_pb(self.min_deposit),
                                     max_deposit_period=duration_from_ns(self.max_deposit_period_ns))

    @staticmethod
    def from_pb(p: gov_pb2.DepositParams) -> DepositParams:
        return DepositParams(tuple(coins_from_pb(p.min_deposit)), duration_ns(p.max_deposit_period))

    def validate(self) -> None:
        if not coins_valid(self.min_deposit):
            raise ParamError(f"invalid minimum deposit: {coins_str(self.min_deposit)}")
        if self.max_deposit_period_ns <= 0:
            raise ParamError(f"maximum deposit period must be positive: {self.max_deposit_period_ns}")


@dataclass(frozen=True)
class VotingParams:
    voting_period_ns: int = DEFAULT_PERIOD_NS

    def to_pb(self) -> gov_pb2.VotingParams:
        return gov_pb2.VotingParams(voting_period=duration_from_ns(self.voting_period_ns))

    @staticmethod
    def from_pb(p: gov_pb2.VotingParams) -> VotingParams:
        return VotingParams(duration_ns(p.voting_period))

    def validate(self) -> None:
        if self.voting_period_ns <= 0:
            raise ParamError(f"voting period must be positive: {go_duration(self.voting_period_ns)}")


@dataclass(frozen=True)
class TallyParams:
    quorum: Decimal = Decimal("0.334")
    threshold: Decimal = Decimal("0.5")
    veto_threshold: Decimal = Decimal("0.334")

    def to_pb(self) -> gov_pb2.TallyParams:
        return gov_pb2.TallyParams(quorum=dec_to_wire(self.quorum).encode(),
                                   threshold=dec_to_wire(self.threshold).encode(),
                                   veto_threshold=dec_to_wire(self.veto_threshold).encode())

    @staticmethod
    def from_pb(p: gov_pb2.TallyParams) -> TallyParams:
        return TallyParams(dec_from_wire(p.quorum.decode()), dec_from_wire(p.threshold.decode()),
                           dec_from_wire(p.veto_threshold.decode()))

    def yaml(self) -> str:
        """TallyParams.String() (yaml) as the SDK prints it inside "too large" errors."""
        return (f'quorum: "{dec_to_json(self.quorum)}"\nthreshold: "{dec_to_json(self.threshold)}"\n'
                f'veto_threshold: "{dec_to_json(self.veto_threshold)}"\n')

    def validate(self) -> None:
        if self.quorum < ZERO:
            raise ParamError(f"quorom cannot be negative: {dec_to_json(self.quorum)}")
        if self.quorum > ONE:
            raise ParamError(f"quorom too large: {self.yaml()}")
        if self.threshold <= ZERO:
            raise ParamError(f"vote threshold must be positive: {dec_to_json(self.threshold)}")
        if self.threshold > ONE:
            raise ParamError(f"vote threshold too large: {self.yaml()}")
        if self.veto_threshold <= ZERO:
            # REF: the SDK prints the threshold, not the veto threshold, here.
            raise ParamError(f"veto threshold must be positive: {dec_to_json(self.threshold)}")
        if self.veto_threshold > ONE:
            raise ParamError(f"veto threshold too large: {self.yaml()}")


# --- amino JSON (x/params Subspace.Update: the value is decoded on top of the current params) ------------
def update_deposit_params(current: DepositParams, value: str) -> DepositParams:
    obj = _object(value)
    new = current
    if "min_deposit" in obj:
        new = replace(new, min_deposit=_amino_coins(obj["min_deposit"]))
    if "max_deposit_period" in obj:
        new = replace(new, max_deposit_period_ns=_amino_int64(obj["max_deposit_period"]))
    return new


def update_voting_params(current: VotingParams, value: str) -> VotingParams:
    obj = _object(value)
    if "voting_period" in obj:
        return replace(current, voting_period_ns=_amino_int64(obj["voting_period"]))
    return current


def update_tally_params(current: TallyParams, value: str) -> TallyParams:
    obj = _object(value)
    new = current
    for name in ("quorum", "threshold", "veto_threshold"):
        if name in obj:
            new = replace(new, **{name: _amino_dec(obj[name])})
    return new


def _object(value: str) -> dict[str, Any]:
    try:
        obj = json.loads(value)
    except json.JSONDecodeError as e:
        raise ParamError(f"invalid JSON: {e.msg}") from None
    if not isinstance(obj, dict):
        raise ParamError("expected a JSON object")
    return obj


def _amino_int64(v: object) -> int:
    """Amino JSON writes int64 (time.Duration in nanoseconds) as a decimal string."""
    if not isinstance(v, str) or not v.lstrip("-").isdigit() or not -(2**63) <= int(v) < 2**63:
        raise ParamError(f"invalid int64 {json.dumps(v)}: expected a decimal string of nanoseconds")
    return int(v)


def _amino_dec(v: object) -> Decimal:
    if not isinstance(v, str):
        raise ParamError(f"invalid decimal {json.dumps(v)}")
    try:
        return parse_dec(v)
    except ValueError as e:
        raise ParamError(str(e)) from None


def _amino_coins(v: object) -> tuple[Coin, ...]:
    if v is None:
        return ()
    if not isinstance(v, list):
        raise ParamError(f"invalid coins {json.dumps(v)}")
    out = []
    for c in v:
        if not isinstance(c, dict) or not isinstance(c.get("denom"), str) or not isinstance(c.get("amount"), str) \
                or not c["amount"].lstrip("-").isdigit():
            raise ParamError(f"invalid coin {json.dumps(c)}")
        out.append(Coin(c["denom"], int(c["amount"])))
    return tuple(out)


# --- shared conversions -------------------------------------------------------------------------------
def duration_ns(d: duration_pb2.Duration) -> int:
    return d.seconds * NANOS + d.nanos


def duration_from_ns(ns: int) -> duration_pb2.Duration:
    seconds = int(ns / NANOS) if ns < 0 else ns // NANOS  # both fields carry the sign (protobuf rule)
    return duration_pb2.Duration(seconds=seconds, nanos=ns - seconds * NANOS)


def go_duration(ns: int) -> str:
    """time.Duration.String() for the error texts that print one."""
    if ns == 0:
        return "0s"
    sign, n = ("-", -ns) if ns < 0 else ("", ns)
    if n < NANOS:
        for unit, size in (("ms", 10**6), ("µs", 10**3)):
            if n >= size:
                return sign + _frac(n, size) + unit
        return f"{sign}{n}ns"
    hours, rest = divmod(n, 3600 * NANOS)
    minutes, rest = divmod(rest, 60 * NANOS)
    seconds = _frac(rest, NANOS) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{seconds}"
    if minutes:
        return f"{sign}{minutes}m{seconds}"
    return sign + seconds


def _frac(n: int, size: int) -> str:
    whole, rest = divmod(n, size)
    if not rest:
        return str(whole)
    digits = len(str(size)) - 1
    return f"{whole}.{rest:0{digits}d}".rstrip("0")
