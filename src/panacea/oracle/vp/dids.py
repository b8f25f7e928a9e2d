"""DID resolution behind one interface (did-reference §9): did:key here, did:panacea from the chain
(:mod:`panacea.oracle.vp.panacea_did`).

A resolver is async so a chain-backed one (verified queries of the ``did`` store) fits the same shape.
Departure from the reference's key lookup (§9.3): the verification method id must match exactly (no
substring match) and the proof purpose must be one of the method's verification relationships.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import base58
import coincurve

from panacea.oracle.errors import OracleError
from panacea.oracle.vp.errors import VPValidationError

AUTHENTICATION: Final = "authentication"
ASSERTION_METHOD: Final = "assertionMethod"
CAPABILITY_INVOCATION: Final = "capabilityInvocation"
CAPABILITY_DELEGATION: Final = "capabilityDelegation"
_SECP256K1_MULTICODEC: Final = b"\xe7\x01"
_DID_KEY_PURPOSES: Final = frozenset({AUTHENTICATION, ASSERTION_METHOD, CAPABILITY_INVOCATION, CAPABILITY_DELEGATION})


@dataclass(frozen=True, slots=True)
class VerificationMethod:
    """A DID's secp256k1 key (33-byte compressed) and the proof purposes it may sign for."""

    id: str
    controller: str
    public_key: bytes
    purposes: frozenset[str]


class DIDResolver(Protocol):
    """Finds a DID's verification methods; raises VPValidationError when it cannot, or another OracleError (its
    category kept: a chain outage is a 503) when what it reads from is unavailable."""

    async def resolve(self, did: str) -> Sequence[VerificationMethod]: ...


def did_method(did: str) -> str:
    """The method name of a DID (``key`` in ``did:key:…``), or an error saying the text is no DID."""
    parts = did.split(":", 2)
    if len(parts) != 3 or parts[0] != "did" or not parts[1] or not parts[2]:
        raise VPValidationError(f"{did!r} is not a DID")
    return parts[1]


class DIDKeyResolver:
    """did:key for secp256k1 (``zQ3s…``): multibase z, base58btc of 0xe7 0x01 and the compressed key."""

    async def resolve(self, did: str) -> Sequence[VerificationMethod]:
        """The one key a did:key encodes, valid for every proof purpose but key agreement."""
        if did_method(did) != "key":
            raise VPValidationError(f"{did} is not a did:key")
        fingerprint = did.split(":", 2)[2]
        try:
            raw = base58.b58decode(fingerprint[1:]) if fingerprint.startswith("z") else b""
        except ValueError:
            raw = b""
        if len(raw) != 35 or raw[:2] != _SECP256K1_MULTICODEC:
            raise VPValidationError(f"{did} is not a secp256k1 did:key")
        try:
            coincurve.PublicKey(raw[2:])
        except ValueError:
            raise VPValidationError(f"{did} holds an invalid secp256k1 public key") from None
        return (VerificationMethod(f"{did}#{fingerprint}", did, raw[2:], _DID_KEY_PURPOSES),)


class MethodResolver:
    """Dispatches on the DID method; a method without a resolver is a clear error."""

    def __init__(self, resolvers: Mapping[str, DIDResolver] | None = None) -> None:
        self._resolvers: dict[str, DIDResolver] = dict(resolvers or {"key": DIDKeyResolver()})

    async def resolve(self, did: str) -> Sequence[VerificationMethod]:
        """The verification methods of ``did`` from the resolver of its method."""
        method = did_method(did)
        resolver = self._resolvers.get(method)
        if resolver is None:
            raise VPValidationError(
                f"DID method {method!r} is not supported (supported: {', '.join(sorted(self._resolvers))})"
            )
        return await resolver.resolve(did)


async def verification_key(resolver: DIDResolver, method_id: object, purpose: str, controller: str, what: str) -> bytes:
    """The public key of ``method_id``, which must belong to ``controller`` and serve ``purpose``."""
    if not isinstance(method_id, str) or method_id.count("#") != 1:
        raise VPValidationError(f"{what}: verification method must be a DID URL with one '#' fragment")
    did = method_id.split("#", 1)[0]
    if did != controller:
        raise VPValidationError(f"{what}: verification method {method_id} does not belong to {controller}")
    try:
        methods = await resolver.resolve(did)
    except VPValidationError as e:
        raise VPValidationError(f"{what}: {e.message}") from None
    except OracleError as e:
        raise e.wrap(f"{what}: ") from None
    for method in methods:
        if method.id == method_id:
            if purpose not in method.purposes:
                raise VPValidationError(f"{what}: verification method {method_id} is not authorised for {purpose}")
            return method.public_key
    raise VPValidationError(f"{what}: verification method {method_id} is not in the DID document of {did}")
