"""Light-client verification of CometBFT 0.38 headers, without I/O (cometbft v0.38.25 ``light/verifier.go`` and
``types/validation.go``, with their texts).

A :class:`LightBlock` (header, its commit, the validator set of its height) from an untrusted node is accepted
only relative to one already trusted:

- **adjacent** (height + 1): the new header's validators are the trusted header's ``next_validators_hash``, and
  more than 2/3 of their power signed its commit (``verify_adjacent``);
- **non-adjacent** (skipping): more than the trust level (1/3) of the *trusted* set's power signed the new
  commit, so at least one honest validator vouches for it, and more than 2/3 of the new set signed it
  (``verify_non_adjacent``); too little trusted power is :class:`NotEnoughTrustError`, on which the client
  bisects;
- **backwards**: an older header is the one the trusted header's ``last_block_id`` hashes to.

Every forward step needs the trusted header to be inside the trust period (its time + period > now) and the new
header to be later than it and not from the future (now + max clock drift). The checks are CometBFT's; signatures
are ed25519 over the canonical vote sign bytes (``vote_sign_bytes``), the very bytes the embedded engine and
CometBFT sign.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final, NoReturn

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from panacea.client.light.errors import NotEnoughTrustError, TrustExpiredError, VerificationError
from panacea.types.cometbft.encoding import hexu, json_field, json_list, json_object, time_json
from panacea.types.cometbft.types import (
    BLOCK_ID_FLAG_ABSENT,
    BLOCK_ID_FLAG_COMMIT,
    BLOCK_ID_FLAG_NIL,
    BLOCK_PROTOCOL,
    GO_ZERO_TIME_NS,
    PRECOMMIT_TYPE,
    BlockID,
    Commit,
    CommitSig,
    Header,
    Validator,
    validators_hash,
    vote_sign_bytes,
)

HASH_SIZE: Final = 32
ADDRESS_SIZE: Final = 20
MAX_SIGNATURE_SIZE: Final = 64
MAX_CHAIN_ID_LEN: Final = 50
MAX_TOTAL_VOTING_POWER: Final = (2**63 - 1) // 8
DEFAULT_TRUST_LEVEL: Final = (1, 3)
DEFAULT_MAX_CLOCK_DRIFT_NS: Final = 10 * 10**9
_NS_PER_HOUR: Final = 3600 * 10**9


def _fail(message: str) -> NoReturn:
    raise VerificationError(message)


@dataclass(frozen=True)
class LightBlock:
    """A header, the commit that signs it and the validator set of its height (CometBFT's ``LightBlock``)."""

    header: Header
    commit: Commit
    validators: tuple[Validator, ...]

    @property
    def height(self) -> int:
        return self.header.height

    @cached_property
    def hash(self) -> bytes:
        """The header's hash: the block ID hash operators give as a trusted block."""
        return self.header.hash()

    def to_json(self) -> dict[str, Any]:
        return {"header": self.header.to_json(), "commit": self.commit.to_json(),
                "validators": [v.to_json() for v in self.validators]}

    @staticmethod
    def from_json(doc: object, where: str = "light block") -> LightBlock:
        """Strict inverse of :meth:`to_json` (ValueError naming the field)."""
        d = json_object(doc, where)
        vals = json_list(json_field(d, "validators", where), f"{where}.validators")
        return LightBlock(Header.from_json(json_field(d, "header", where), f"{where}.header"),
                          Commit.from_json(json_field(d, "commit", where), f"{where}.commit"),
                          tuple(Validator.from_json(v, f"{where}.validators[{i}]") for i, v in enumerate(vals)))


@dataclass(frozen=True)
class TrustOptions:
    """What verification is relative to: the chain, the trust period and level, and the clock drift allowed."""

    chain_id: str
    trust_period_ns: int
    trust_level: tuple[int, int] = DEFAULT_TRUST_LEVEL
    max_clock_drift_ns: int = DEFAULT_MAX_CLOCK_DRIFT_NS

    def __post_init__(self) -> None:
        num, den = self.trust_level
        if den <= 0 or num * 3 < den or num > den:
            raise ValueError(f"trust level must be within [1/3, 1], given {num}/{den}")
        if self.trust_period_ns <= 0:
            raise ValueError("the trust period must be positive")


# --- basic validation (ValidateBasic) -------------------------------------------------------------------------
def _hash_ok(value: bytes) -> bool:
    return not value or len(value) == HASH_SIZE


def validate_header(h: Header) -> None:
    """Header.ValidateBasic: "invalid header: <reason>" on failure."""
    problem = ""
    if h.version_block != BLOCK_PROTOCOL:
        problem = f"block protocol is incorrect: got: {h.version_block}, want: {BLOCK_PROTOCOL}"
    elif len(h.chain_id) > MAX_CHAIN_ID_LEN:
        problem = f"chainID is too long; got: {len(h.chain_id)}, max: {MAX_CHAIN_ID_LEN}"
    elif h.height <= 0:
        problem = "negative Height" if h.height < 0 else "zero Height"
    elif not (_hash_ok(h.last_block_id.hash) and _hash_ok(h.last_block_id.parts.hash)):
        problem = "wrong LastBlockID: wrong Hash"
    elif len(h.proposer_address) != ADDRESS_SIZE:
        problem = f"invalid ProposerAddress length; got: {len(h.proposer_address)}, expected: {ADDRESS_SIZE}"
    else:
        for name in ("last_commit_hash", "data_hash", "evidence_hash", "validators_hash", "next_validators_hash",
                     "consensus_hash", "last_results_hash"):
            value: bytes = getattr(h, name)
            if not _hash_ok(value):
                problem = f"wrong {name}: expected size to be {HASH_SIZE} bytes, got {len(value)} bytes"
                break
    if problem:
        _fail(f"invalid header: {problem}")


def _commit_sig_problem(s: CommitSig) -> str:
    if s.block_id_flag == BLOCK_ID_FLAG_ABSENT:
        if s.validator_address:
            return "validator address is present"
        if s.time_ns != GO_ZERO_TIME_NS:
            return "time is present"
        return "signature is present" if s.signature else ""
    if s.block_id_flag not in (BLOCK_ID_FLAG_COMMIT, BLOCK_ID_FLAG_NIL):
        return f"unknown BlockIDFlag: {s.block_id_flag}"
    if len(s.validator_address) != ADDRESS_SIZE:
        return f"expected ValidatorAddress size to be {ADDRESS_SIZE} bytes, got {len(s.validator_address)} bytes"
    if not s.signature:
        return "signature is missing"
    return f"signature is too big (max: {MAX_SIGNATURE_SIZE})" if len(s.signature) > MAX_SIGNATURE_SIZE else ""


def validate_commit(c: Commit) -> None:
    """Commit.ValidateBasic: "invalid commit: <reason>" on failure."""
    problem = ""
    if c.height < 0 or c.round < 0:
        problem = "negative Height" if c.height < 0 else "negative Round"
    elif c.height >= 1:
        if c.block_id.is_zero:
            problem = "commit cannot be for nil block"
        elif not c.signatures:
            problem = "no signatures in commit"
        else:
            for i, s in enumerate(c.signatures):
                if (reason := _commit_sig_problem(s)):
                    problem = f"wrong CommitSig #{i}: {reason}"
                    break
    if problem:
        _fail(f"invalid commit: {problem}")


def validate_validators(vals: Sequence[Validator]) -> None:
    """ValidatorSet.ValidateBasic, plus no validator twice and a total power CometBFT allows."""
    if not vals:
        _fail("invalid validator set: validator set is nil or empty")
    seen: set[bytes] = set()
    for v in vals:
        if v.power < 0:
            _fail(f"invalid validator set: validator {hexu(v.address)} has negative voting power")
        if v.address in seen:
            _fail(f"invalid validator set: duplicate validator {hexu(v.address)}")
        seen.add(v.address)
    total = sum(v.power for v in vals)
    if total > MAX_TOTAL_VOTING_POWER:
        _fail(f"invalid validator set: total voting power {total} exceeds the maximum {MAX_TOTAL_VOTING_POWER}")


def validate_light_block(lb: LightBlock, chain_id: str) -> None:
    """LightBlock.ValidateBasic: a well-formed header signed by its own commit, for ``chain_id``, whose validator set
    is the one the header names."""
    validate_header(lb.header)
    validate_commit(lb.commit)
    if lb.header.chain_id != chain_id:
        _fail(f"header belongs to another chain {lb.header.chain_id!r}, not {chain_id!r}")
    if lb.commit.height != lb.height:
        _fail(f"header and commit height mismatch: {lb.height} vs {lb.commit.height}")
    if lb.commit.block_id.hash != lb.hash:
        _fail(f"commit signs block {hexu(lb.commit.block_id.hash)}, header is block {hexu(lb.hash)}")
    validate_validators(lb.validators)
    if (got := validators_hash(lb.validators)) != lb.header.validators_hash:
        _fail(f"expected validator hash of header to match validator set hash "
              f"({hexu(lb.header.validators_hash)} != {hexu(got)})")


# --- commit signatures ----------------------------------------------------------------------------------------
def _signature_ok(pub_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(pub_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _tally(chain_id: str, vals: Sequence[Validator], commit: Commit, needed: int, *, by_index: bool) -> int:
    """Voting power of the valid COMMIT signatures, stopping once it exceeds ``needed`` (verifyCommitSingle)."""
    index = {v.address: i for i, v in enumerate(vals)}
    seen: dict[int, int] = {}
    tallied = 0
    for idx, sig in enumerate(commit.signatures):
        if sig.block_id_flag != BLOCK_ID_FLAG_COMMIT:
            continue
        if (reason := _commit_sig_problem(sig)):
            _fail(f"invalid signature at index {idx}: {reason}")
        if by_index:
            val = vals[idx]
            if val.address != sig.validator_address:
                _fail(f"validator address mismatch at index {idx}: expected {hexu(val.address)}, "
                      f"got {hexu(sig.validator_address)}")
        else:
            at = index.get(sig.validator_address)
            if at is None:  # not one of these validators: it simply does not count
                continue
            if at in seen:
                _fail(f"double vote from {hexu(sig.validator_address)} ({seen[at]} and {idx})")
            seen[at] = idx
            val = vals[at]
        message = vote_sign_bytes(chain_id, PRECOMMIT_TYPE, commit.height, commit.round, commit.block_id, sig.time_ns)
        if not _signature_ok(val.pub_key, message, sig.signature):
            _fail(f"wrong signature (#{idx}): {hexu(sig.signature)}")
        tallied += val.power
        if tallied > needed:
            return tallied
    return tallied


def verify_commit_light(chain_id: str, vals: Sequence[Validator], block_id: BlockID, height: int,
                        commit: Commit) -> None:
    """More than 2/3 of the power of ``vals`` (the commit's own validator set) signed ``block_id`` at ``height``."""
    if len(vals) != len(commit.signatures):
        _fail(f"Invalid commit -- wrong set size: {len(vals)} vs {len(commit.signatures)}")
    if height != commit.height:
        _fail(f"Invalid commit -- wrong height: {height} vs {commit.height}")
    if block_id != commit.block_id:
        _fail(f"invalid commit -- wrong block ID: want {hexu(block_id.hash)}, got {hexu(commit.block_id.hash)}")
    needed = sum(v.power for v in vals) * 2 // 3
    got = _tally(chain_id, vals, commit, needed, by_index=True)
    if got <= needed:
        _fail(f"invalid commit -- insufficient voting power: got {got}, needed more than {needed}")


def verify_commit_light_trusting(chain_id: str, vals: Sequence[Validator], commit: Commit,
                                 trust_level: tuple[int, int]) -> None:
    """More than ``trust_level`` of the power of ``vals`` (a trusted set, maybe not the commit's) signed it."""
    num, den = trust_level
    needed = sum(v.power for v in vals) * num // den
    got = _tally(chain_id, vals, commit, needed, by_index=False)
    if got <= needed:
        raise NotEnoughTrustError(f"cannot trust the new validator set: the trusted validators signed with power "
                                  f"{got}, needed more than {needed} ({num}/{den} of their power)")


# --- verification steps ---------------------------------------------------------------------------------------
def header_expired(header: Header, trust_period_ns: int, now_ns: int) -> bool:
    """The trusted header is too old to verify from (HeaderExpired)."""
    return not header.time_ns + trust_period_ns > now_ns


def _period(ns: int) -> str:
    return f"{ns // _NS_PER_HOUR}h" if ns % _NS_PER_HOUR == 0 else f"{ns / 10**9:g}s"


def check_not_expired(trusted: Header, opts: TrustOptions, now_ns: int) -> None:
    if header_expired(trusted, opts.trust_period_ns, now_ns):
        raise TrustExpiredError(
            f"the trusted header at height {trusted.height} expired at "
            f"{time_json(trusted.time_ns + opts.trust_period_ns)} (trust period {_period(opts.trust_period_ns)}, "
            f"now {time_json(now_ns)}): give a new trusted block")


def _verify_new_header_and_vals(trusted: Header, untrusted: LightBlock, opts: TrustOptions, now_ns: int) -> None:
    validate_light_block(untrusted, opts.chain_id)
    new = untrusted.header
    if new.height <= trusted.height:
        _fail(f"expected new header height {new.height} to be greater than one of old header {trusted.height}")
    if not new.time_ns > trusted.time_ns:
        _fail(f"expected new header time {time_json(new.time_ns)} to be after old header time "
              f"{time_json(trusted.time_ns)}")
    if not new.time_ns < now_ns + opts.max_clock_drift_ns:
        _fail(f"new header has a time from the future {time_json(new.time_ns)} (now: {time_json(now_ns)}; "
              f"max clock drift: {opts.max_clock_drift_ns / 10**9:g}s)")


def verify_adjacent(trusted: LightBlock, untrusted: LightBlock, opts: TrustOptions, now_ns: int) -> None:
    """Sequential step: ``untrusted`` is the block right after ``trusted``."""
    if untrusted.height != trusted.height + 1:
        raise ValueError("headers must be adjacent in height")
    check_not_expired(trusted.header, opts, now_ns)
    _verify_new_header_and_vals(trusted.header, untrusted, opts, now_ns)
    if untrusted.header.validators_hash != trusted.header.next_validators_hash:
        _fail(f"expected old header next validators ({hexu(trusted.header.next_validators_hash)}) to match those "
              f"from new header ({hexu(untrusted.header.validators_hash)})")
    verify_commit_light(opts.chain_id, untrusted.validators, untrusted.commit.block_id, untrusted.height,
                        untrusted.commit)


def verify_non_adjacent(trusted: LightBlock, untrusted: LightBlock, opts: TrustOptions, now_ns: int) -> None:
    """Skipping step: ``untrusted`` is more than one block after ``trusted``."""
    if untrusted.height == trusted.height + 1:
        raise ValueError("headers must be non adjacent in height")
    check_not_expired(trusted.header, opts, now_ns)
    _verify_new_header_and_vals(trusted.header, untrusted, opts, now_ns)
    verify_commit_light_trusting(opts.chain_id, trusted.validators, untrusted.commit, opts.trust_level)
    # last, as CometBFT: the untrusted set could be made huge to waste our time
    verify_commit_light(opts.chain_id, untrusted.validators, untrusted.commit.block_id, untrusted.height,
                        untrusted.commit)


def verify(trusted: LightBlock, untrusted: LightBlock, opts: TrustOptions, now_ns: int) -> None:
    """Sequential verification for the next height, skipping verification for any later one."""
    if untrusted.height == trusted.height + 1:
        verify_adjacent(trusted, untrusted, opts, now_ns)
    else:
        verify_non_adjacent(trusted, untrusted, opts, now_ns)


def verify_backwards(untrusted: Header, trusted: Header) -> None:
    """``untrusted`` is the block right before ``trusted``: the hash the trusted header links to."""
    validate_header(untrusted)
    if untrusted.chain_id != trusted.chain_id:
        _fail("header belongs to another chain")
    if not untrusted.time_ns < trusted.time_ns:
        _fail(f"expected older header time {time_json(untrusted.time_ns)} to be before new header time "
              f"{time_json(trusted.time_ns)}")
    if untrusted.hash() != trusted.last_block_id.hash:
        _fail(f"older header hash {hexu(untrusted.hash())} does not match trusted header's last block "
              f"{hexu(trusted.last_block_id.hash)}")


def verify_trust_root(lb: LightBlock, root_hash: bytes, opts: TrustOptions, now_ns: int) -> None:
    """The first trusted block: the operator's hash, within the trust period, signed by +2/3 of its validators."""
    validate_light_block(lb, opts.chain_id)
    if lb.hash != root_hash:
        _fail(f"expected header's hash {hexu(root_hash)}, but got {hexu(lb.hash)}")
    check_not_expired(lb.header, opts, now_ns)
    verify_commit_light(opts.chain_id, lb.validators, lb.commit.block_id, lb.height, lb.commit)
