"""Validation pieces shared by msgs, stored types, genesis and params (chain-reference §3.2, §3.4, §3.13)."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Final

from panacea.chain import addr
from panacea.chain.errors import ChainError, ErrInvalidRequest, ErrTxDecode
from panacea.chain.modules.oracle.errors import plain
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PublicKey
from panacea.crypto.signature import SignatureMode
from panacea.types.dec import DEC_SCALE, dec_from_wire, dec_to_scaled
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2

ONE: Final = DEC_SCALE  # sdk.OneDec() as a scaled integer

# Departure: the approval/certificate digest is a param; "" reads as sha256 (spec §7.1).
SIGNATURE_DIGESTS: Final = {"": SignatureMode.SHA256, "sha256": SignatureMode.SHA256, "legacy": SignatureMode.LEGACY}

_B64_RE: Final = re.compile(r"[A-Za-z0-9+/]")


def scaled(wire: str) -> int:
    """An sdk.Dec from its protobuf wire string, as an integer scaled by 10^18 ("" is zero)."""
    try:
        return dec_to_scaled(dec_from_wire(wire))
    except ValueError as e:
        raise ErrTxDecode.wrap(str(e)) from None


def invalid(detail: str) -> ChainError:
    return ErrInvalidRequest.wrap(detail)


# --- keys and base64 the way btcec v1 / Go encoding/base64 report them ---------------------------------
def decode_base64_std(text: str) -> bytes:
    """base64.StdEncoding.DecodeString; error text "illegal base64 data at input byte N"."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise plain(f"illegal base64 data at input byte {_bad_base64_offset(text)}") from None


def _bad_base64_offset(text: str) -> int:
    body = text.rstrip("=")
    for i, c in enumerate(body):
        if not _B64_RE.fullmatch(c):
            return i
    return len(text) - len(text) % 4 if len(text) % 4 else len(body)


def parse_public_key(raw: bytes) -> PublicKey:
    """btcec v1 ParsePubKey with its error texts (compressed, uncompressed and hybrid forms)."""
    if not raw:
        raise plain("pubkey string is empty")
    if len(raw) not in (33, 65):
        raise plain(f"invalid pub key length {len(raw)}")
    fmt = raw[0] & 0xFE
    if len(raw) == 33 and fmt != 0x02:
        raise plain(f"invalid magic in compressed pubkey string: {raw[0]}")
    if len(raw) == 65 and fmt not in (0x04, 0x06):
        raise plain(f"invalid magic in pubkey str: {raw[0]}")
    try:
        return PublicKey.from_bytes(raw)
    except CryptoError:
        raise plain("invalid square root" if len(raw) == 33 else "pubkey isn't on secp256k1 curve") from None


# --- params (§3.2) -----------------------------------------------------------------------------------
def default_params() -> genesis_pb2.Params:
    return genesis_pb2.Params(signature_digest="sha256")


def validate_oracle_public_key(value: str) -> None:
    if value:
        parse_public_key(decode_base64_std(value))


def validate_remote_report(value: str) -> None:
    if value:
        decode_base64_std(value)


def validate_signature_digest(value: str) -> None:
    if value not in SIGNATURE_DIGESTS:
        raise plain(f"invalid signature digest {value!r}: must be \"sha256\" or \"legacy\"")


PARAM_VALIDATORS: dict[str, tuple[str, Any]] = {
    "OraclePublicKey": ("oracle_public_key", validate_oracle_public_key),
    "OraclePubKeyRemoteReport": ("oracle_pub_key_remote_report", validate_remote_report),
    "UniqueID": ("unique_id", lambda _v: None),
    "SignatureDigest": ("signature_digest", validate_signature_digest),
}


def validate_params(params: genesis_pb2.Params) -> None:
    """Params.Validate: each field's validator in key order; raises the plain Go error."""
    for field, check in PARAM_VALIDATORS.values():
        check(getattr(params, field))


# --- node-side fields shared by registrations and upgrades (§3.4) -----------------------------------
def validate_node_fields(m: Any) -> None:
    """unique_id → oracle_address → node pubkey → report → trusted height → trusted hash."""
    if not m.unique_id:
        raise invalid("uniqueID is empty")
    validate_address_field("oracleAddress", m.oracle_address)
    if not m.node_pub_key:
        raise invalid("node public key is empty")
    try:
        PublicKey.from_bytes(m.node_pub_key)
    except CryptoError:
        raise invalid("invalid node public key") from None
    if not m.node_pub_key_remote_report:
        raise invalid("remote report of node public key is empty")
    if m.trusted_block_height <= 0:
        raise invalid("trusted block height must be greater than zero")
    if not m.trusted_block_hash:
        raise invalid("trusted block hash should not be nil")


def validate_address_field(name: str, address: str) -> None:
    try:
        addr.parse(address)
    except CryptoError as e:
        raise invalid(f"{name} is invalid. address: {address}, error: {e}") from None


def validate_commission(rate: str, max_rate: str, max_change_rate: str, *, change_bound_is_max_rate: bool) -> None:
    """REF (§3.4): MsgRegisterOracle bounds max_change_rate by max_rate, the stored types by 1."""
    r, mx, mc = scaled(rate), scaled(max_rate), scaled(max_change_rate)
    if mx < 0 or mx > ONE:
        raise invalid("OracleCommissionMaxRate must be between 0 and 1")
    if r < 0 or r > mx:
        raise invalid("oracleCommissionRate must be between 0 and OracleCommissionMaxRate")
    if change_bound_is_max_rate:
        if mc < 0 or mc > mx:
            raise invalid("OracleCommissionMaxChangeRate must be between 0 and OracleCommissionMaxRate")
    elif mc < 0 or mc > ONE:
        raise invalid("OracleCommissionMaxChangeRate must be between 0 and 1")


# --- stored types (genesis) ----------------------------------------------------------------------------
def validate_oracle(o: oracle_pb2.Oracle) -> None:
    try:
        addr.parse(o.oracle_address)
    except CryptoError as e:
        raise plain(f"oracle address is invalid. address: {o.oracle_address}: {e}") from None
    if not o.unique_id:
        raise plain("uniqueID is empty")
    validate_commission(o.oracle_commission_rate, o.oracle_commission_max_rate,
                        o.oracle_commission_max_change_rate, change_bound_is_max_rate=False)


def validate_oracle_registration(r: oracle_pb2.OracleRegistration) -> None:
    validate_node_fields(r)
    validate_commission(r.oracle_commission_rate, r.oracle_commission_max_rate,
                        r.oracle_commission_max_change_rate, change_bound_is_max_rate=False)


def validate_oracle_upgrade(u: oracle_pb2.OracleUpgrade) -> None:
    validate_node_fields(u)


def validate_upgrade_info(info: oracle_pb2.OracleUpgradeInfo) -> None:
    if not info.unique_id:
        raise invalid("uniqueID is empty")
    if info.height <= 0:
        raise invalid("upgrade height must be greater than zero")
