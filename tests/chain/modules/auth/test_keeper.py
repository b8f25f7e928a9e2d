"""x/auth keeper: accounts, numbers, sequences, module accounts and params (the only writer of ``acc/``)."""

from __future__ import annotations

import random

from panacea.chain.modules.auth import keeper as auth_keeper
from panacea.chain.modules.auth.keeper import Account, default_params
from panacea.chain.modules.auth.keys import ACCOUNT_PREFIX, GLOBAL_ACCOUNT_NUMBER_KEY, PARAMS_KEY, STORE
from panacea.crypto.address import module_address
from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from tests.chain.kit import keepers, key

A, B = key("a").address(), key("b").address()


def test_new_accounts_take_consecutive_numbers() -> None:
    k = keepers()
    assert k.auth.peek_account_number(k.ctx) == 0
    assert k.auth.new_account(k.ctx, A) == Account(A, 0)
    assert k.auth.new_account(k.ctx, B) == Account(B, 1)
    assert k.auth.peek_account_number(k.ctx) == 2
    assert k.ctx.kv(STORE).get(GLOBAL_ACCOUNT_NUMBER_KEY) == b"\x08\x02"
    assert [a.address for a in k.auth.iterate_accounts(k.ctx)] == sorted([A, B])


def test_get_has_set_and_increment_sequence() -> None:
    k = keepers()
    assert k.auth.get_account(k.ctx, A) is None and not k.auth.has_account(k.ctx, A)
    acc = k.auth.new_account(k.ctx, A)
    bumped = k.auth.increment_sequence(k.ctx, acc)
    assert bumped == Account(A, 0, 1)
    assert k.auth.get_account(k.ctx, A) == bumped and k.auth.has_account(k.ctx, A)
    with_key = bumped.replace(pubkey=b"\x02" * 33, module_name="", permissions=())
    k.auth.set_account(k.ctx, with_key)
    assert k.auth.get_account(k.ctx, A) == with_key
    assert k.ctx.kv(STORE).get(ACCOUNT_PREFIX + A) == with_key.to_any().SerializeToString()


def test_module_accounts_are_created_once() -> None:
    k = keepers()
    gov = k.auth.get_or_create_module_account(k.ctx, "gov", ("burner",))
    assert gov == Account(module_address("gov"), 0, module_name="gov", permissions=("burner",))
    assert gov.is_module and gov.bech32.startswith("panacea1")
    assert k.auth.get_or_create_module_account(k.ctx, "gov", ("burner",)) == gov
    assert k.auth.peek_account_number(k.ctx) == 1


def test_params_default_until_set() -> None:
    k = keepers()
    assert k.auth.params(k.ctx) == default_params()
    assert (default_params().max_memo_characters, default_params().tx_sig_limit) == (256, 7)
    params = auth_pb2.Params(max_memo_characters=10, tx_sig_limit=1)
    k.auth.set_params(k.ctx, params)
    assert k.auth.params(k.ctx) == params
    assert k.ctx.kv(STORE).get(PARAMS_KEY) == params.SerializeToString()


def test_account_encoding_matches_protobuf_and_decodes_back() -> None:
    rng = random.Random(1)
    for _ in range(3000):
        address = rng.randbytes(rng.choice([20, 32]))
        acc = Account(address, rng.choice([0, 1, 127, 128, 2**64 - 1, rng.randrange(2**64)]),
                      rng.choice([0, 1, 127, 128, 300, 2**64 - 1, rng.randrange(2**64)]),
                      rng.choice([None, b"", rng.randbytes(33)]), rng.choice(["", "deal1"]),
                      rng.choice([(), ("burner",)]))
        raw = auth_keeper._encode_account(acc)
        assert raw == acc.to_any().SerializeToString()
        auth_keeper._decoded.clear()
        decoded = auth_keeper._decode_account(raw, address)
        if not acc.module_name and not acc.permissions:
            assert decoded == acc


def test_accounts_are_values() -> None:
    acc = Account(b"\x01" * 20, 4, 2, None)
    assert acc == Account(b"\x01" * 20, 4, 2) and hash(acc) == hash(Account(b"\x01" * 20, 4, 2))
    moved = acc.replace(pubkey=None, module_name="deal1", permissions=())
    assert (moved.number, moved.sequence, moved.module_name, moved.is_module) == (4, 2, "deal1", True)
    assert acc != moved and not acc.is_module
