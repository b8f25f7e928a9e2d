"""Tx decoding and the ante checks, in the Cosmos SDK v0.45 order and with its error texts.

Decode → basic checks → memo → tx-size gas → fee deduction → pubkeys → signature gas → sequence and
signature (SIGN_MODE_DIRECT over SignDoc) → sequence increment. Everything here runs in a branch that
is kept only if all of it passes; message execution then runs in a second branch.
"""

from __future__ import annotations

import functools
from binascii import b2a_base64
from decimal import Decimal
from typing import Any, Final, final

from google.protobuf.message import DecodeError, Message

from panacea.chain.coins import DENOM, Coin, coins_str
from panacea.chain.context import Context
from panacea.chain.errors import (
    ChainError,
    ErrInsufficientFee,
    ErrInsufficientFunds,
    ErrInvalidPubKey,
    ErrInvalidRequest,
    ErrMemoTooLarge,
    ErrNoSignatures,
    ErrTooManySignatures,
    ErrTxDecode,
    ErrTxTimeoutHeight,
    ErrUnauthorized,
    ErrUnknownAddress,
    ErrUnknownExtensionOptions,
    ErrWrongSequence,
)
from panacea.chain.events import Event
from panacea.chain.module import MsgRoute
from panacea.chain.modules.auth.keeper import Account, AuthKeeper
from panacea.chain.modules.auth.keys import FEE_COLLECTOR, SECP256K1_PUBKEY_URL
from panacea.chain.modules.bank.keeper import BankKeeper
from panacea.crypto.address import ACC_HRP, account_address, bech32_decode, bech32_encode
from panacea.crypto.errors import CryptoError
from panacea.crypto.signature import verify_tx_bytes
from panacea.types.lp import MAX_UVARINT, encode_uvarint
from panacea.types.memo import remember
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2
from panacea.types.pb.cosmos.tx.signing.v1beta1 import signing_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2

MAX_MEMO_CHARACTERS: Final = 256
TX_SIG_LIMIT: Final = 7
MAX_TX_BYTES: Final = 1 << 20


@final
class DecodedTx:
    """A tx decoded and ValidateBasic-checked once; CheckTx hands it on to the block that includes it.
    Immutable (``Final`` attributes; see :class:`panacea.chain.events.Event` for why not a dataclass)."""

    __slots__ = ("auth_info", "body", "fee", "gas_limit", "msgs", "raw", "signers", "size")

    def __init__(self, raw: tx_pb2.TxRaw, body: tx_pb2.TxBody, auth_info: tx_pb2.AuthInfo,
                 msgs: list[tuple[MsgRoute, Message]], signers: list[bytes], size: int, gas_limit: int,
                 fee: tuple[Coin, ...]) -> None:
        self.raw: Final = raw
        self.body: Final = body
        self.auth_info: Final = auth_info
        self.msgs: Final = msgs
        self.signers: Final = signers
        self.size: Final = size
        self.gas_limit: Final = gas_limit
        self.fee: Final = fee  # as given (zero and unsorted coins included); amounts checked by ValidateBasic


def decode_tx(tx_bytes: bytes, routes: dict[str, MsgRoute]) -> DecodedTx:
    """Decode TxRaw and its messages and run every message's ValidateBasic (baseapp + tx checks)."""
    if len(tx_bytes) > MAX_TX_BYTES:
        raise ErrTxDecode.wrap(f"tx size {len(tx_bytes)} exceeds the limit of {MAX_TX_BYTES} bytes")
    try:
        raw = tx_pb2.TxRaw.FromString(tx_bytes)
        body = tx_pb2.TxBody.FromString(raw.body_bytes)
        auth_info = tx_pb2.AuthInfo.FromString(raw.auth_info_bytes)
    except (DecodeError, ValueError) as e:
        raise ErrTxDecode.wrap(f"unable to decode tx: {e}") from None
    if not raw.body_bytes and not raw.auth_info_bytes:
        raise ErrTxDecode.wrap("empty tx")
    msgs: list[tuple[MsgRoute, Message]] = []
    for any_msg in body.messages:
        route = routes.get(any_msg.type_url)
        if route is None:
            raise ErrTxDecode.wrap(f"unable to resolve type URL {any_msg.type_url}")
        try:
            msg = route.msg_type.FromString(any_msg.value)
        except DecodeError as decode_err:
            raise ErrTxDecode.wrap(f"unable to decode {any_msg.type_url}: {decode_err}") from None
        msgs.append((route, msg))
    if not msgs:
        raise ErrInvalidRequest.wrap("must contain at least one message")
    for route, msg in msgs:
        route.validate_basic(msg)
    signers: list[bytes] = []
    for route, msg in msgs:
        for s in route.signers(msg):
            try:
                addr = bech32_decode(s)
            except CryptoError as crypto_err:
                raise ErrInvalidRequest.wrap(f"invalid signer address {s!r}: {crypto_err}") from None
            if addr not in signers:
                signers.append(addr)
    fee = _validate_basic(raw, auth_info, signers)
    return DecodedTx(raw, body, auth_info, msgs, signers, len(tx_bytes), int(auth_info.fee.gas_limit), fee)


def _validate_basic(raw: tx_pb2.TxRaw, auth_info: tx_pb2.AuthInfo, signers: list[bytes]) -> tuple[Coin, ...]:
    """Tx.ValidateBasic of the SDK; returns the fee coins it checked."""
    fee = auth_info.fee
    if fee.gas_limit > (1 << 63) - 1:
        raise ErrInvalidRequest.wrap(f"invalid gas supplied; {fee.gas_limit} > {(1 << 63) - 1}")
    coins = []
    for c in fee.amount:
        try:
            amount = int(c.amount or "0")
        except ValueError:
            raise ErrInsufficientFee.wrap(f"invalid fee provided: {c.amount}{c.denom}") from None
        if amount < 0:
            raise ErrInsufficientFee.wrap(f"invalid fee provided: {c.amount}{c.denom}")
        coins.append(Coin(c.denom, amount))
    sigs = raw.signatures
    if not sigs:
        raise ErrNoSignatures.error()
    if len(sigs) != len(signers):
        raise ErrUnauthorized.wrap(f"wrong number of signers; expected {len(signers)}, got {len(sigs)}")
    return tuple(coins)


def check_min_gas_price(tx: DecodedTx, min_gas_price: Decimal) -> None:
    """Mempool-only fee floor (node config), like the SDK's MempoolFeeDecorator."""
    if min_gas_price <= 0:
        return
    required = -((-min_gas_price * tx.gas_limit) // 1)  # ceil without floats
    paid = sum(c.amount for c in tx.fee if c.denom == DENOM)
    if paid < required:
        got = coins_str(tx.fee) or "0" + DENOM
        raise ErrInsufficientFee.wrap(f"insufficient fees; got: {got} required: {int(required)}{DENOM}")


def _bytes_field(tag: int, value: bytes) -> bytes:
    """A proto3 length-delimited field, omitted when empty (as protobuf writes it)."""
    return bytes((tag,)) + encode_uvarint(len(value)) + value if value else b""


@functools.lru_cache(maxsize=64)
def _chain_id_field(chain_id: str) -> bytes:
    return tx_pb2.SignDoc(chain_id=chain_id).SerializeToString()  # field 3 alone (protobuf's errors)


def sign_doc_bytes(body_bytes: bytes, auth_info_bytes: bytes, chain_id: str, account_number: int) -> bytes:
    """``SignDoc(body_bytes, auth_info_bytes, chain_id, account_number).SerializeToString()``, framed by
    hand (fields 1-4 in order, zero values omitted)."""
    if not 0 <= account_number <= MAX_UVARINT:  # protobuf's own error for an impossible number
        return tx_pb2.SignDoc(body_bytes=body_bytes, auth_info_bytes=auth_info_bytes, chain_id=chain_id,
                              account_number=account_number).SerializeToString()
    number = b"\x20" + encode_uvarint(account_number) if account_number else b""
    return b"".join((_bytes_field(0x0A, body_bytes), _bytes_field(0x12, auth_info_bytes), _chain_id_field(chain_id),
                     number))


_MEMO_MAX: Final = 1 << 16
_verified_sigs: Final[dict[tuple[bytes, bytes, bytes], bool]] = {}  # successes only
_pubkeys: Final[dict[bytes, tuple[bytes, bytes]]] = {}


def _verified(pubkey: bytes, sign_bytes: bytes, signature: bytes) -> bool:
    """Memoised signature check: a tx verified by CheckTx is not verified again when its block runs.
    Verification is a pure function of these three values, so results (and app hashes) are unchanged;
    only successes are remembered."""
    key = (pubkey, sign_bytes, signature)
    if key in _verified_sigs:
        return True
    return verify_tx_bytes(pubkey, sign_bytes, signature) and remember(_verified_sigs, key, True, _MEMO_MAX)


def _pubkey_and_address(any_value: bytes) -> tuple[bytes, bytes]:
    """Decoded secp256k1 key and its account address, memoised: signers repeat across txs."""
    found = _pubkeys.get(any_value)
    if found is None:
        key = keys_pb2.PubKey.FromString(any_value).key
        found = remember(_pubkeys, any_value, (key, account_address(key)), _MEMO_MAX)
    return found


SECP256K1_SIGNATURE_SIZE: Final = 64


def signed_size(tx: DecodedTx) -> int:
    """The size ``tx`` will have once signed: a simulation may leave signatures empty and the sign mode
    unspecified (cosmjs does), and its gas must still be the signed tx's (the size is charged per byte)."""
    infos = tx.auth_info.signer_infos
    unsigned = any(not sig for sig in tx.raw.signatures)
    unspecified = any(i.mode_info.single.mode == signing_pb2.SIGN_MODE_UNSPECIFIED for i in infos
                      if not i.mode_info.HasField("multi"))
    if not unsigned and not unspecified:
        return tx.size
    auth_info = tx_pb2.AuthInfo()
    auth_info.CopyFrom(tx.auth_info)
    for info in auth_info.signer_infos:
        if not info.mode_info.HasField("multi") and info.mode_info.single.mode == signing_pb2.SIGN_MODE_UNSPECIFIED:
            info.mode_info.single.mode = signing_pb2.SIGN_MODE_DIRECT
    raw = tx_pb2.TxRaw(body_bytes=tx.raw.body_bytes, auth_info_bytes=auth_info.SerializeToString(),
                       signatures=[sig or bytes(SECP256K1_SIGNATURE_SIZE) for sig in tx.raw.signatures])
    return raw.ByteSize()


class AnteHandler:
    def __init__(self, auth: AuthKeeper, bank: BankKeeper) -> None:
        self.auth = auth
        self.bank = bank

    def run(self, ctx: Context, tx: DecodedTx, *, simulate: bool = False, recheck: bool = False) -> None:
        """``recheck``: a mempool tx re-validated after a block; its signature was verified when it entered
        (the SDK's SigVerificationDecorator skips it too), sequences and fees are checked again."""
        cfg = ctx.gas_cfg
        body = tx.body
        if body.extension_options:
            raise ErrUnknownExtensionOptions.error()
        if body.timeout_height and ctx.height > body.timeout_height:
            raise ErrTxTimeoutHeight.wrap(f"block height: {ctx.height}, timeout height: {body.timeout_height}")
        if len(body.memo) > MAX_MEMO_CHARACTERS:
            raise ErrMemoTooLarge.wrap(
                f"maximum number of characters is {MAX_MEMO_CHARACTERS} but received {len(body.memo)} characters"
            )
        ctx.gas.consume(cfg.tx_size_cost_per_byte * (signed_size(tx) if simulate else tx.size), "txSize")
        self._deduct_fee(ctx, tx)
        accounts = self._set_pubkeys(ctx, tx, simulate)
        if len(accounts) > TX_SIG_LIMIT:
            raise ErrTooManySignatures.wrap(f"signatures: {len(accounts)}, limit: {TX_SIG_LIMIT}")
        infos = tx.auth_info.signer_infos
        for i, acc in enumerate(accounts):
            ctx.gas.consume(cfg.sig_verify_cost_secp256k1, "ante verify: secp256k1")
            info = infos[i]
            if info.sequence != acc.sequence:
                raise ErrWrongSequence.wrap(f"account sequence mismatch, expected {acc.sequence}, got {info.sequence}")
            if simulate:  # like the SDK: the sign mode is checked where the signature is, and simulate skips that
                continue
            if not info.mode_info.HasField("single") or info.mode_info.single.mode != signing_pb2.SIGN_MODE_DIRECT:
                raise ErrUnauthorized.wrap("only SIGN_MODE_DIRECT is supported")
            if not recheck:
                sign_bytes = sign_doc_bytes(tx.raw.body_bytes, tx.raw.auth_info_bytes, ctx.block.chain_id, acc.number)
                assert acc.pubkey is not None
                if not _verified(acc.pubkey, sign_bytes, tx.raw.signatures[i]):
                    raise ErrUnauthorized.wrap(
                        f"signature verification failed; please verify account number ({acc.number}) "
                        f"and chain-id ({ctx.block.chain_id})"
                    )
        for acc in accounts:
            self.auth.increment_sequence(ctx, acc)

    def _deduct_fee(self, ctx: Context, tx: DecodedTx) -> None:
        fee_payer = tx.signers[0]
        if tx.auth_info.fee.payer:
            raise ErrInvalidRequest.wrap("fee payer other than the first signer is not supported")
        if not self.auth.has_account(ctx, fee_payer):
            raise ErrUnknownAddress.wrap(f"fee payer address: {bech32_encode(ACC_HRP, fee_payer)} does not exist")
        fee = [c for c in tx.fee if c.amount > 0]
        if fee:
            try:
                self.bank.send_to_module(ctx, fee_payer, FEE_COLLECTOR, fee)
            except ChainError as e:
                if e.is_(ErrInsufficientFunds):  # Departure: the SDK wraps it twice ("…: insufficient funds" ×2)
                    detail = f"cannot pay the fee {coins_str(sorted(fee))}: {e.log}"
                    raise ChainError(e.codespace, e.code, detail) from None
                raise
        ctx.emit(Event("tx", ("fee", coins_str(sorted(fee)))))

    def _set_pubkeys(self, ctx: Context, tx: DecodedTx, simulate: bool) -> list[Account]:
        infos = tx.auth_info.signer_infos
        if len(infos) != len(tx.signers):
            raise ErrUnauthorized.wrap(f"invalid number of signer;  expected: {len(tx.signers)}, got {len(infos)}")
        accounts: list[Account] = []
        for i, addr in enumerate(tx.signers):
            acc = self.auth.get_account(ctx, addr)
            if acc is None:
                raise ErrUnknownAddress.wrap(f"account {bech32_encode(ACC_HRP, addr)} not found")
            pk = infos[i].public_key
            if pk.type_url:
                if pk.type_url != SECP256K1_PUBKEY_URL:
                    raise ErrInvalidPubKey.wrap(f"unsupported public key type {pk.type_url}")
                try:
                    key, key_addr = _pubkey_and_address(pk.value)
                except (CryptoError, DecodeError) as e:
                    raise ErrInvalidPubKey.wrap(f"invalid secp256k1 public key: {e}") from None
                if key_addr != addr:
                    raise ErrInvalidPubKey.wrap(
                        f"pubKey does not match signer address {bech32_encode(ACC_HRP, addr)} with signer index: {i}"
                    )
                if acc.pubkey is None:
                    acc = Account(acc.address, acc.number, acc.sequence, key, acc.module_name, acc.permissions)
                    self.auth.set_account(ctx, acc)
            if acc.pubkey is None and not simulate:
                raise ErrInvalidPubKey.wrap(f"pubkey on account {bech32_encode(ACC_HRP, addr)} is not set")
            accounts.append(acc)
        for a in accounts:
            ctx.emit(Event("tx", ("acc_seq", f"{bech32_encode(ACC_HRP, a.address)}/{a.sequence}")))
        for sig in tx.raw.signatures:
            ctx.emit(Event("tx", ("signature", b2a_base64(sig, newline=False).decode())))
        return accounts


def any_type_url(msg: Any) -> str:
    return "/" + str(msg.DESCRIPTOR.full_name)
