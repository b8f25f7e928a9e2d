from typing import Any

import pytest

from panacea.crypto.keys import SECP256K1_N
from panacea.oracle.vp.dids import MethodResolver
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.es256k import b64url_decode
from panacea.oracle.vp.ldp import verify_ldp_proof
from tests.oracle.vp.kit import DIDS, b64, doc, run

HEADER = "eyJhbGciOiJFUzI1NksiLCJjcml0IjpbImI2NCJdLCJiNjQiOmZhbHNlfQ"


def _rejection(vp: dict[str, Any]) -> str:
    with pytest.raises(VPValidationError) as e:
        run(
            verify_ldp_proof(
                vp, MethodResolver(), purpose="authentication", controller=DIDS["holder"], what="presentation"
            )
        )
    return str(e.value)


def test_valid_proof() -> None:
    vp = doc("vp_ldp.json")
    run(
        verify_ldp_proof(vp, MethodResolver(), purpose="authentication", controller=DIDS["holder"], what="presentation")
    )


def test_high_s_twin_of_a_valid_signature_is_rejected() -> None:
    vp = doc("vp_ldp.json")
    signature = b64url_decode(vp["proof"]["jws"].split("..")[1], "test")
    high_s = SECP256K1_N - int.from_bytes(signature[32:], "big")
    vp["proof"]["jws"] = f"{HEADER}..{b64(signature[:32] + high_s.to_bytes(32, 'big'))}"
    assert _rejection(vp) == "presentation: signature is not in low-S form"


def test_any_signed_change_breaks_the_signature() -> None:
    vp = doc("vp_ldp.json")
    vp["presentation_submission"]["id"] = "another"  # an @json literal: signed as JSON
    assert _rejection(vp) == "presentation: signature does not verify"
    vp = doc("vp_ldp.json")
    vp["proof"]["challenge"] = "deal-2"
    assert _rejection(vp) == "presentation: signature does not verify"


def test_unsigned_additions_are_rejected() -> None:
    vp = doc("vp_ldp.json")
    vp["nickname"] = "holder"
    assert _rejection(vp) == "presentation: term 'nickname' is not defined by its @context"
    vp = doc("vp_ldp.json")
    vp["proof"]["comment"] = "c"
    assert _rejection(vp) == "presentation proof: term 'comment' is not defined by its @context"


def test_proof_shape() -> None:
    vp = doc("vp_ldp.json")
    proof = vp.pop("proof")
    assert _rejection(vp) == "presentation has no proof"
    assert (
        _rejection({**vp, "proof": [proof]})
        == "presentation: proof must be one JSON object (proof sets are not supported)"
    )
    assert _rejection({**vp, "proof": {**proof, "type": "Ed25519Signature2018"}}) == (
        "presentation: proof type 'Ed25519Signature2018' is not supported (only EcdsaSecp256k1Signature2019)"
    )
    assert _rejection({**vp, "proof": {**proof, "proofPurpose": "assertionMethod"}}) == (
        "presentation: proof purpose is 'assertionMethod', want 'authentication'"
    )


def test_jws_shape() -> None:
    vp = doc("vp_ldp.json")
    jws = vp["proof"]["jws"]
    detached = "presentation: proof jws must be a detached JWS (header..signature)"
    for bad in (None, jws.replace("..", ".e30."), "a.b"):
        vp["proof"]["jws"] = bad
        assert _rejection(vp) == detached
    vp["proof"]["jws"] = b64(b'{"alg": "ES256K"}') + ".." + jws.split("..")[1]
    assert _rejection(vp) == 'presentation: proof jws header must be {"alg":"ES256K","b64":false,"crit":["b64"]}'
    vp["proof"]["jws"] = f"{b64(b'nope')}..{jws.split('..')[1]}"
    assert _rejection(vp) == "presentation: proof jws header is not JSON"
    vp["proof"]["jws"] = f"{HEADER}..{b64(b'short')}"
    assert _rejection(vp) == "presentation: signature must be 64 bytes, got 5"
    vp["proof"]["jws"] = f"{HEADER}..{b64(bytes(64))}"
    assert _rejection(vp) == "presentation: signature is invalid"
