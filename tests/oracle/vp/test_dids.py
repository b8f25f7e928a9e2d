import re

import base58
import pytest

from panacea.oracle.vp.dids import DIDKeyResolver, MethodResolver, VerificationMethod, verification_key
from panacea.oracle.vp.errors import VPValidationError
from tests.oracle.vp.kit import DIDS, kid, run

HOLDER = DIDS["holder"]
PUBLIC_KEY = base58.b58decode(HOLDER.split(":")[2][1:])[2:]


def _rejection(did: str) -> str:
    with pytest.raises(VPValidationError) as e:
        run(MethodResolver().resolve(did))
    return str(e.value)


def test_did_key_secp256k1() -> None:
    (method,) = run(DIDKeyResolver().resolve(HOLDER))
    assert method == VerificationMethod(
        kid("holder"),
        HOLDER,
        PUBLIC_KEY,
        frozenset({"authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"}),
    )
    assert len(PUBLIC_KEY) == 33 and PUBLIC_KEY[0] in (2, 3)


def test_bad_dids() -> None:
    assert _rejection("did:key") == "'did:key' is not a DID"
    assert _rejection("key:zQ3s") == "'key:zQ3s' is not a DID"
    assert _rejection("did:panacea:abc") == "DID method 'panacea' is not supported (supported: key)"
    ed25519 = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"
    assert _rejection(ed25519) == f"{ed25519} is not a secp256k1 did:key"
    assert _rejection("did:key:Q3s0") == "did:key:Q3s0 is not a secp256k1 did:key"
    assert _rejection("did:key:z0OIl") == "did:key:z0OIl is not a secp256k1 did:key"
    not_on_curve = "did:key:z" + base58.b58encode(b"\xe7\x01\x02" + b"\xff" * 32).decode()
    assert _rejection(not_on_curve) == f"{not_on_curve} holds an invalid secp256k1 public key"
    with pytest.raises(VPValidationError, match="^" + re.escape("did:web:x is not a did:key") + "$"):
        run(DIDKeyResolver().resolve("did:web:x"))


def test_method_resolver_dispatches_to_any_async_resolver() -> None:
    class Chain:
        async def resolve(self, did: str) -> tuple[VerificationMethod, ...]:
            return (VerificationMethod(f"{did}#key1", did, PUBLIC_KEY, frozenset({"authentication"})),)

    resolver = MethodResolver({"panacea": Chain()})
    assert (
        run(verification_key(resolver, "did:panacea:abc#key1", "authentication", "did:panacea:abc", "p")) == PUBLIC_KEY
    )


def _key_rejection(method_id: object, purpose: str = "authentication", controller: str = HOLDER) -> str:
    with pytest.raises(VPValidationError) as e:
        run(verification_key(MethodResolver(), method_id, purpose, controller, "presentation"))
    return str(e.value)


def test_verification_key_lookup_is_exact() -> None:
    assert run(verification_key(MethodResolver(), kid("holder"), "authentication", HOLDER, "p")) == PUBLIC_KEY
    assert _key_rejection(HOLDER) == "presentation: verification method must be a DID URL with one '#' fragment"
    assert _key_rejection(None) == "presentation: verification method must be a DID URL with one '#' fragment"
    assert _key_rejection(f"{HOLDER}#key1") == (
        f"presentation: verification method {HOLDER}#key1 is not in the DID document of {HOLDER}"
    )
    assert _key_rejection(kid("holder")[:-1]) == (
        f"presentation: verification method {kid('holder')[:-1]} is not in the DID document of {HOLDER}"
    )
    assert _key_rejection(kid("holder"), "keyAgreement") == (
        f"presentation: verification method {kid('holder')} is not authorised for keyAgreement"
    )
