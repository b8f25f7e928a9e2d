"""Verifiable presentation validation for deals with a presentation definition (oracle-reference §2.5, step 10).

Proofs (Data Integrity EcdsaSecp256k1Signature2019 and ES256K JWT) are verified for the presentation and
every embedded credential, DIDs are resolved behind :class:`DIDResolver`, and the DIF presentation
definition is matched with its input-descriptor constraints enforced (Departure: the reference skips them).
"""

from panacea.oracle.vp.dids import DIDKeyResolver, DIDResolver, MethodResolver, VerificationMethod
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.panacea_did import PanaceaDIDResolver
from panacea.oracle.vp.validator import DefaultPresentationValidator, PresentationValidator

__all__ = [
    "DIDKeyResolver",
    "DIDResolver",
    "DefaultPresentationValidator",
    "MethodResolver",
    "PanaceaDIDResolver",
    "PresentationValidator",
    "VPValidationError",
    "VerificationMethod",
]
