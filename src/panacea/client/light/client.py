"""The light client: headers the oracle may believe, from a trust root and a node it does not trust.

Why this shape: the reference runs Tendermint's ``light.Client`` (skipping verification, trust level 1/3, trust
period 2 weeks, oracle-reference §6); this is the same algorithm (``verifySkipping``: try the target, bisect on
too little trusted power, sequential steps for adjacent heights; backwards by hash links below the trusted
blocks) over the same RPC answers, in three parts: pure checks (``verifier``), RPC plans (``provider``) and this
stateful object, which owns the only lock (updates are serialised; a read that waited for someone else's
update uses it rather than updating again) and the persisted blocks (``store``). Every read asks the node for
its latest commit first, so what it proves is current (an event at height h is followed by reads at >= h).
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Callable

from panacea.client.aio import AsyncChainClient
from panacea.client.light import provider
from panacea.client.light.errors import NotEnoughTrustError, VerificationError
from panacea.client.light.store import LightStore
from panacea.client.light.verifier import (
    LightBlock,
    TrustOptions,
    header_expired,
    validate_light_block,
    verify,
    verify_backwards,
    verify_trust_root,
)
from panacea.client.plan import Plan
from panacea.types.cometbft.encoding import hexu
from panacea.types.cometbft.types import Commit, Header

Clock = Callable[[], int]
"""Wall-clock time in ns since the epoch (injectable: trust-period tests move it)."""


def verify_skipping(trusted: LightBlock, target: LightBlock, opts: TrustOptions, now_ns: int) -> Plan[LightBlock]:
    """CometBFT's ``verifySkipping``: ``target`` verified from ``trusted``, fetching pivots (halfway) as needed."""
    cache = [target]
    depth = 0
    verified = trusted
    while True:
        candidate = cache[depth]
        try:
            verify(verified, candidate, opts, now_ns)
        except NotEnoughTrustError:
            if depth == len(cache) - 1:
                pivot = verified.height + (candidate.height - verified.height) // 2
                cache.append((yield from provider.light_block(pivot)))
            depth += 1
            continue
        except VerificationError as e:
            raise type(e)(f"cannot verify block {candidate.height} from trusted block {verified.height}: {e}") from None
        if depth == 0:
            return target
        verified = candidate
        cache = cache[:depth]
        depth = 0


def verify_back(trusted: LightBlock, height: int, chain_id: str) -> Plan[LightBlock]:
    """The block at ``height`` below ``trusted``, by the chain of ``last_block_id`` hashes (``backwards``)."""
    verified = trusted.header
    while verified.height > height + 1:
        older = yield from provider.header(verified.height - 1)
        try:
            verify_backwards(older, verified)
        except VerificationError as e:
            raise VerificationError(f"cannot verify block {older.height} back from trusted block "
                                    f"{verified.height}: {e}") from None
        verified = older
    block = yield from provider.light_block(height)
    try:
        validate_light_block(block, chain_id)
        verify_backwards(block.header, verified)
    except VerificationError as e:
        raise VerificationError(f"cannot verify block {height} back from trusted block "
                                f"{verified.height}: {e}") from None
    return block


class LightClient:
    """Verified headers of one chain from one primary node (asyncio; create and use it inside one event loop).

    ``root`` is the operator's trusted block (height, block hash); the blocks verified from it are kept in
    ``store``, and later runs continue from them.
    """

    def __init__(self, primary: AsyncChainClient, store: LightStore, root: tuple[int, bytes], opts: TrustOptions,
                 *, clock: Clock = time.time_ns) -> None:
        self.primary = primary
        self.store = store
        self.root = root
        self.opts = opts
        self.clock = clock
        self._lock = asyncio.Lock()
        self._blocks: dict[int, LightBlock] = {}
        self._heights: list[int] = []  # sorted keys of _blocks
        # An update asks the node for its latest commit (fetch number n) and then verifies it; a read that waited
        # for the lock uses the last completed update if its fetch was issued after the read began.
        self._fetches = 0
        self._completed_fetch = 0

    # --- what is trusted ----------------------------------------------------------------------------------
    @property
    def latest_trusted(self) -> LightBlock | None:
        """The newest verified block, None before the first verification."""
        return self._blocks[self._heights[-1]] if self._heights else None

    def trusted(self, height: int) -> LightBlock | None:
        """The verified block at ``height``, if it is kept."""
        return self._blocks.get(height)

    def _remember(self, block: LightBlock) -> None:
        if block.height not in self._blocks:
            bisect.insort(self._heights, block.height)
        self._blocks[block.height] = block
        for height in self.store.save(block):
            self._blocks.pop(height, None)
            self._heights.remove(height)

    async def _run(self, plan: Plan[LightBlock]) -> LightBlock:
        return await self.primary.run_plan(plan)

    # --- start --------------------------------------------------------------------------------------------
    async def _initialize(self) -> LightBlock:
        latest = self.latest_trusted
        if latest is not None:
            return latest
        for block in self.store.load(*self.root):
            self._blocks[block.height] = block
        self._heights = sorted(self._blocks)
        height, root_hash = self.root
        if height in self._blocks and self._blocks[height].hash == root_hash:
            return self._blocks[self._heights[-1]]
        block = await self._run(provider.light_block(height))
        try:
            verify_trust_root(block, root_hash, self.opts, self.clock())
        except VerificationError as e:
            raise type(e)(f"cannot trust the trusted block at height {height}: {e}") from None
        self._remember(block)
        return self._blocks[self._heights[-1]]

    # --- updates ------------------------------------------------------------------------------------------
    async def latest(self) -> LightBlock:
        """The node's latest block, verified (the newest trusted one, when the node has nothing newer)."""
        began = self._fetches
        async with self._lock:
            if self._completed_fetch > began and self.latest_trusted is not None:
                return self.latest_trusted  # verified from a commit asked for after this call began: as fresh
            return await self._update()

    async def _update(self) -> LightBlock:
        newest = await self._initialize()
        self._fetches += 1
        fetch = self._fetches
        head, commit = await self.primary.run_plan(provider.signed_header(None))
        block = await self._verify_latest(newest, head, commit)
        self._completed_fetch = fetch
        return block

    async def _verify_latest(self, newest: LightBlock, head: Header, commit: Commit) -> LightBlock:
        if head.height == newest.height:
            if head.hash() != newest.hash:
                raise VerificationError(f"the node's block {head.height} is {hexu(head.hash())}, "
                                        f"the trusted one is {hexu(newest.hash)}: the node is on another chain")
            return newest
        if head.height < newest.height:  # the node is behind us: prove what it can answer for
            return await self._verify_height(head.height)
        target = LightBlock(head, commit, await self.primary.run_plan(provider.validators(head.height)))
        block = await self._run(verify_skipping(newest, target, self.opts, self.clock()))
        self._remember(block)
        return block

    async def verify_height(self, height: int) -> LightBlock:
        """The block at ``height``, verified (forwards from the closest trusted block below it while that one is
        inside the trust period, else backwards from the closest one above)."""
        if height <= 0:
            raise ValueError("negative or zero height")
        async with self._lock:
            await self._initialize()
            return await self._verify_height(height)

    async def _verify_height(self, height: int) -> LightBlock:
        known = self._blocks.get(height)
        if known is not None:
            return known
        at = bisect.bisect_left(self._heights, height)
        below = self._blocks[self._heights[at - 1]] if at else None
        above = self._blocks[self._heights[at]] if at < len(self._heights) else None
        now = self.clock()
        if below is not None and (above is None or not header_expired(below.header, self.opts.trust_period_ns, now)):
            target = await self._run(provider.light_block(height))
            block = await self._run(verify_skipping(below, target, self.opts, now))
        else:
            assert above is not None  # the root is always kept, so one of the two exists
            block = await self._run(verify_back(above, height, self.opts.chain_id))
        self._remember(block)
        return block
