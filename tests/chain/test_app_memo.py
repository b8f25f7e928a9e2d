"""Two Apps in one process (as the simulation and the compiled-vs-pure test run them) never see each
other's state through the chain's memo tables (listed in :mod:`panacea.types.memo`): the same deal id,
account and param keys hold different values in each, interleaved block by block."""

from __future__ import annotations

from pathlib import Path

from panacea.chain.modules.datadeal.keeper import DatadealKeeper
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2
from panacea.types.pb.panacea.oracle.v2 import query_pb2 as oracle_query
from tests.chain.kit import FUNDS, Chain


def _deal(chain: Chain, deal_id: int) -> deal_pb2.Deal:
    return chain.app.datadeal.get_deal(chain.app.query_context(None), deal_id)


def test_two_apps_keep_their_own_deals_params_and_signatures(tmp_path: Path) -> None:
    a = Chain(tmp_path / "a", digest="sha256")
    b = Chain(tmp_path / "b", digest="legacy")
    try:
        # Deal 1 in both, at the same escrow address, with different terms (price 100 in A, 1000 in B).
        ra = a.block([a.tx(a.consumer, a.create_deal(1_000, 10))])
        rb = b.block([b.tx(b.consumer, b.create_deal(5_000, 5))])
        assert ra.tx_results[0].ok and rb.tx_results[0].ok, (ra.tx_results[0].log, rb.tx_results[0].log)
        assert (_deal(a, 1).budget.amount, _deal(b, 1).budget.amount) == ("1000", "5000")
        assert _deal(a, 1).address == _deal(b, 1).address
        escrow = DatadealKeeper.deal_address(1)
        assert (a.balance(escrow), b.balance(escrow)) == (1_000, 5_000)

        # Each consent pays its own App's price: provider share 90% and oracle commission 10%.
        provider = a.providers[0]
        ra = a.block([a.tx(provider, a.consent(1, provider, "data-1"))])
        rb = b.block([b.tx(provider, b.consent(1, provider, "data-1"))])
        assert ra.tx_results[0].ok and rb.tx_results[0].ok, (ra.tx_results[0].log, rb.tx_results[0].log)
        assert (a.balance(provider), b.balance(provider)) == (FUNDS + 90, FUNDS + 900)
        assert (a.balance(a.oracle), b.balance(b.oracle)) == (FUNDS + 10, FUNDS + 100)
        assert (a.balance(escrow), b.balance(escrow)) == (900, 4_000)
        assert (_deal(a, 1).cur_num_data, _deal(b, 1).cur_num_data) == (1, 1)

        # The oracle params differ (signature digest): a certificate signed for A does not verify in B.
        params = oracle_query.QueryOracleParamsRequest()
        path = "/panacea.oracle.v2.Query/Params"
        got = [oracle_query.QueryParamsResponse.FromString(c.app.query(path, params.SerializeToString()).value)
               for c in (a, b)]
        assert [p.params.signature_digest for p in got] == ["sha256", "legacy"]
        consent_for_a = a.consent(1, provider, "data-2")
        ra = a.block([a.tx(provider, consent_for_a)])
        rb = b.block([b.tx(provider, consent_for_a)])
        assert ra.tx_results[0].ok, ra.tx_results[0].log
        assert (rb.tx_results[0].code, rb.tx_results[0].log) == (
            7, "failed to execute message; message index: 0: failed to signature validation: "
               "error while submit consent")
        assert (a.balance(provider), b.balance(provider)) == (FUNDS + 180, FUNDS + 900)
        assert (_deal(a, 1).cur_num_data, _deal(b, 1).cur_num_data) == (2, 1)

        # Exports agree with each App's own state.
        exported = [c.app.export_genesis() for c in (a, b)]
        assert [e["oracle"]["params"]["signature_digest"] for e in exported] == ["sha256", "legacy"]
        assert [e["datadeal"]["deals"][0]["budget"]["amount"] for e in exported] == ["1000", "5000"]
    finally:
        a.store.close()
        b.store.close()
