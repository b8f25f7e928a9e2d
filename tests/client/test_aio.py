"""AsyncChainClient / AsyncWallet against a real embedded node (`panacead start` in a subprocess)."""

from __future__ import annotations

import asyncio
import math
from decimal import Decimal

import pytest

from panacea.client import AsyncChainClient, NotFoundError
from tests.client.nodekit import FUNDS, UNIQUE_ID, Node, key, send_msg


def test_async_client_concurrent_sends(node: Node) -> None:
    sender, to = key("asyncer"), key("carol").bech32()

    async def go() -> tuple[list[int], int, int]:
        async with AsyncChainClient(node.rpc) as client:
            wallet = client.wallet(sender)
            results = await asyncio.gather(*(wallet.send([send_msg(sender.bech32(), to, 2)]) for _ in range(20)))
            acc = await client.account(sender.bech32())
            assert [o.oracle_address for o in await client.oracles()] == [key("oracle").bech32()]
            assert (await client.oracle_params()).unique_id == UNIQUE_ID
            with pytest.raises(NotFoundError):
                await client.deal(999)
            return [r.code for r in results], acc.sequence, await client.balance(sender.bech32())

    codes, sequence, balance = asyncio.run(go())
    assert codes == [0] * 20
    assert (sequence, balance) == (20, FUNDS - 40)



def test_async_gas_price_pays_its_own_fee_deduction(node: Node) -> None:
    payer, to = key("gas-async"), key("dave").bech32()

    async def go() -> tuple[int, int, int, str | None]:
        async with AsyncChainClient(node.rpc) as client:
            wallet = client.wallet(payer)
            estimate = await wallet.estimate_gas([send_msg(payer.bech32(), to, 3)], gas_price="5umed")
            resp = await wallet.send([send_msg(payer.bech32(), to, 3)], gas_price="5umed")
            assert (resp.code, resp.gas_wanted) == (0, estimate)
            return resp.gas_wanted, await client.balance(payer.bech32()), resp.gas_used, resp.attribute(
                "transfer", "amount")

    gas_wanted, balance, gas_used, fee_moved = asyncio.run(go())
    fee = math.ceil(Decimal(5) * gas_wanted)
    assert gas_used <= gas_wanted
    assert (balance, fee_moved) == (FUNDS - 3 - fee, f"{fee}umed")
