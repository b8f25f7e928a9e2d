"""x/did error registry (codespace ``did``, did-reference §3 table); codes 11 and 14 are registered but unused."""

from __future__ import annotations

from typing import Final

from panacea.chain.errors import ChainError, register

CODESPACE: Final = "did"

ErrDIDExists = register(CODESPACE, 2, "DID already exists")
ErrInvalidDID = register(CODESPACE, 3, "Invalid DID")
ErrInvalidDIDDocument = register(CODESPACE, 4, "Invalid DID Document")
ErrDIDNotFound = register(CODESPACE, 5, "DID not found")
ErrInvalidSignature = register(CODESPACE, 6, "Invalid signature")
ErrInvalidVerificationMethodID = register(CODESPACE, 7, "Invalid VerificationMethodID")
ErrVerificationMethodIDNotFound = register(CODESPACE, 8, "VerificationMethodID not found")
ErrSigVerificationFailed = register(CODESPACE, 9, "DID signature verification was failed")
ErrInvalidSecp256k1PublicKey = register(CODESPACE, 10, "Invalid Secp256k1 public key")
ErrInvalidNetworkID = register(CODESPACE, 11, "Invalid network ID")
ErrInvalidDIDDocumentWithSeq = register(CODESPACE, 12, "Invalid DIDDocumentWithSeq")
ErrDIDDeactivated = register(CODESPACE, 13, "DID was already deactivated")
ErrInvalidKeyController = register(CODESPACE, 14, "Invalid key controller")
ErrVerificationMethodKeyTypeNotImplemented = register(CODESPACE, 15, "Verification not implemented with key type")

# Go's unregistered errors (the SDK's bech32 parse error in ValidateBasic) surface as "undefined", code 1.
UNDEFINED: Final = "undefined"
INTERNAL_CODE: Final = 1


def plain(text: str) -> ChainError:
    return ChainError(UNDEFINED, INTERNAL_CODE, text)
