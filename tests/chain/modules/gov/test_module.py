"""Gov through the real App: signed txs, ante, message.action, EndBlocker and committed state."""

from __future__ import annotations

from panacea.types.anyutil import pack_any
from panacea.types.events import Event
from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2, query_pb2, tx_pb2
from panacea.types.pb.cosmos.params.v1beta1 import params_pb2
from tests.chain.kit import Chain


def test_param_change_proposal_through_the_app(chain: Chain) -> None:
    content = params_pb2.ParameterChangeProposal(
        title="Rotate", description="New enclave id",
        changes=[params_pb2.ParamChange(subspace="oracle", key="UniqueID", value='"v2-enclave"')])
    submit = tx_pb2.MsgSubmitProposal(content=pack_any(content), proposer=chain.validator.bech32(),
                                      initial_deposit=[coin_pb2.Coin(denom="umed", amount="10000000")])
    result = chain.block([chain.tx(chain.validator, submit)])
    tx = result.tx_results[0]
    assert tx.ok, tx.log
    assert Event.of("message", ("action", "submit_proposal")) in tx.events
    assert Event.of("submit_proposal", ("proposal_type", "ParameterChange"), ("voting_period_start", "1")) in tx.events
    response = abci_pb2.TxMsgData.FromString(tx.data).data[0]
    assert response.msg_type == "submit_proposal"
    assert tx_pb2.MsgSubmitProposalResponse.FromString(response.data).proposal_id == 1

    vote = tx_pb2.MsgVote(proposal_id=1, voter=chain.validator.bech32(), option=gov_pb2.VOTE_OPTION_YES)
    result = chain.block([chain.tx(chain.validator, vote), chain.tx(chain.consumer, tx_pb2.MsgVote(
        proposal_id=1, voter=chain.consumer.bech32(), option=gov_pb2.VOTE_OPTION_NO))])
    assert result.tx_results[0].ok, result.tx_results[0].log
    assert Event.of("message", ("action", "vote")) in result.tx_results[0].events
    assert result.tx_results[1].log == ("failed to execute message; message index: 0: voter "
                                        f"{chain.consumer.bech32()} is not a validator: unauthorized")

    result = chain.block(seconds=172_800)
    assert Event.of("active_proposal", ("proposal_id", "1"), ("proposal_result", "proposal_passed")) in result.events
    q = chain.app.query("/cosmos.gov.v1beta1.Query/Proposal",
                        query_pb2.QueryProposalRequest(proposal_id=1).SerializeToString())
    assert q.code == 0, q.log
    assert query_pb2.QueryProposalResponse.FromString(q.value).proposal.status == gov_pb2.PROPOSAL_STATUS_PASSED
    assert chain.app.oracle.get_params(chain.app.query_context(None)).unique_id == "v2-enclave"
