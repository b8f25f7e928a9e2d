"""The compact-signature verification path must agree with coincurve's DER verification."""

from __future__ import annotations

import hashlib
import random

import coincurve

from panacea.crypto.keys import SECP256K1_HALF_N, SECP256K1_N
from panacea.crypto.signature import encode_der, verify_digest, verify_tx_bytes


def test_compact_path_agrees_with_der_verification() -> None:
    rng = random.Random(5)
    for i in range(200):
        priv = coincurve.PrivateKey(hashlib.sha256(f"k{i}".encode()).digest())
        pub = priv.public_key.format()
        sign_bytes = rng.randbytes(rng.randrange(1, 400))
        digest = hashlib.sha256(sign_bytes).digest()
        der = priv.sign(digest, hasher=None)
        r, s = _rs(der)
        cases = [(r, s), (r, SECP256K1_N - s), (r ^ 1, s), (r, s ^ 1), (1, 1), (SECP256K1_N - 1, SECP256K1_HALF_N)]
        for cr, cs in cases:
            low = cs if cs <= SECP256K1_HALF_N else SECP256K1_N - cs
            expected = coincurve.PublicKey(pub).verify(encode_der(cr, low), digest, hasher=None)
            assert verify_digest(pub, digest, cr, cs) == expected
            sig64 = cr.to_bytes(32, "big") + cs.to_bytes(32, "big")
            assert verify_tx_bytes(pub, sign_bytes, sig64) == (expected and cs <= SECP256K1_HALF_N)
        assert verify_digest(pub, digest, r, s)


def _rs(der: bytes) -> tuple[int, int]:
    rlen = der[3]
    r = int.from_bytes(der[4 : 4 + rlen], "big")
    slen = der[5 + rlen]
    return r, int.from_bytes(der[6 + rlen : 6 + rlen + slen], "big")
