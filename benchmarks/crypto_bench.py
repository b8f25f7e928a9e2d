"""Micro benchmark of panacea.crypto hot paths against raw-library baselines measured in the same run.

Usage: .venv/bin/python benchmarks/crypto_bench.py [--number N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import coincurve
import rfc8785
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from panacea.crypto import aes, jcs
from panacea.crypto.ecdh import shared_key
from panacea.crypto.keys import PrivateKey
from panacea.crypto.signature import SignatureMode, sign_message, verify_message


def _us_per_op(fn: Callable[[], object], number: int) -> float:
    best = min(timeit.repeat(fn, number=number, repeat=5))
    return best / number * 1e6


def _raw_aes(key: bytes, plaintext: bytes) -> bytes:
    nonce = os.urandom(12)
    cipher = AESGCM(key)
    return cipher.decrypt(nonce, cipher.encrypt(nonce, plaintext, None), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--number", type=int, default=2000, help="calls per timing run")
    number = parser.parse_args().number

    priv = PrivateKey(hashlib.sha256(b"bench-a").digest())
    peer = PrivateKey(hashlib.sha256(b"bench-b").digest()).public_key()
    message = os.urandom(120)
    digest = message[:32]
    der = sign_message(priv, message, SignatureMode.LEGACY)
    pub = priv.public_key()
    cc_priv = coincurve.PrivateKey(priv.secret)
    key = os.urandom(32)
    kib = os.urandom(1024)
    record: dict[str, object] = {}
    while len(json.dumps(record)) < 1000:
        i = len(record)
        record[f"field{i:03d}"] = [i, i * 0.25, "value"]
    raw_doc = json.dumps(record).encode()

    cases: list[tuple[str, Callable[[], object], str, Callable[[], object]]] = [
        ("sign (legacy digest, DER)", lambda: sign_message(priv, message, SignatureMode.LEGACY),
         "coincurve sign", lambda: cc_priv.sign(digest, hasher=None)),
        ("verify (cached key, lenient DER)", lambda: verify_message(pub, message, der, SignatureMode.LEGACY),
         "coincurve verify, key parsed each call",
         lambda: coincurve.PublicKey(pub.compressed).verify(der, digest, hasher=None)),
        ("ECDH shared_key", lambda: shared_key(priv, peer),
         "coincurve ecdh() (incompatible KDF)", lambda: cc_priv.ecdh(peer.compressed)),
        ("AES-GCM encrypt+decrypt 1 KiB", lambda: aes.decrypt(key, aes.encrypt(key, kib)),
         "raw AESGCM encrypt+decrypt",
         lambda: _raw_aes(key, kib)),
        (f"data_hash {len(raw_doc)} B JSON", lambda: jcs.data_hash(raw_doc),
         "json.loads + rfc8785.dumps + sha256",
         lambda: hashlib.sha256(rfc8785.dumps(json.loads(raw_doc))).hexdigest()),
    ]  # fmt: skip
    print(f"{'operation':<36} {'µs/op':>9}   {'baseline':<40} {'µs/op':>9} {'ratio':>7}")
    for name, fn, base_name, base in cases:
        ours = _us_per_op(fn, number)
        reference = _us_per_op(base, number)
        print(f"{name:<36} {ours:9.2f}   {base_name:<40} {reference:9.2f} {ours / reference:6.2f}x")


if __name__ == "__main__":
    main()
