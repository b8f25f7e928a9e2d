"""The light client over JSON-RPC from a node serving a synthetic chain (real HTTP on 127.0.0.1, real ed25519
commits): sequential and skipping updates, bisection across validator set changes, backwards verification, the
trust period, the persisted store, one update for concurrent readers, and nodes that answer wrongly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest

from panacea.client import AsyncChainClient, RpcCallError
from panacea.client.light import LightClient, LightStore, TrustExpiredError, TrustOptions, VerificationError
from tests.client.light.kit import HOUR, JSON, T0, Chain, Handler, make_chain, serve_rpc

T = TypeVar("T")
NOW = T0 + 1000 * 10**9
OPTS = TrustOptions("synthetic", 336 * HOUR)


def hx(data: bytes) -> str:
    return data.hex().upper()


def run_with(handler: Handler, tmp: Path, body: Callable[[LightClient], Coroutine[Any, Any, T]], *,
             root: tuple[int, bytes], clock: Callable[[], int] = lambda: NOW, store: str = "lc") -> T:
    """``body(light client)`` against a JSON-RPC server answering with ``handler``."""
    async def go(url: str) -> T:
        lc_store = LightStore(tmp / store)
        try:
            async with AsyncChainClient(url) as client:
                return await body(LightClient(client, lc_store, root, OPTS, clock=clock))
        finally:
            lc_store.close()

    with serve_rpc(handler) as url:
        return asyncio.run(go(url))


def test_skipping_verification_jumps_to_the_latest_block_in_one_step(tmp_path: Path) -> None:
    chain = make_chain([["a", "b", "c"]] * 40)
    served: list[int] = []

    async def body(lc: LightClient) -> None:
        assert (await lc.latest()).height == 40
        assert lc.latest_trusted == chain[40]
        assert (await lc.latest()) == chain[40]  # nothing newer: the trusted block again

    run_with(chain.handler(served), tmp_path, body, root=chain.root)
    assert served == [1, 40, 40]  # the root, the node's latest, asked again


def test_bisection_across_validator_set_changes(tmp_path: Path) -> None:
    """The validators are all replaced at heights 11 and 21: no skip can cross a change, so the client bisects
    down to the adjacent steps 10 → 11 and 20 → 21 (each new set is the old header's next_validators_hash)."""
    chain = make_chain([["a", "b", "c", "d"]] * 10 + [["e", "f", "g", "h"]] * 10 + [["i", "j", "k", "l"]] * 10)
    served: list[int] = []

    async def body(lc: LightClient) -> None:
        assert (await lc.latest()) == chain[30]

    run_with(chain.handler(served), tmp_path, body, root=chain.root)
    assert served == [1, 30, 15, 8, 11, 9, 10, 22, 18, 20, 21]


def test_skips_as_long_as_a_third_of_the_trusted_power_signs(tmp_path: Path) -> None:
    """One of three validators is replaced every 10 blocks: from the root, 2/3 of its set still signs block 10
    and 1/3 signs block 20, so two skips suffice; block 30 is signed by none of the root's validators."""
    chain = make_chain([["a", "b", "c"]] * 10 + [["a", "b", "d"]] * 10 + [["a", "e", "d"]] * 10
                       + [["f", "e", "d"]] * 10)
    served: list[int] = []

    async def body(lc: LightClient) -> None:
        assert (await lc.latest()) == chain[40]

    run_with(chain.handler(served), tmp_path, body, root=chain.root)
    assert served == [1, 40, 20, 30]


def test_blocks_below_and_between_trusted_ones(tmp_path: Path) -> None:
    chain = make_chain([["a", "b"]] * 12)
    served: list[int] = []

    async def body(lc: LightClient) -> None:
        assert (await lc.latest()).height == 12
        assert (await lc.verify_height(9)) == chain[9]  # forwards from the root (inside the trust period)
        assert (await lc.verify_height(3)) == chain[3]  # backwards from 6, the root: header links down to 3
        assert (await lc.verify_height(3)) == chain[3]  # kept
        with pytest.raises(RpcCallError) as e:
            await lc.verify_height(13)
        assert e.value.data == "height 13 must be less than or equal to the current blockchain height 12"
        with pytest.raises(ValueError, match=r"^negative or zero height$"):
            await lc.verify_height(0)

    run_with(chain.handler(served), tmp_path, body, root=(6, chain[6].hash))
    assert served == [6, 12, 9, 3]  # (13: the error answer)


def test_backwards_verification_needs_no_trust_period(tmp_path: Path) -> None:
    chain = make_chain([["a", "b"]] * 5)
    now = [NOW]

    async def body(lc: LightClient) -> None:
        assert (await lc.latest()).height == 5
        now[0] = chain[5].header.time_ns + OPTS.trust_period_ns  # every trusted block has expired
        assert (await lc.verify_height(4)) == chain[4]  # backwards from 5: hash links hold forever

    run_with(chain.handler(), tmp_path, body, root=chain.root, clock=lambda: now[0])


def test_an_expired_trust_root_is_refused(tmp_path: Path) -> None:
    chain = make_chain([["a", "b"]] * 5)
    late = chain[1].header.time_ns + OPTS.trust_period_ns

    async def start(lc: LightClient) -> None:
        await lc.latest()

    with pytest.raises(TrustExpiredError) as e:
        run_with(chain.handler(), tmp_path, start, root=chain.root, clock=lambda: late, store="late")
    assert str(e.value) == ("cannot trust the trusted block at height 1: the trusted header at height 1 expired at "
                            "2023-11-28T22:13:21Z (trust period 336h, now 2023-11-28T22:13:21Z): give a new trusted "
                            "block")


def test_an_expired_latest_trusted_block_cannot_verify_newer_ones(tmp_path: Path) -> None:
    chain = make_chain([["a", "b"]] * 9)
    now = [NOW]

    async def body(lc: LightClient) -> str:
        await lc.verify_height(5)
        now[0] = chain[5].header.time_ns + OPTS.trust_period_ns
        with pytest.raises(TrustExpiredError) as e:
            await lc.latest()
        return str(e.value)

    message = run_with(chain.handler(latest=9), tmp_path, body, root=chain.root, clock=lambda: now[0])
    assert message == ("cannot verify block 9 from trusted block 5: the trusted header at height 5 expired at "
                       "2023-11-28T22:13:25Z (trust period 336h, now 2023-11-28T22:13:25Z): give a new trusted block")


def test_verified_blocks_are_kept_for_the_next_run(tmp_path: Path) -> None:
    chain = make_chain([["a", "b"]] * 10)
    first: list[int] = []
    second: list[int] = []

    async def body(lc: LightClient) -> int:
        return (await lc.latest()).height

    assert run_with(chain.handler(first, latest=7), tmp_path, body, root=chain.root) == 7
    assert run_with(chain.handler(second), tmp_path, body, root=chain.root) == 10
    assert (first, second) == ([1, 7], [10])  # the second run starts from block 7, without the root again


def test_concurrent_reads_share_one_update(tmp_path: Path) -> None:
    chain = make_chain([["a", "b", "c"]] * 6)
    served: list[int] = []

    async def body(lc: LightClient) -> None:
        blocks = await asyncio.gather(*(lc.latest() for _ in range(8)))
        assert {b.height for b in blocks} == {6}

    run_with(chain.handler(served), tmp_path, body, root=chain.root)
    assert served == [1, 6]


def test_a_wrong_trusted_hash_or_another_chain_is_refused(tmp_path: Path) -> None:
    chain = make_chain([["a", "b"]] * 6)
    fork = make_chain([["c", "d"]] * 6)

    async def start(lc: LightClient) -> None:
        await lc.latest()

    with pytest.raises(VerificationError) as e:
        run_with(chain.handler(), tmp_path, start, root=(1, fork[1].hash))
    assert str(e.value) == (f"cannot trust the trusted block at height 1: expected header's hash {hx(fork[1].hash)}, "
                            f"but got {hx(chain[1].hash)}")

    switch: list[Chain] = [chain]

    def handler(method: str, params: JSON) -> JSON:
        return switch[0].handler()(method, params)

    async def body(lc: LightClient) -> str:
        await lc.latest()
        switch[0] = fork  # the node now serves another chain at the same heights
        with pytest.raises(VerificationError) as e:
            await lc.latest()
        return str(e.value)

    assert run_with(handler, tmp_path, body, root=chain.root, store="fork") == (
        f"the node's block 6 is {hx(fork[6].hash)}, the trusted one is {hx(chain[6].hash)}: the node is on another "
        f"chain")


def test_a_node_behind_the_trusted_height_gets_its_own_height_proven(tmp_path: Path) -> None:
    chain = make_chain([["a", "b"]] * 9)
    top = [9]

    def handler(method: str, params: JSON) -> JSON:
        return chain.handler(latest=top[0])(method, params)

    async def body(lc: LightClient) -> None:
        assert (await lc.latest()).height == 9
        top[0] = 4  # e.g. a node restored from an older snapshot
        assert (await lc.latest()) == chain[4]

    run_with(handler, tmp_path, body, root=chain.root)


@pytest.mark.parametrize(("tamper", "message"), [
    (lambda m, r: {**r, "signed_header": {**r["signed_header"], "header": {**r["signed_header"]["header"],
                                                                           "height": 3}}} if m == "commit" else r,
     "malformed commit answer from the node for the latest height: signed_header.header.height: expected an "
     "integer string, got int 3"),
    (lambda m, r: {**r, "total": "3"} if m == "validators" else r,
     "the node's validator set of height 6 is inconsistent: 2 validators listed so far, total 3"),
    (lambda m, r: {**r, "block_height": "5"} if m == "validators" else r,
     "the node answered validators for height 5 when asked for height 6"),
    (lambda m, r: {**r, "validators": r["validators"] * 2, "total": "4"} if m == "validators" else r,
     "cannot verify block 6 from trusted block 1: invalid validator set: duplicate validator "),
])
def test_malformed_or_inconsistent_answers_are_verification_failures(
        tmp_path: Path, tamper: Callable[[str, JSON], JSON], message: str) -> None:
    chain = make_chain([["a", "b"]] * 6)
    honest = chain.handler()

    def handler(method: str, params: JSON) -> JSON:
        result = honest(method, params)
        return result if params.get("height") == "1" else tamper(method, result)

    async def start(lc: LightClient) -> None:
        await lc.latest()

    with pytest.raises(VerificationError) as e:
        run_with(handler, tmp_path, start, root=chain.root)
    assert str(e.value).startswith(message)
