"""Queries of ``cosmos.auth.v1beta1`` (the one place their paths are spelled in the client)."""

from __future__ import annotations

from panacea.client.queries.base import Query
from panacea.client.types import Account
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.auth.v1beta1 import query_pb2 as q
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2

ACCOUNT = "/cosmos.auth.v1beta1.Query/Account"


def account_value(resp: q.QueryAccountResponse) -> Account:
    """The client's Account from the chain's answer (also used by proven reads of the raw stored Any)."""
    packed = resp.account
    if packed.type_url.endswith("ModuleAccount"):
        base = auth_pb2.ModuleAccount.FromString(packed.value).base_account
    else:
        base = auth_pb2.BaseAccount.FromString(packed.value)
    pubkey = keys_pb2.PubKey.FromString(base.pub_key.value).key if base.pub_key.value else None
    return Account(base.address, base.account_number, base.sequence, pubkey)


def account(address: str) -> Query[q.QueryAccountResponse, Account]:
    """The account at ``address`` (base or module account), as number, sequence and public key."""
    return Query(ACCOUNT, q.QueryAccountRequest(address=address), q.QueryAccountResponse, account_value)
