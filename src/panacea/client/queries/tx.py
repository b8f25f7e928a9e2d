"""The tx service's simulate query: gas a tx would use, from the node's ABCI query."""

from __future__ import annotations

from panacea.client.queries.base import Query
from panacea.types.pb.cosmos.tx.v1beta1 import service_pb2

SIMULATE = "/cosmos.tx.v1beta1.Service/Simulate"


def simulate(tx_bytes: bytes) -> Query[service_pb2.SimulateResponse, int]:
    """The gas the signed tx ``tx_bytes`` uses against committed state."""
    return Query(SIMULATE, service_pb2.SimulateRequest(tx_bytes=tx_bytes), service_pb2.SimulateResponse,
                 lambda r: int(r.gas_info.gas_used))
