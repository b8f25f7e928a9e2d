import pytest

from panacea.crypto.errors import CryptoError
from panacea.crypto.hd import (
    COIN_TYPE,
    HD_PATH_TEMPLATE,
    derive_private_key,
    generate_mnemonic,
    validate_mnemonic,
)

ABANDON = "abandon " * 11 + "about"


def test_constants() -> None:
    assert COIN_TYPE == 371
    assert HD_PATH_TEMPLATE.format(account=1, index=2) == "m/44'/371'/1'/0/2"


def test_abandon_vector() -> None:
    key = derive_private_key(ABANDON)
    assert key.bech32() == "panacea16q6g46va64az2gvgsykqzhmp7gvzmqw28qngsc"
    assert key.to_hex() == "e622b5ca9152e837257d5b54b423d72b9984ab950e4ccb6a219fa18ba7300a5d"
    assert derive_private_key("  " + ABANDON.replace(" ", "\n") + " ") == key


def test_account_index_and_passphrase_change_the_key() -> None:
    base = derive_private_key(ABANDON)
    others = {
        derive_private_key(ABANDON, account=1),
        derive_private_key(ABANDON, index=1),
        derive_private_key(ABANDON, passphrase="x"),
    }
    assert base not in others and len(others) == 3


def test_generate_and_validate() -> None:
    for words in (12, 24):
        mnemonic = generate_mnemonic(words)
        assert len(mnemonic.split()) == words
        validate_mnemonic(mnemonic)
    assert len(generate_mnemonic().split()) == 24
    with pytest.raises(CryptoError, match="invalid mnemonic word count: 13"):
        generate_mnemonic(13)


@pytest.mark.parametrize("mnemonic", ["", "abandon " * 12, "abandon " * 11 + "zzz", "hello world"])
def test_invalid_mnemonic(mnemonic: str) -> None:
    with pytest.raises(CryptoError) as e:
        validate_mnemonic(mnemonic)
    assert str(e.value) == "invalid mnemonic"
    with pytest.raises(CryptoError, match=r"^invalid mnemonic$"):
        derive_private_key(mnemonic)


def test_path_range() -> None:
    with pytest.raises(CryptoError, match="invalid HD path account: -1"):
        derive_private_key(ABANDON, account=-1)
    with pytest.raises(CryptoError, match="invalid HD path index: 2147483648"):
        derive_private_key(ABANDON, index=1 << 31)
