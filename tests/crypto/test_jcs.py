import hashlib
import json
import math
import random
import struct
import subprocess
from typing import Any

import pytest
import rfc8785

from panacea.crypto.errors import CryptoError, JSONCanonicalizationError
from panacea.crypto.jcs import canonicalize, data_hash, es6_number


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (
            '{"b": 2, "a": 1.0, "c": [1e2, 1e21, 0.000001, 1e-7, -0, 100000000000000000000000,'
            " 9007199254740993, 1.5e16, 123.456e-3, 1E3, -1.25e-10]}",
            b'{"a":1,"b":2,"c":[100,1e+21,0.000001,1e-7,0,1e+23,9007199254740992,'
            b"15000000000000000,0.123456,1000,-1.25e-10]}",
        ),
        # UTF-16 code-unit order: U+1F600 (D83D DE00) sorts before U+FB33, unlike code-point order.
        (
            '{"\\u20ac": 1, "\\ud83d\\ude00": 2, "a": 3, "\\u00e9": 4, "\\ufb33": 5, "": 6}',
            '{"":6,"a":3,"é":4,"€":1,"😀":2,"\ufb33":5}'.encode(),
        ),
        (
            '{"s": "a\\/b\\u00e9\\u001F\\n\\t\\"\\\\\\b\\f\\r\\u0000 \\u007f\\u2028"}',
            b'{"s":"a/b\xc3\xa9\\u001f\\n\\t\\"\\\\\\b\\f\\r\\u0000 \x7f\xe2\x80\xa8"}',
        ),
        ("[ 1 , true , false , null , {} , [] ]", b"[1,true,false,null,{},[]]"),
        (
            '{\n  "name": "Alice",\n  "vc": {"type": ["VerifiableCredential"], "issuer": "did:panacea:x"},\n'
            '  "age": 30\n}\n',
            b'{"age":30,"name":"Alice","vc":{"issuer":"did:panacea:x","type":["VerifiableCredential"]}}',
        ),
    ],
)
def test_canonical_bytes(raw: str, canonical: bytes) -> None:
    assert canonicalize(raw) == canonical
    assert canonicalize(raw.encode()) == canonical
    assert data_hash(raw) == hashlib.sha256(canonical).hexdigest()


def test_data_hash_vectors() -> None:
    assert data_hash('{"age":30,"name":"Alice"}') == (
        hashlib.sha256(b'{"age":30,"name":"Alice"}').hexdigest()
    )
    assert data_hash("[ 1 , true , false , null , {} , [] ]") == (
        "bc9ad80972d43365fe51cd652e36dd1792b3dd5994adcd5e43c45ec2169553cc"
    )


def test_whitespace_and_key_order_variants_share_a_hash() -> None:
    variants = [
        '{"name":"Alice","age":30,"tags":["a","b"]}',
        '{ "age" : 30 , "tags" : [ "a" , "b" ] , "name" : "Alice" }',
        '\n\t{"tags":["a",\r\n"b"],"name":"Al\\u0069ce","age":3.0e1}\n',
    ]
    hashes = {data_hash(v) for v in variants}
    assert hashes == {hashlib.sha256(b'{"age":30,"name":"Alice","tags":["a","b"]}').hexdigest()}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"a":1,"a":2}', "Duplicate key: a"),
        ('{"x":{"k":1,"\\u006b":2}}', "Duplicate key: k"),
        ("1", "JSON canonicalization requires an object or array at the top level"),
        ('"x"', "JSON canonicalization requires an object or array at the top level"),
        ("null", "JSON canonicalization requires an object or array at the top level"),
        ('{"a":NaN}', "invalid JSON number: NaN"),
        ('{"a":-Infinity}', "invalid JSON number: -Infinity"),
        ('{"a":1e400}', "number out of range: 1e400"),
        (b'{"a":"\xff"}', "invalid UTF-8 at byte 6"),
        ('{"a":', "invalid JSON: Expecting value: line 1 column 6 (char 5)"),
        ("", "invalid JSON: Expecting value: line 1 column 1 (char 0)"),
        ('{"\\ud800":1}', "invalid JSON: unpaired surrogate in string"),
        ('["\\udc00"]', "invalid JSON: unpaired surrogate in string"),
        ('{"a":"\x01"}', "invalid JSON: Invalid control character at: line 1 column 7 (char 6)"),
    ],
)
def test_rejections(raw: str | bytes, message: str) -> None:
    with pytest.raises(JSONCanonicalizationError) as e:
        canonicalize(raw)
    assert str(e.value) == message
    assert isinstance(e.value, CryptoError)
    assert "\n" not in str(e.value)


def test_deep_nesting_is_an_error() -> None:
    with pytest.raises(JSONCanonicalizationError, match="nesting too deep"):
        canonicalize("[" * 100_000 + "]" * 100_000)


def _random_document(rng: random.Random, depth: int = 0) -> Any:
    choice = rng.randrange(8 if depth < 4 else 5)
    if choice == 0:
        return struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
    if choice == 1:
        special = [0.0, -0.0, 1e21, 1e-7, 2.0**53, 2.0**60, 0.1, -123.456]
        return rng.choice(special) * rng.choice([1, 10, 1e-9])
    if choice == 2:
        return float(rng.randint(-(2**62), 2**62))
    if choice == 3:
        chars = [rng.randrange(0x20), rng.randrange(0x20, 0x80), 0xE9, 0x2028, 0x1F600]
        return "".join(chr(rng.choice(chars)) for _ in range(rng.randrange(6)))
    if choice == 4:
        return rng.choice([True, False, None])
    if choice == 5:
        return [_random_document(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = ["a", "b", "\u00e9", "\u20ac", "\ufb33", "\U0001f600", "aa", ""]
    return {rng.choice(keys): _random_document(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_matches_rfc8785_library_on_random_documents() -> None:
    rng = random.Random(8785)
    for _ in range(3000):
        doc = [_random_document(rng)]
        try:
            text = json.dumps(doc, ensure_ascii=rng.random() < 0.5, allow_nan=False)
        except ValueError:
            continue  # NaN/Infinity somewhere inside
        parsed = json.loads(text, parse_int=float)
        assert canonicalize(text) == rfc8785.dumps(parsed)


def test_es6_number_matches_rfc8785_library() -> None:
    rng = random.Random(1)
    values = [10.0**e for e in range(-330, 309)] + [5e-324, 2.0**53, 2.0**53 + 2, 123456789012345680000.0]
    values += [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(20000)]
    for f in values:
        if math.isfinite(f):
            assert es6_number(f) == rfc8785.dumps(f).decode(), f


def test_numbers_match_javascript() -> None:
    rng = random.Random(2)
    values = [struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0] for _ in range(5000)]
    doc = "[" + ",".join(repr(v) for v in values if math.isfinite(v)) + "]"
    script = "process.stdout.write(JSON.stringify(JSON.parse(require('fs').readFileSync(0, 'utf8'))))"
    node = subprocess.run(["node", "-e", script], input=doc.encode(), capture_output=True, check=True)
    assert canonicalize(doc) == node.stdout
