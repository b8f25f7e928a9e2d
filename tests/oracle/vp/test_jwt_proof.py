import pytest

from panacea.oracle.vp.dids import MethodResolver
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.jwt_proof import VerifiedJWT, verify_jwt
from tests.oracle.vp.kit import DIDS, NOW, b64, kid, run, sign_jwt

HEADER = {"alg": "ES256K", "kid": kid("holder")}


def _verify(token: str, now: float = NOW) -> VerifiedJWT:
    return run(verify_jwt(token, MethodResolver(), purpose="authentication", now=now, what="presentation"))


def _rejection(token: str, now: float = NOW) -> str:
    with pytest.raises(VPValidationError) as e:
        _verify(token, now)
    return str(e.value)


def test_valid_token() -> None:
    verified = _verify(sign_jwt(HEADER, {"iss": DIDS["holder"], "exp": NOW + 1, "nbf": NOW}, "holder"))
    assert verified == VerifiedJWT(DIDS["holder"], {"iss": DIDS["holder"], "exp": NOW + 1, "nbf": NOW})


def test_time_claims() -> None:
    assert (
        _rejection(sign_jwt(HEADER, {"iss": DIDS["holder"], "exp": NOW}, "holder")) == "presentation: JWT has expired"
    )
    token = sign_jwt(HEADER, {"iss": DIDS["holder"], "nbf": NOW + 1}, "holder")
    assert _rejection(token) == "presentation: JWT is not valid yet"
    token = sign_jwt(HEADER, {"iss": DIDS["holder"], "exp": "tomorrow"}, "holder")
    assert _rejection(token) == "presentation: JWT claim exp must be a number"
    token = sign_jwt(HEADER, {"iss": DIDS["holder"], "nbf": True}, "holder")
    assert _rejection(token) == "presentation: JWT claim nbf must be a number"


def test_issuer_binding_and_signature() -> None:
    assert _rejection(sign_jwt(HEADER, {"sub": "x"}, "holder")) == "presentation: JWT has no iss claim"
    token = sign_jwt(HEADER, {"iss": DIDS["attacker"]}, "attacker")
    assert (
        _rejection(token) == f"presentation: verification method {kid('holder')} does not belong to {DIDS['attacker']}"
    )
    token = sign_jwt(HEADER, {"iss": DIDS["holder"]}, "attacker")
    assert _rejection(token) == "presentation: signature does not verify"


def test_malformed_tokens() -> None:
    assert _rejection("a.b") == "presentation: JWT must have 3 dot-separated parts, got 2"
    assert _rejection(f"{b64(b'[1]')}.{b64(b'{}')}.") == "presentation: JWT segment is not a JSON object"
    assert _rejection(f"{b64(b'{')}.{b64(b'{}')}.") == "presentation: JWT segment is not JSON"
    assert _rejection("a*.b.c") == "presentation: invalid base64url"
    token = sign_jwt({"alg": "ES256", "kid": kid("holder")}, {"iss": DIDS["holder"]}, "holder")
    assert _rejection(token) == "presentation: JWT alg is 'ES256', want 'ES256K'"
