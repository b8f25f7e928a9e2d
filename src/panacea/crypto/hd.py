"""BIP-39 mnemonics and BIP-44 derivation at coin type 371 (chain-reference §1)."""

from __future__ import annotations

from bip_utils import (
    Bip32Secp256k1,
    Bip39MnemonicGenerator,
    Bip39MnemonicValidator,
    Bip39SeedGenerator,
    Bip39WordsNum,
)

from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PrivateKey

COIN_TYPE = 371
HD_PATH_TEMPLATE = "m/44'/371'/{account}'/0/{index}"
DEFAULT_HD_PATH = HD_PATH_TEMPLATE.format(account=0, index=0)

_WORDS = {
    12: Bip39WordsNum.WORDS_NUM_12,
    15: Bip39WordsNum.WORDS_NUM_15,
    18: Bip39WordsNum.WORDS_NUM_18,
    21: Bip39WordsNum.WORDS_NUM_21,
    24: Bip39WordsNum.WORDS_NUM_24,
}
_HARDENED = 1 << 31


def generate_mnemonic(words: int = 24) -> str:
    """A fresh English BIP-39 mnemonic of ``words`` words."""
    if words not in _WORDS:
        raise CryptoError(f"invalid mnemonic word count: {words} (use 12, 15, 18, 21 or 24)")
    return str(Bip39MnemonicGenerator().FromWordsNumber(_WORDS[words]))


def _normalise(mnemonic: str) -> str:
    return " ".join(mnemonic.split())


def validate_mnemonic(mnemonic: str) -> None:
    if not Bip39MnemonicValidator().IsValid(_normalise(mnemonic)):
        raise CryptoError("invalid mnemonic")


def derive_private_key(mnemonic: str, account: int = 0, index: int = 0, passphrase: str = "") -> PrivateKey:
    """Key at m/44'/371'/{account}'/0/{index}; whitespace in the mnemonic is normalised first."""
    for name, value in (("account", account), ("index", index)):
        if not 0 <= value < _HARDENED:
            raise CryptoError(f"invalid HD path {name}: {value}")
    words = _normalise(mnemonic)
    validate_mnemonic(words)
    seed = Bip39SeedGenerator(words).Generate(passphrase)
    node = Bip32Secp256k1.FromSeed(seed).DerivePath(HD_PATH_TEMPLATE.format(account=account, index=index))
    return PrivateKey(bytes(node.PrivateKey().Raw().ToBytes()))
