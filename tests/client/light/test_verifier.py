"""Light-client verification without I/O, on synthetic chains with real ed25519 commits: each check of
CometBFT's verifier, with its text."""

from __future__ import annotations

import dataclasses

import pytest

from panacea.client.light.errors import NotEnoughTrustError, TrustExpiredError, VerificationError
from panacea.client.light.verifier import (
    LightBlock,
    TrustOptions,
    header_expired,
    validate_light_block,
    verify,
    verify_backwards,
    verify_trust_root,
)
from panacea.types.cometbft.types import CommitSig, Validator, validators_hash
from tests.client.light.kit import HOUR, T0, Chain, key, make_chain, sign_block

FOUR = ["a", "b", "c", "d"]
OPTS = TrustOptions("synthetic", 336 * HOUR)
NOW = T0 + 100 * 10**9


@pytest.fixture(scope="module")
def chain() -> Chain:
    return make_chain([FOUR] * 8)


@pytest.fixture(scope="module")
def other() -> Chain:
    """The same heights and times, signed by four other validators."""
    return make_chain([["w", "x", "y", "z"]] * 8)


def hx(data: bytes) -> str:
    return data.hex().upper()


def resigned(chain: Chain, block: LightBlock, signers: list[str] | None = None, **header_changes: object) -> LightBlock:
    """``block`` with header fields changed and its commit signed again (by ``signers``, default all)."""
    header = dataclasses.replace(block.header, **header_changes)  # type: ignore[arg-type]
    addresses = None if signers is None else {key(label).address for label in signers}
    return sign_block(chain.chain_id, header, block.validators, chain.keys, addresses)


def failure(trusted: LightBlock, untrusted: LightBlock, now: int = NOW, opts: TrustOptions = OPTS) -> str:
    with pytest.raises(VerificationError) as e:
        verify(trusted, untrusted, opts, now)
    return str(e.value)


def test_adjacent_and_skipping_steps_pass(chain: Chain) -> None:
    verify(chain[1], chain[2], OPTS, NOW)
    verify(chain[1], chain[8], OPTS, NOW)
    verify(chain[3], chain[4], OPTS, NOW)


def test_a_commit_signed_by_less_than_two_thirds_is_rejected(chain: Chain) -> None:
    half = resigned(chain, chain[2], ["a", "b"])
    assert failure(chain[1], half) == "invalid commit -- insufficient voting power: got 20, needed more than 26"
    far = resigned(chain, chain[6], ["a", "b"])  # 1/3 of the trusted set signed, but not 2/3 of its own
    assert failure(chain[1], far) == "invalid commit -- insufficient voting power: got 20, needed more than 26"
    unsigned = resigned(chain, chain[2], [])
    assert failure(chain[1], unsigned) == "invalid commit -- insufficient voting power: got 0, needed more than 26"
    assert len(unsigned.commit.signatures) == 4 and unsigned.commit.signatures[0] == CommitSig.absent()
    verify(chain[1], resigned(chain, chain[2], ["a", "b", "c"]), OPTS, NOW)  # 30 of 40 is more than 2/3


def test_a_header_signed_by_other_validators_is_rejected(chain: Chain, other: Chain) -> None:
    with pytest.raises(NotEnoughTrustError) as e:
        verify(chain[1], other[5], OPTS, NOW)
    assert str(e.value) == ("cannot trust the new validator set: the trusted validators signed with power 0, "
                            "needed more than 13 (1/3 of their power)")
    assert failure(chain[1], other[2]) == (
        f"expected old header next validators ({hx(chain[1].header.next_validators_hash)}) to match those from new "
        f"header ({hx(other[2].header.validators_hash)})")


def test_a_validator_set_other_than_the_headers_is_rejected(chain: Chain, other: Chain) -> None:
    swapped = LightBlock(chain[2].header, chain[2].commit, other[2].validators)
    assert failure(chain[1], swapped) == (
        f"expected validator hash of header to match validator set hash ({hx(chain[2].header.validators_hash)} != "
        f"{hx(validators_hash(other[2].validators))})")
    stronger = tuple(Validator(v.pub_key, v.power * 2) for v in chain[2].validators)
    assert "expected validator hash of header to match" in failure(chain[1], LightBlock(chain[2].header,
                                                                                         chain[2].commit, stronger))
    twice = (*chain[2].validators[:3], chain[2].validators[0])
    assert failure(chain[1], LightBlock(chain[2].header, chain[2].commit, twice)) == (
        f"invalid validator set: duplicate validator {hx(chain[2].validators[0].address)}")


def test_a_trusted_header_outside_the_trust_period_is_rejected(chain: Chain) -> None:
    expiry = chain[1].header.time_ns + OPTS.trust_period_ns
    assert not header_expired(chain[1].header, OPTS.trust_period_ns, expiry - 1)
    assert header_expired(chain[1].header, OPTS.trust_period_ns, expiry)
    for untrusted in (chain[2], chain[5]):
        with pytest.raises(TrustExpiredError) as e:
            verify(chain[1], untrusted, OPTS, expiry)
        assert str(e.value) == ("the trusted header at height 1 expired at 2023-11-28T22:13:21Z (trust period 336h, "
                                "now 2023-11-28T22:13:21Z): give a new trusted block")
    short = TrustOptions("synthetic", 90 * 10**9)
    assert failure(chain[1], chain[2], T0 + 91 * 10**9, short).endswith(
        "(trust period 90s, now 2023-11-14T22:14:51Z): give a new trusted block")


def test_time_and_height_must_move_forward_and_not_into_the_future(chain: Chain) -> None:
    assert failure(chain[1], chain[2], now=T0 - 10 * 10**9) == (
        "new header has a time from the future 2023-11-14T22:13:22Z (now: 2023-11-14T22:13:10Z; max clock drift: 10s)")
    same_time = resigned(chain, chain[3], time_ns=chain[1].header.time_ns)
    assert failure(chain[1], same_time) == ("expected new header time 2023-11-14T22:13:21Z to be after old header "
                                            "time 2023-11-14T22:13:21Z")
    assert failure(chain[3], chain[1]) == "expected new header height 1 to be greater than one of old header 3"


def test_signatures_are_checked_one_by_one(chain: Chain) -> None:
    block = chain[2]
    sigs = list(block.commit.signatures)
    bad = dataclasses.replace(sigs[0], signature=bytes([sigs[0].signature[0] ^ 1]) + sigs[0].signature[1:])
    tampered = dataclasses.replace(block, commit=dataclasses.replace(block.commit, signatures=(bad, *sigs[1:])))
    assert failure(chain[1], tampered) == f"wrong signature (#0): {hx(bad.signature)}"
    swapped = dataclasses.replace(block, commit=dataclasses.replace(block.commit,
                                                                    signatures=(sigs[1], sigs[0], *sigs[2:])))
    assert failure(chain[1], swapped) == (f"validator address mismatch at index 0: expected "
                                          f"{hx(block.validators[0].address)}, got {hx(sigs[1].validator_address)}")
    short = dataclasses.replace(block, commit=dataclasses.replace(block.commit, signatures=tuple(sigs[:3])))
    assert failure(chain[1], short) == "Invalid commit -- wrong set size: 4 vs 3"
    far = chain[5]
    fs = far.commit.signatures
    double = dataclasses.replace(far, commit=dataclasses.replace(far.commit, signatures=(fs[0], fs[0], *fs[2:])))
    assert failure(chain[1], double) == f"double vote from {hx(fs[0].validator_address)} (0 and 1)"


def test_header_and_commit_must_agree(chain: Chain) -> None:
    block = chain[2]
    changed = dataclasses.replace(block.header, app_hash=bytes(32))
    assert failure(chain[1], dataclasses.replace(block, header=changed)) == (
        f"commit signs block {hx(block.hash)}, header is block {hx(changed.hash())}")
    other_chain = resigned(chain, block, chain_id="elsewhere")
    assert failure(chain[1], other_chain) == "header belongs to another chain 'elsewhere', not 'synthetic'"
    old_protocol = resigned(chain, block, version_block=10)
    assert failure(chain[1], old_protocol) == "invalid header: block protocol is incorrect: got: 10, want: 11"
    sigs = list(block.commit.signatures)
    sigs[1] = dataclasses.replace(CommitSig.absent(), signature=b"x")
    bad_absent = dataclasses.replace(block, commit=dataclasses.replace(block.commit, signatures=tuple(sigs)))
    assert failure(chain[1], bad_absent) == "invalid commit: wrong CommitSig #1: signature is present"


def test_backwards_follows_the_last_block_id_hashes(chain: Chain, other: Chain) -> None:
    verify_backwards(chain[4].header, chain[5].header)
    with pytest.raises(VerificationError) as e:
        verify_backwards(other[4].header, chain[5].header)
    assert str(e.value) == (f"older header hash {hx(other[4].hash)} does not match trusted header's last block "
                            f"{hx(chain[5].header.last_block_id.hash)}")


def test_the_trust_root_must_be_the_operators_block(chain: Chain) -> None:
    verify_trust_root(chain[1], chain[1].hash, OPTS, NOW)
    validate_light_block(chain[1], "synthetic")
    with pytest.raises(VerificationError) as e:
        verify_trust_root(chain[1], chain[2].hash, OPTS, NOW)
    assert str(e.value) == f"expected header's hash {hx(chain[2].hash)}, but got {hx(chain[1].hash)}"
    with pytest.raises(VerificationError) as e:
        verify_trust_root(resigned(chain, chain[1], ["a"]), resigned(chain, chain[1], ["a"]).hash, OPTS, NOW)
    assert str(e.value) == "invalid commit -- insufficient voting power: got 10, needed more than 26"


@pytest.mark.parametrize(("level", "message"), [((1, 4), "trust level must be within [1/3, 1], given 1/4"),
                                                ((4, 3), "trust level must be within [1/3, 1], given 4/3"),
                                                ((1, 0), "trust level must be within [1/3, 1], given 1/0")])
def test_trust_levels_outside_one_third_to_one_are_refused(level: tuple[int, int], message: str) -> None:
    with pytest.raises(ValueError) as e:
        TrustOptions("c", HOUR, level)
    assert str(e.value) == message


def test_light_blocks_round_trip_through_json(chain: Chain) -> None:
    assert LightBlock.from_json(chain[3].to_json()) == chain[3]
    with pytest.raises(ValueError) as e:
        LightBlock.from_json({**chain[3].to_json(), "validators": {}})
    assert str(e.value) == "light block.validators: expected a list, got dict"
