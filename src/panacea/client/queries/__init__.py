"""One typed query table per chain module (``auth``, ``bank``, ``datadeal``, ``did``, ``oracle``,
``gov``, ``tx``).

Each module's functions are the client's single spelling of that module's ABCI query paths; the chain
clients and ``panacead query`` both build their requests here.
"""

from panacea.client.queries import auth, bank, datadeal, did, gov, oracle, tx
from panacea.client.queries.base import PAGE_LIMIT, PagedQuery, Query, next_key, page

__all__ = [
    "PAGE_LIMIT", "PagedQuery", "Query", "auth", "bank", "datadeal", "did", "gov", "next_key", "oracle", "page", "tx",
]
