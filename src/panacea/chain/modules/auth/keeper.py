"""x/auth: accounts (number, sequence, pubkey) and module accounts; the only writer of the ``acc`` store."""

from __future__ import annotations

import functools
from typing import Final, final

from google.protobuf import any_pb2, wrappers_pb2

from panacea.chain.context import Context
from panacea.chain.modules.auth.keys import (
    ACCOUNT_PREFIX,
    ACCOUNT_PREFIX_END,
    BASE_ACCOUNT_URL,
    GLOBAL_ACCOUNT_NUMBER_KEY,
    MODULE_ACCOUNT_URL,
    PARAMS_KEY,
    SECP256K1_PUBKEY_URL,
    STORE,
)
from panacea.crypto.address import ACC_HRP, bech32_encode, module_address
from panacea.types.lp import MAX_UVARINT, encode_uvarint
from panacea.types.memo import remember
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2


def default_params() -> auth_pb2.Params:
    return auth_pb2.Params(
        max_memo_characters=256,
        tx_sig_limit=7,
        tx_size_cost_per_byte=10,
        sig_verify_cost_ed25519=590,
        sig_verify_cost_secp256k1=1000,
    )


@final
class Account:
    """A base or module account as stored (``pubkey``, compressed secp256k1, is set by the account's
    first signed tx). An immutable value (see :class:`panacea.chain.events.Event` for why it is not a
    dataclass); :meth:`replace` makes a changed copy."""

    __slots__ = ("address", "module_name", "number", "permissions", "pubkey", "sequence")

    def __init__(self, address: bytes, number: int, sequence: int = 0, pubkey: bytes | None = None,
                 module_name: str = "", permissions: tuple[str, ...] = ()) -> None:
        self.address: Final = address
        self.number: Final = number
        self.sequence: Final = sequence
        self.pubkey: Final = pubkey
        self.module_name: Final = module_name
        self.permissions: Final = permissions

    def _fields(self) -> tuple[bytes, int, int, bytes | None, str, tuple[str, ...]]:
        return self.address, self.number, self.sequence, self.pubkey, self.module_name, self.permissions

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Account) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (f"Account(address={self.address!r}, number={self.number!r}, sequence={self.sequence!r}, "
                f"pubkey={self.pubkey!r}, module_name={self.module_name!r}, permissions={self.permissions!r})")

    def replace(self, *, pubkey: bytes | None, module_name: str, permissions: tuple[str, ...]) -> Account:
        return Account(self.address, self.number, self.sequence, pubkey, module_name, permissions)

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


_DECODED_MAX: Final = 1 << 14
# Accounts are immutable values, so decoding is memoised by (stored bytes, address) — a hot path. Plain
# base accounts are also entered when they are encoded: the next read of those bytes needs no decode.
_decoded: dict[tuple[bytes, bytes], Account] = {}


def _remember(raw: bytes, address: bytes, account: Account) -> None:
    remember(_decoded, (raw, address), account, _DECODED_MAX)


def _decode_account(raw: bytes, address: bytes) -> Account:
    account = _decoded.get((raw, address))
    if account is None:
        account = account_from_any(any_pb2.Any.FromString(raw), address)
        _remember(raw, address, account)
    return account


_BASE_ANY_HEAD: Final = b"\x0a" + encode_uvarint(len(BASE_ACCOUNT_URL)) + BASE_ACCOUNT_URL.encode() + b"\x12"


@functools.lru_cache(maxsize=1 << 14)
def _base_account_head(address: bytes, number: int, pubkey: bytes | None) -> bytes:
    """A BaseAccount's encoding without its sequence (field 4, the last one: appended by the caller)."""
    base = auth_pb2.BaseAccount(address=bech32_encode(ACC_HRP, address), account_number=number)
    if pubkey is not None:
        base.pub_key.CopyFrom(_pubkey_any(pubkey))
    return base.SerializeToString()


def _encode_account(account: Account) -> bytes:
    """``account.to_any().SerializeToString()``; a plain account (the per-tx sequence bump) is framed
    by hand from its cached head, byte-for-byte what protobuf writes (fields in number order, zero
    sequence omitted)."""
    seq = account.sequence
    if account.module_name or not 0 <= seq <= MAX_UVARINT:
        return account.to_any().SerializeToString()
    value = _base_account_head(account.address, account.number, account.pubkey)
    if seq:
        value += b"\x20" + encode_uvarint(seq)
    raw = _BASE_ANY_HEAD + encode_uvarint(len(value)) + value
    if not account.permissions:  # exactly what decoding ``raw`` gives back
        _remember(raw, account.address, account)
    return raw


class AuthKeeper:
    """Accounts, the global account number and the auth params."""

    def params(self, ctx: Context) -> auth_pb2.Params:
        raw = ctx.kv(STORE).get(PARAMS_KEY)
        return auth_pb2.Params.FromString(raw) if raw is not None else default_params()

    def set_params(self, ctx: Context, params: auth_pb2.Params) -> None:
        ctx.kv(STORE).set(PARAMS_KEY, params.SerializeToString())

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
        for k, v in ctx.kv(STORE).iterate(ACCOUNT_PREFIX, ACCOUNT_PREFIX_END):
            out.append(account_from_any(any_pb2.Any.FromString(v), k[1:]))
        return out
