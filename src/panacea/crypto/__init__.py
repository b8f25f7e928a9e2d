"""Pure functions over bytes: secp256k1 keys, addresses, ECDH/AES, signatures, JCS, ES256K JWTs."""

from panacea.crypto.address import (
    ACC_HRP,
    ACC_PUB_HRP,
    VALCONS_HRP,
    VALCONS_PUB_HRP,
    VALOPER_HRP,
    VALOPER_PUB_HRP,
    account_address,
    account_bech32,
    bech32_decode,
    bech32_encode,
    is_valid_address,
    module_address,
    valcons_bech32,
    valoper_bech32,
)
from panacea.crypto.aes import decrypt, encrypt
from panacea.crypto.ecdh import shared_key
from panacea.crypto.errors import CryptoError, JSONCanonicalizationError, JWTError
from panacea.crypto.hd import (
    COIN_TYPE,
    HD_PATH_TEMPLATE,
    derive_private_key,
    generate_mnemonic,
    validate_mnemonic,
)
from panacea.crypto.jcs import canonicalize, data_hash
from panacea.crypto.keys import SECP256K1_N, PrivateKey, PublicKey
from panacea.crypto.secret import consumer_secret_key, decrypt_from, encrypt_for
from panacea.crypto.signature import (
    SignatureMode,
    digest_for,
    parse_der_lenient,
    sign_message,
    sign_tx_bytes,
    verify_message,
    verify_tx_bytes,
)

__all__ = [
    "ACC_HRP",
    "ACC_PUB_HRP",
    "COIN_TYPE",
    "HD_PATH_TEMPLATE",
    "SECP256K1_N",
    "VALCONS_HRP",
    "VALCONS_PUB_HRP",
    "VALOPER_HRP",
    "VALOPER_PUB_HRP",
    "CryptoError",
    "JSONCanonicalizationError",
    "JWTError",
    "PrivateKey",
    "PublicKey",
    "SignatureMode",
    "account_address",
    "account_bech32",
    "bech32_decode",
    "bech32_encode",
    "canonicalize",
    "consumer_secret_key",
    "data_hash",
    "decrypt",
    "decrypt_from",
    "derive_private_key",
    "digest_for",
    "encrypt",
    "encrypt_for",
    "generate_mnemonic",
    "is_valid_address",
    "module_address",
    "parse_der_lenient",
    "shared_key",
    "sign_message",
    "sign_tx_bytes",
    "valcons_bech32",
    "validate_mnemonic",
    "valoper_bech32",
    "verify_message",
    "verify_tx_bytes",
]
