"""The DEP SDK: ``Consumer`` and ``Provider`` (and their asyncio twins) — thin orchestration over the chain, oracle
and consumer-service clients, each step's failure a ``DepError`` that names the step.

```python
from panacea.client import ChainClient
from panacea.client.dep import Consumer, Provider

with ChainClient("tcp://127.0.0.1:26657") as chain, Consumer(chain, consumer_key) as consumer:
    deal = consumer.create_deal(schema=["https://example.org/person.json"], budget=10_000_000, max_data=10,
                                terms=["share: my record, for research"], endpoint="https://storage.example.org")
    Provider(chain, provider_key).provide(deal, b'{"name": "alice", "age": 30}')
    # a deal with a presentation definition takes a VP: Provider(...).provide_credentials(deal, [vc]) makes it
    consumer.fetch_all(deal, "out/")
```

Names load on first use (PEP 562): ``panacea.client.dep.errors`` alone pulls in no HTTP client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from panacea.client.dep.consumer import AsyncConsumer, Consumer, Progress
    from panacea.client.dep.credentials import CredentialError, did_key, issue_credential, make_presentation
    from panacea.client.dep.did import create_did, create_did_async, did_document, did_document_async
    from panacea.client.dep.errors import CertificateError, DepError, IntegrityError, ServiceError, TxError
    from panacea.client.dep.provider import AsyncProvider, Provider
    from panacea.client.dep.types import (
        ConsentInfo,
        DealProgress,
        FetchedData,
        ProvideResult,
        Term,
        price_per_data,
        status_name,
    )

__all__ = ["AsyncConsumer", "AsyncProvider", "CertificateError", "ConsentInfo", "Consumer", "CredentialError",
           "DealProgress", "DepError", "FetchedData", "IntegrityError", "Progress", "ProvideResult", "Provider",
           "ServiceError", "Term", "TxError", "create_did", "create_did_async", "did_document", "did_document_async",
           "did_key", "issue_credential", "make_presentation", "price_per_data", "status_name"]

_HOME = {
    **dict.fromkeys(("AsyncConsumer", "Consumer", "Progress"), "consumer"),
    **dict.fromkeys(("AsyncProvider", "Provider"), "provider"),
    **dict.fromkeys(("CredentialError", "did_key", "issue_credential", "make_presentation"), "credentials"),
    **dict.fromkeys(("create_did", "create_did_async", "did_document", "did_document_async"), "did"),
    **dict.fromkeys(("CertificateError", "DepError", "IntegrityError", "ServiceError", "TxError"), "errors"),
    **dict.fromkeys(("ConsentInfo", "DealProgress", "FetchedData", "ProvideResult", "Term", "price_per_data",
                     "status_name"), "types"),
}


def __getattr__(name: str) -> object:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'panacea.client.dep' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"panacea.client.dep.{home}"), name)
    globals()[name] = value
    return value
