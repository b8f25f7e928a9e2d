"""Malformed input never raises out of the App: every tx gets a result, the chain keeps going."""

from __future__ import annotations

import random

from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from tests.chain.kit import Chain


def test_mutated_txs_get_results_not_exceptions(chain: Chain) -> None:
    rng = random.Random(1234)
    valid = [
        chain.tx(chain.consumer, bank_tx.MsgSend(from_address=chain.consumer.bech32(),
                                                 to_address=chain.providers[0].bech32(),
                                                 amount=[coin_pb2.Coin(denom="umed", amount="5")])),
        chain.tx(chain.providers[1], chain.consent(1, chain.providers[1], "x")),
        chain.tx(chain.consumer, chain.create_deal(1000, 2)),
    ]
    mutants: list[bytes] = []
    for _ in range(400):
        tx = bytearray(rng.choice(valid))
        for _ in range(rng.randint(1, 4)):
            op = rng.random()
            i = rng.randrange(len(tx))
            if op < 0.5:
                tx[i] = rng.randrange(256)
            elif op < 0.75:
                del tx[i]
            else:
                tx.insert(i, rng.randrange(256))
        mutants.append(bytes(tx))
    for m in mutants[:100]:
        assert isinstance(chain.app.check_tx(m).code, int)
        assert isinstance(chain.app.simulate(m)[1], int)
    before = chain.height
    result = chain.block(mutants)  # invariants are checked after the block
    assert len(result.tx_results) == len(mutants)
    assert all(r.code != 0 or r.log.startswith("[") for r in result.tx_results)
    assert chain.height == before + 1
