"""x/auth: accounts (number, sequence, pubkey) and module accounts; the only writer of the ``acc`` store."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from google.protobuf import any_pb2, wrappers_pb2

from panacea.chain.context import Context
from panacea.crypto.address import ACC_HRP, bech32_encode, module_address
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2

STORE = b"acc/"
ACCOUNT_PREFIX = b"\x01"
GLOBAL_ACCOUNT_NUMBER_KEY = b"globalAccountNumber"
BASE_ACCOUNT_URL = "/cosmos.auth.v1beta1.BaseAccount"
MODULE_ACCOUNT_URL = "/cosmos.auth.v1beta1.ModuleAccount"
SECP256K1_PUBKEY_URL = "/cosmos.crypto.secp256k1.PubKey"

FEE_COLLECTOR = "fee_collector"
GOV_MODULE = "gov"


@dataclass(frozen=True)
class Account:
    address: bytes
    number: int
    sequence: int = 0
    pubkey: bytes | None = None  # compressed secp256k1
    module_name: str = ""
    permissions: tuple[str, ...] = ()

    @property
    def bech32(self) -> str:
        return bech32_encode(ACC_HRP, self.address)

    @property
    def is_module(self) -> bool:
        return bool(self.module_name)

    def to_any(self) -> any_pb2.Any:
        base = auth_pb2.BaseAccount(address=self.bech32, account_number=self.number, sequence=self.sequence)
        if self.pubkey is not None:
            base.pub_key.CopyFrom(_pubkey_any(self.pubkey))
        if self.module_name:
            mod = auth_pb2.ModuleAccount(base_account=base, name=self.module_name, permissions=self.permissions)
            return any_pb2.Any(type_url=MODULE_ACCOUNT_URL, value=mod.SerializeToString())
        return any_pb2.Any(type_url=BASE_ACCOUNT_URL, value=base.SerializeToString())


@functools.lru_cache(maxsize=1 << 14)
def _pubkey_any(pubkey: bytes) -> any_pb2.Any:
    """Shared, never mutated: callers copy it into their message."""
    return any_pb2.Any(type_url=SECP256K1_PUBKEY_URL, value=keys_pb2.PubKey(key=pubkey).SerializeToString())


def account_from_any(a: any_pb2.Any, address: bytes) -> Account:
    if a.type_url == MODULE_ACCOUNT_URL:
        mod = auth_pb2.ModuleAccount.FromString(a.value)
        base = mod.base_account
        name, perms = mod.name, tuple(mod.permissions)
    elif a.type_url == BASE_ACCOUNT_URL:
        base = auth_pb2.BaseAccount.FromString(a.value)
        name, perms = "", ()
    else:
        raise ValueError(f"unknown account type {a.type_url}")
    pub = None
    if base.HasField("pub_key") and base.pub_key.type_url:
        pub = keys_pb2.PubKey.FromString(base.pub_key.value).key
    return Account(
        address=address,
        number=base.account_number,
        sequence=base.sequence,
        pubkey=pub,
        module_name=name,
        permissions=perms,
    )


@functools.lru_cache(maxsize=1 << 14)
def _decode_account(raw: bytes, address: bytes) -> Account:
    """Accounts are immutable values, so decoding is memoised by the stored bytes (a hot path)."""
    return account_from_any(any_pb2.Any.FromString(raw), address)


def _encode_account(account: Account) -> bytes:
    return account.to_any().SerializeToString()


class AuthKeeper:
    def get_account(self, ctx: Context, address: bytes) -> Account | None:
        raw = ctx.kv(STORE).get(ACCOUNT_PREFIX + address)
        if raw is None:
            return None
        return _decode_account(raw, address)

    def has_account(self, ctx: Context, address: bytes) -> bool:
        return ctx.kv(STORE).get(ACCOUNT_PREFIX + address) is not None

    def set_account(self, ctx: Context, account: Account) -> None:
        ctx.kv(STORE).set(ACCOUNT_PREFIX + account.address, _encode_account(account))

    def next_account_number(self, ctx: Context) -> int:
        kv = ctx.kv(STORE)
        raw = kv.get(GLOBAL_ACCOUNT_NUMBER_KEY)
        n = wrappers_pb2.UInt64Value.FromString(raw).value if raw is not None else 0
        kv.set(GLOBAL_ACCOUNT_NUMBER_KEY, wrappers_pb2.UInt64Value(value=n + 1).SerializeToString())
        return n

    def peek_account_number(self, ctx: Context) -> int:
        raw = ctx.kv(STORE).get(GLOBAL_ACCOUNT_NUMBER_KEY)
        return wrappers_pb2.UInt64Value.FromString(raw).value if raw is not None else 0

    def set_next_account_number(self, ctx: Context, n: int) -> None:
        ctx.kv(STORE).set(GLOBAL_ACCOUNT_NUMBER_KEY, wrappers_pb2.UInt64Value(value=n).SerializeToString())

    def new_account(self, ctx: Context, address: bytes) -> Account:
        acc = Account(address=address, number=self.next_account_number(ctx))
        self.set_account(ctx, acc)
        return acc

    def new_module_account(self, ctx: Context, name: str, permissions: tuple[str, ...] = ()) -> Account:
        acc = Account(
            address=module_address(name),
            number=self.next_account_number(ctx),
            module_name=name,
            permissions=permissions,
        )
        self.set_account(ctx, acc)
        return acc

    def get_or_create_module_account(self, ctx: Context, name: str, permissions: tuple[str, ...] = ()) -> Account:
        acc = self.get_account(ctx, module_address(name))
        return acc if acc is not None else self.new_module_account(ctx, name, permissions)

    def increment_sequence(self, ctx: Context, account: Account) -> Account:
        acc = Account(account.address, account.number, account.sequence + 1, account.pubkey, account.module_name,
                      account.permissions)
        self.set_account(ctx, acc)
        return acc

    def iterate_accounts(self, ctx: Context) -> list[Account]:
        out = []
        for k, v in ctx.kv(STORE).iterate(ACCOUNT_PREFIX, b"\x02"):
            out.append(account_from_any(any_pb2.Any.FromString(v), k[1:]))
        return out
