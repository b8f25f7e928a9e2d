"""HTTP clients of the DEP services, next to the chain client: the oracle (``oracle.py``) and the consumer
service (``consumer.py``) go here, each with the same split (errors, value types, a no-I/O base, sync and
async transports) as the chain client in ``panacea.client``."""

from panacea.client.services.consumer import (
    AsyncConsumerServiceClient,
    ConsumerServiceClient,
    ConsumerServiceError,
    DataInfo,
    DataPage,
    StoredData,
)
from panacea.client.services.oracle import AsyncOracleClient, OracleClient, OracleServiceError, OracleStatus

__all__ = ["AsyncConsumerServiceClient", "AsyncOracleClient", "ConsumerServiceClient", "ConsumerServiceError",
           "DataInfo", "DataPage", "OracleClient", "OracleServiceError", "OracleStatus", "StoredData"]
