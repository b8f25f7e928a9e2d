"""One real embedded node (session scope) for the REST and tx-service tests, plus the setup txs they read back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from panacea.types.anyutil import pack_any
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx
from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2 as gov_tx
from tests.node.kit import ALICE, BOB, CAROL, FRESH, MIN_DEPOSIT, RestNode, create_deal, init_home


@pytest.fixture(scope="session")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RestNode]:
    home = init_home(Path(tmp_path_factory.mktemp("rest")) / "home")
    n = RestNode(home).start()
    yield n
    n.stop()


@pytest.fixture(scope="session")
def world(node: RestNode) -> dict[str, Any]:
    """Setup txs read back by the query tests: CAROL's three deals, ALICE's proposal 1 (voted YES by
    ALICE, topped up by BOB), and BOB → FRESH 12345umed."""
    docs: dict[str, Any] = {}
    for i in range(1, 4):
        docs[f"deal{i}"] = node.deliver(CAROL, create_deal(i))
    content = pack_any(gov_pb2.TextProposal(title="Raise the bar", description="a text proposal"))
    docs["proposal"] = node.deliver(ALICE, gov_tx.MsgSubmitProposal(
        content=content, initial_deposit=[coin_pb2.Coin(denom="umed", amount=str(MIN_DEPOSIT))],
        proposer=ALICE.bech32()))
    docs["vote"] = node.deliver(ALICE, gov_tx.MsgVote(proposal_id=1, voter=ALICE.bech32(),
                                                      option=gov_pb2.VOTE_OPTION_YES))
    docs["deposit"] = node.deliver(BOB, gov_tx.MsgDeposit(proposal_id=1, depositor=BOB.bech32(),
                                                          amount=[coin_pb2.Coin(denom="umed", amount="1000")]))
    docs["send"] = node.deliver(BOB, bank_tx.MsgSend(from_address=BOB.bech32(), to_address=FRESH.bech32(),
                                                     amount=[coin_pb2.Coin(denom="umed", amount="12345")]))
    return docs
