"""did:panacea derivation and ownership proofs against the known-answer vectors of did-reference §11."""

from __future__ import annotations

import hashlib

from panacea.crypto.did import (
    deactivation_data,
    did_for_key,
    key_document,
    sign_bytes,
    sign_ownership,
    verify_ownership,
)
from panacea.crypto.keys import SECP256K1_N, PrivateKey

PRIV = PrivateKey(hashlib.sha256(b"panacea-did-spec-vector").digest())
DID = "did:panacea:8ifX66eFxRKky33XoMmgWShgdGtSiQMdMiBocrabeK96"
DOCPB = bytes.fromhex(
    "0a1e0a1c68747470733a2f2f7777772e77332e6f72672f6e732f6469642f763112386469643a70616e616365613a3869665836"
    "36654678524b6b793333586f4d6d67575368676447745369514d644d69426f63726162654b393622ca010a3d6469643a70616e"
    "616365613a386966583636654678524b6b793333586f4d6d67575368676447745369514d644d69426f63726162654b3936236b"
    "65793112214563647361536563703235366b31566572696669636174696f6e4b6579323031391a386469643a70616e61636561"
    "3a386966583636654678524b6b793333586f4d6d67575368676447745369514d644d69426f63726162654b3936222c70514e75"
    "68564e6467484250375365414150376b597a31517159786b38367a364c627742776e5245324e72442a3f0a3d6469643a70616e"
    "616365613a386966583636654678524b6b793333586f4d6d67575368676447745369514d644d69426f63726162654b3936236b"
    "657931")
SIGNATURE = bytes.fromhex(
    "7db6287d02096ed2695a51dd5e3744da75c3e9ad91fe07c952cf4c03f8f0a9ce272242317cac7db20fd201ecf04fc654d2856091bf"
    "746daa82344456a59eb7ce")


def test_vector_key_did_and_document() -> None:
    assert PRIV.to_hex() == "01556b2a9bb42ed89cb15d04d4f268b3644e01adde20a0ea6b7e0faf2527d351"
    assert PRIV.public_key().compressed.hex() == "02c0526a906fd2678f938bd72d314c36a8fa013d11764d94dc58c086ae62bc1052"
    assert did_for_key(PRIV.public_key()) == DID
    assert key_document(PRIV.public_key()).SerializeToString(deterministic=True) == DOCPB


def test_vector_sign_bytes_and_signature() -> None:
    signed = sign_bytes(DOCPB, 0)
    assert signed == bytes.fromhex("0ae802") + DOCPB
    assert hashlib.sha256(signed).hexdigest() == "79fa33533f7975ab93b79e01b5d043608e4e69dc272ce8d227e7e093eed7e256"
    assert sign_ownership(PRIV, DOCPB, 0) == SIGNATURE
    pub = PRIV.public_key().compressed
    assert verify_ownership(pub, DOCPB, 0, SIGNATURE)
    assert not verify_ownership(pub, DOCPB, 1, SIGNATURE)
    high_s = SIGNATURE[:32] + (SECP256K1_N - int.from_bytes(SIGNATURE[32:], "big")).to_bytes(32, "big")
    assert not verify_ownership(pub, DOCPB, 0, high_s)  # the high-S twin is rejected
    assert not verify_ownership(pub, DOCPB, 0, SIGNATURE[:63])
    assert not verify_ownership(b"\x02" + b"\x00" * 32, DOCPB, 0, SIGNATURE)  # not a curve point


def test_vector_deactivation_sign_bytes() -> None:
    assert sign_bytes(deactivation_data(DID), 1) == bytes.fromhex(
        "0a3a12386469643a70616e616365613a386966583636654678524b6b793333586f4d6d67575368676447745369514d644d69426f"
        "63726162654b39361001")
