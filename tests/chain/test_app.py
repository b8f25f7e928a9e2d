"""The App end to end: real txs through ante, modules, finalize_block, commit and queries."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from google.protobuf import any_pb2

from panacea.chain.app import App
from panacea.chain.context import BlockInfo
from panacea.chain.modules.bank.keys import balance_key
from panacea.chain.store import Store
from panacea.client.tx import build_tx
from panacea.crypto.address import module_address
from panacea.crypto.merkle import Proof, verify_proof
from panacea.types.pb.cosmos.bank.v1beta1 import query_pb2 as bank_query
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2
from tests.chain.kit import CHAIN_ID, FUNDS, Chain, key


def send(chain: Chain, amount: int, to: str | None = None) -> bank_tx.MsgSend:
    return bank_tx.MsgSend(from_address=chain.consumer.bech32(), to_address=to or chain.providers[0].bech32(),
                           amount=[coin_pb2.Coin(denom="umed", amount=str(amount))])


def test_genesis_then_blocks_report_the_committed_root(chain: Chain) -> None:
    info = chain.app.info()
    assert info.last_block_height == 1
    assert info.last_block_app_hash == chain.store.root_hash(1)
    assert chain.block().app_hash == chain.store.root_hash(2) == chain.store.root_hash(1)  # nothing changed
    result = chain.block([chain.tx(chain.consumer, send(chain, 1))])
    assert result.app_hash == chain.store.root_hash(3) != chain.store.root_hash(2)
    assert chain.balance(chain.consumer) == FUNDS - 1


def test_send_pays_fee_to_the_fee_collector(chain: Chain) -> None:
    r = chain.block([chain.tx(chain.consumer, send(chain, 1234), fee=2000)])
    assert r.tx_results[0].ok, r.tx_results[0].log
    assert chain.balance(chain.consumer) == FUNDS - 1234 - 2000
    assert chain.balance(chain.providers[0]) == FUNDS + 1234
    assert chain.balance(module_address("fee_collector")) == 2000
    types = [e.type for e in r.tx_results[0].events]
    assert types == ["coin_spent", "coin_received", "transfer", "message", "tx", "tx", "tx", "message",
                     "coin_spent", "coin_received", "transfer", "message", "message"]
    assert dict(r.tx_results[0].events[7].attributes) == {"action": "send"}


def test_malformed_and_unknown_txs_change_nothing(chain: Chain) -> None:
    root = chain.store.root_hash()
    unknown = tx_pb2.TxBody(messages=[any_pb2.Any(type_url="/foo.Bar", value=b"")])
    raw = tx_pb2.TxRaw(body_bytes=unknown.SerializeToString(), auth_info_bytes=b"", signatures=[b"x"])
    r = chain.block([b"\xff\x00garbage", raw.SerializeToString(), b""])
    codes = [(t.code, t.codespace) for t in r.tx_results]
    assert codes == [(2, "sdk"), (2, "sdk"), (2, "sdk")]
    assert r.tx_results[1].log == "unable to resolve type URL /foo.Bar: tx parse error"
    assert chain.signer(chain.consumer).sequence == 0
    assert chain.balance(chain.consumer) == FUNDS
    assert r.app_hash == root


def test_wrong_chain_id_and_bad_signature(chain: Chain) -> None:
    number = chain.signer(chain.consumer).account_number
    r = chain.block([chain.tx(chain.consumer, send(chain, 1), chain_id="other-chain")])
    assert (r.tx_results[0].code, r.tx_results[0].log) == (
        4, f"signature verification failed; please verify account number ({number}) and chain-id ({CHAIN_ID}): "
           "unauthorized")
    good = tx_pb2.TxRaw.FromString(chain.tx(chain.consumer, send(chain, 1)))
    good.signatures[0] = bytes(64)
    r = chain.block([good.SerializeToString()])
    assert r.tx_results[0].code == 4
    assert chain.signer(chain.consumer).sequence == 0


def test_replayed_sequence_is_rejected(chain: Chain) -> None:
    tx = chain.tx(chain.consumer, send(chain, 10))
    assert chain.block([tx]).tx_results[0].ok
    r = chain.block([tx])
    assert (r.tx_results[0].code, r.tx_results[0].log) == (
        32, "account sequence mismatch, expected 1, got 0: incorrect account sequence")
    assert chain.balance(chain.providers[0]) == FUNDS + 10


def test_fee_floor_is_a_mempool_check(tmp_path: Path, chain: Chain) -> None:
    chain.app.min_gas_price = Decimal(5)
    tx = chain.tx(chain.consumer, send(chain, 10), gas=200_000, fee=100)
    r = chain.app.check_tx(tx)
    assert (r.code, r.log) == (13, "insufficient fees; got: 100umed required: 1000000umed: insufficient fee")
    assert chain.app.check_tx(chain.tx(chain.consumer, send(chain, 10), gas=200_000, fee=1_000_000)).ok


def test_check_tx_tracks_sequences_until_commit(chain: Chain) -> None:
    assert chain.app.check_tx(chain.tx(chain.consumer, send(chain, 1))).ok
    assert chain.app.check_tx(chain.tx(chain.consumer, send(chain, 1), offset=1)).ok
    again = chain.app.check_tx(chain.tx(chain.consumer, send(chain, 1)))
    assert again.code == 32


def test_failed_message_keeps_fee_and_sequence_only(chain: Chain) -> None:
    r = chain.block([chain.tx(chain.consumer, send(chain, FUNDS), fee=500)])
    tx = r.tx_results[0]
    assert (tx.code, tx.log) == (
        5, f"failed to execute message; message index: 0: {FUNDS - 500}umed is smaller than {FUNDS}umed: "
           "insufficient funds")
    assert chain.balance(chain.consumer) == FUNDS - 500
    assert chain.balance(chain.providers[0]) == FUNDS
    assert chain.signer(chain.consumer).sequence == 1


def test_out_of_gas_and_simulate(chain: Chain) -> None:
    tx = chain.tx(chain.consumer, send(chain, 7), fee=300)
    sim, gas = chain.app.simulate(tx)
    assert sim.ok and gas > 0
    r = chain.block([tx])
    assert r.tx_results[0].gas_used == gas
    # the gas limit is part of the tx bytes (and their size costs gas): size the limit on the same encoding
    _, needed = chain.app.simulate(chain.tx(chain.consumer, send(chain, 7), gas=gas, fee=300))
    tight = chain.tx(chain.consumer, send(chain, 7), gas=needed - 1, fee=300)
    assert chain.app.simulate(tight)[1] == needed
    gas = needed
    r = chain.block([tight])
    t = r.tx_results[0]
    assert t.code == 11 and t.codespace == "sdk"
    assert t.log.startswith("out of gas in location: ") and t.log.endswith(f"gasWanted: {gas - 1}, gasUsed: "
                                                                         f"{t.gas_used}: out of gas")
    assert chain.balance(chain.providers[0]) == FUNDS + 7
    assert chain.balance(chain.consumer) == FUNDS - 7 - 600


def test_store_query_with_proof(chain: Chain) -> None:
    chain.block([chain.tx(chain.consumer, send(chain, 99))])
    height = chain.app.info().last_block_height
    k = balance_key(chain.providers[0].address(), "umed")
    q = chain.app.query("/store/bank/key", k, height, prove=True)
    assert q.code == 0 and q.proof is not None
    root = chain.store.root_hash(height)
    proof = Proof.from_bytes(q.proof.to_bytes())
    assert verify_proof(root, b"bank/" + k, q.value, proof)
    assert not verify_proof(root, b"bank/" + k, q.value + b"x", proof)
    absent = chain.app.query("/store/bank/key", b"\x02nothing", height, prove=True)
    assert absent.value == b"" and absent.proof is not None
    assert verify_proof(root, b"bank/\x02nothing", None, absent.proof)


def test_grpc_style_query_and_errors(chain: Chain) -> None:
    req = bank_query.QueryBalanceRequest(address=chain.consumer.bech32(), denom="umed")
    q = chain.app.query("/cosmos.bank.v1beta1.Query/Balance", req.SerializeToString())
    assert bank_query.QueryBalanceResponse.FromString(q.value).balance.amount == str(FUNDS)
    q = chain.app.query("/nope.Query/X", b"")
    assert (q.code, q.log) == (6, "unknown query path: /nope.Query/X: unknown request")
    q = chain.app.query("/cosmos.bank.v1beta1.Query/Balance", b"\xff\xff")
    assert q.code == 18


def test_a_failing_query_handler_answers_the_sdk_grpc_status_form(chain: Chain) -> None:
    """cosmjs's getAccount returns null only for `rpc error: code = NotFound` (issue 17)."""
    from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as auth_query
    from panacea.types.pb.cosmos.gov.v1beta1 import query_pb2 as gov_query
    from panacea.types.pb.panacea.datadeal.v2 import query_pb2 as deal_query

    nobody = key("nobody").bech32()
    cases = [
        ("/cosmos.auth.v1beta1.Query/Account", auth_query.QueryAccountRequest(address=nobody),
         (38, "sdk", f"rpc error: code = NotFound desc = account {nobody} not found: key not found")),
        ("/cosmos.auth.v1beta1.Query/Account", auth_query.QueryAccountRequest(address="panacea1x"),
         (7, "sdk", "rpc error: code = InvalidArgument desc = invalid address (decoding bech32 failed: invalid "
                    "separator index 7): invalid address: invalid request")),
        ("/cosmos.gov.v1beta1.Query/Proposal", gov_query.QueryProposalRequest(proposal_id=5),
         (22, "sdk", "rpc error: code = NotFound desc = proposal 5 doesn't exist: key not found")),
        ("/panacea.datadeal.v2.Query/Deal", deal_query.QueryDealRequest(deal_id=9),
         (3, "datadeal", "rpc error: code = NotFound desc = deal with ID 9 does not exist: deal is not found: "
                         "key not found")),
    ]
    for path, req, expected in cases:
        q = chain.app.query(path, req.SerializeToString())
        assert (q.code, q.codespace, q.log) == expected


def test_a_failing_simulate_answers_the_sdk_tx_service_form(chain: Chain) -> None:
    from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2

    too_much = send(chain, FUNDS * 2, key("x").bech32())
    req = service_pb2.SimulateRequest(tx_bytes=chain.tx(chain.consumer, too_much, gas=200_000))
    q = chain.app.query("/cosmos.tx.v1beta1.Service/Simulate", req.SerializeToString())
    result, gas = chain.app.simulate(req.tx_bytes)
    assert (q.code, q.codespace, q.log) == (5, "sdk", (
        f"rpc error: code = Unknown desc = {result.log} With gas wanted: '200000' and gas used: '{gas}' : "
        "unknown request"))


def test_deal_account_refuses_transfers_and_consents_beyond_max(chain: Chain) -> None:
    r = chain.block([chain.tx(chain.consumer, chain.create_deal(10_000, 2))])
    assert r.tx_results[0].ok, r.tx_results[0].log
    deal_addr = chain.app.datadeal.deal_address(1)
    from panacea.chain import addr

    r = chain.block([chain.tx(chain.consumer, send(chain, 5, addr.encode(deal_addr)))])
    assert r.tx_results[0].log == (f"failed to execute message; message index: 0: {addr.encode(deal_addr)} "
                                   "is not allowed to receive funds: unauthorized")
    txs = [chain.tx(p, chain.consent(1, p, f"data{i}")) for i, p in enumerate(chain.providers[:4])]
    r = chain.block(txs)
    assert [t.code for t in r.tx_results] == [0, 0, 7, 7]
    assert r.tx_results[2].log.endswith("deal status is not ACTIVE: error while submit consent")
    # price 5000, commission 0.1: provider 4500, oracle 500; nothing is left in the escrow
    assert [chain.balance(p) for p in chain.providers[:2]] == [FUNDS + 4500] * 2
    assert chain.balance(chain.oracle) == FUNDS + 1000
    assert chain.balance(deal_addr) == 0
    deal = chain.app.datadeal.get_deal(chain.app.query_context(None), 1)
    assert (deal.cur_num_data, deal.status) == (2, deal_pb2.DEAL_STATUS_COMPLETED)


def test_restart_keeps_height_and_hash(tmp_path: Path) -> None:
    c = Chain(tmp_path / "n")
    c.block([c.tx(c.consumer, send(c, 5))])
    h, root = c.store.version, c.store.root_hash()
    c.store.close()
    store = Store(str(tmp_path / "n"))
    app = App(store)
    assert (app.info().last_block_height, app.info().last_block_app_hash) == (h, root)
    assert app.chain_id == CHAIN_ID
    r = app.finalize_block(BlockInfo(h + 1, 0, CHAIN_ID), [])
    app.commit()
    assert r.app_hash == store.root_hash(h + 1)
    store.close()


def test_unsigned_and_other_signers(chain: Chain) -> None:
    stranger = key("stranger")  # never funded: no account
    tx = build_tx([send(chain, 1)], [chain.signer(chain.consumer)], CHAIN_ID, signatures=[])
    r = chain.block([tx])
    assert (r.tx_results[0].code, r.tx_results[0].log) == (15, "no signatures supplied")
    msg = bank_tx.MsgSend(from_address=stranger.bech32(), to_address=chain.consumer.bech32(),
                          amount=[coin_pb2.Coin(denom="umed", amount="1")])
    from panacea.client.tx import Signer

    r = chain.block([build_tx([msg], [Signer(stranger, 0, 0)], CHAIN_ID)])
    assert (r.tx_results[0].code, r.tx_results[0].log) == (
        9, f"fee payer address: {stranger.bech32()} does not exist: unknown address")
