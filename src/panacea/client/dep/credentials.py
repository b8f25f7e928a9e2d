"""Issuing verifiable credentials and making verifiable presentations: the signing side of what the oracle's
:mod:`panacea.oracle.vp` verifies, for did:key and did:panacea secp256k1 keys.

Two forms, as the oracle accepts them:

- ``ldp``: a JSON document with a Data Integrity ``EcdsaSecp256k1Signature2019`` proof — a detached JWS
  (``{"alg":"ES256K","crit":["b64"],"b64":false}``) over ``b64url(header) + "." + sha256(URDNA2015(proof options
  under the document's @context)) + sha256(URDNA2015(document))``. The canonicalisation is the oracle's own
  (:mod:`panacea.oracle.vp.jsonld`: bundled contexts only, a term no context defines is an error, not dropped).
- ``jwt``: a compact ES256K VC-JWT / VP-JWT (``kid`` = the verification method, ``iss`` = the issuer / holder).

A credential is signed with an ``assertionMethod`` proof by its issuer, a presentation with an ``authentication``
proof by its holder. Given the deal's presentation definition, :func:`make_presentation` writes the
``presentation_submission``: for each input descriptor, the first credential meeting it (checked with the oracle's
own matching, proofs aside), at ``$.verifiableCredential[i]``.

```python
from panacea.client.dep.credentials import did_key, issue_credential, key_method_id, make_presentation

issuer_did = did_key(hospital_key.public_key())
vc = issue_credential({"id": holder_did, "age": 30}, issuer_did, key_method_id(issuer_did), hospital_key,
                      types=["HealthCredential"], context=[HEALTH_CONTEXT], issuance_date="2024-01-01T00:00:00Z")
vp = make_presentation([vc], holder_did, key_method_id(holder_did), holder_key, definition=deal_pd_bytes)
```
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final, Literal

import base58

from panacea.client.dep.errors import DepError
from panacea.crypto.did import METHOD_PREFIX
from panacea.crypto.keys import PrivateKey, PublicKey, as_public
from panacea.crypto.signature import sign_tx_bytes

Form = Literal["ldp", "jwt"]
Context = str | dict[str, Any]
CREDENTIALS_V1: Final = "https://www.w3.org/2018/credentials/v1"
SUITE: Final = "EcdsaSecp256k1Signature2019"
ASSERTION_METHOD: Final = "assertionMethod"
AUTHENTICATION: Final = "authentication"
# The inline context that defines ``presentation_submission`` (a JSON literal), as didkit-made VPs carry it.
SUBMISSION_CONTEXT: Final[dict[str, Any]] = {
    "presentation_submission": {
        "@id": "https://identity.foundation/presentation-exchange/#presentation-submission",
        "@type": "@json",
    }
}
PANACEA_FRAGMENT: Final = "key1"  # panacea.crypto.did.key_document's method
_SECP256K1_MULTICODEC: Final = b"\xe7\x01"
# The detached-JWS header, byte for byte as didkit writes it (the oracle compares the parsed JSON).
_LDP_HEADER: Final = "eyJhbGciOiJFUzI1NksiLCJjcml0IjpbImI2NCJdLCJiNjQiOmZhbHNlfQ"
_FORMATS: Final = {"ldp": "ldp_vc", "jwt": "jwt_vc"}


class CredentialError(DepError):
    """A credential or presentation cannot be made as asked (``step`` is "issue credential" or "make
    presentation"); nothing was signed."""


# --- DIDs and keys ---------------------------------------------------------------------------------------------
def did_key(public_key: PublicKey | bytes) -> str:
    """The did:key of a secp256k1 key: ``did:key:z`` + base58btc(0xe7 0x01 ‖ compressed key) (``zQ3s…``)."""
    return "did:key:z" + base58.b58encode(_SECP256K1_MULTICODEC + as_public(public_key).compressed).decode()


def key_method_id(did: str) -> str:
    """The verification method a key's DID signs with: ``<did>#<fingerprint>`` for did:key, ``<did>#key1`` for
    did:panacea (the method :func:`panacea.crypto.did.key_document` names)."""
    if did.startswith("did:key:"):
        return f"{did}#{did.removeprefix('did:key:')}"
    if did.startswith(METHOD_PREFIX):
        return f"{did}#{PANACEA_FRAGMENT}"
    raise CredentialError("choose key", f"{did!r} is neither a did:key nor a did:panacea DID")


# --- encodings -------------------------------------------------------------------------------------------------
def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _es256k(key: PrivateKey, signing_input: bytes) -> str:
    """R‖S (low S, RFC 6979) over SHA-256 of the signing input, base64url."""
    return _b64(sign_tx_bytes(key, signing_input))


def _moment(value: datetime | str, what: str, step: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise CredentialError(step, f"{what} {value!r} is not an ISO 8601 date-time") from None
    if value.tzinfo is None:
        raise CredentialError(step, f"{what} needs a time zone (e.g. 2025-01-01T00:00:00Z)")
    return value.astimezone(UTC).replace(microsecond=0)


def xsd_datetime(moment: datetime) -> str:
    """``2025-01-01T00:00:00Z``: whole seconds, UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# --- Data Integrity proofs -------------------------------------------------------------------------------------
def _sign_ldp(document: dict[str, Any], key: PrivateKey, method_id: str, purpose: str, created: datetime,
              extra: dict[str, str], step: str) -> dict[str, Any]:
    from panacea.oracle.vp.errors import VPValidationError
    from panacea.oracle.vp.jsonld import canonical_nquads, expand_checked

    options: dict[str, Any] = {"type": SUITE, "created": xsd_datetime(created), "proofPurpose": purpose,
                               "verificationMethod": method_id, **extra}
    try:
        document_hash = hashlib.sha256(canonical_nquads(expand_checked(document, "document"), "document")).digest()
        proof_hash = hashlib.sha256(canonical_nquads(expand_checked(
            {**options, "@context": document["@context"]}, "proof"), "proof")).digest()
    except VPValidationError as e:
        raise CredentialError(step, str(e)) from None
    jws = f"{_LDP_HEADER}..{_es256k(key, _LDP_HEADER.encode() + b'.' + proof_hash + document_hash)}"
    return {**document, "proof": {**options, "jws": jws}}


def _sign_jwt(claims: dict[str, Any], key: PrivateKey, method_id: str) -> str:
    signing_input = f"{_b64(_json({'alg': 'ES256K', 'kid': method_id, 'typ': 'JWT'}))}.{_b64(_json(claims))}"
    return f"{signing_input}.{_es256k(key, signing_input.encode())}"


def _check_signer(did: str, method_id: str, key: PrivateKey, step: str) -> None:
    if not did.startswith("did:") or did.count(":") < 2:
        raise CredentialError(step, f"{did!r} is not a DID")
    if method_id.count("#") != 1 or method_id.split("#", 1)[0] != did:
        raise CredentialError(step, f"verification method {method_id!r} is not a key of {did} (<did>#<fragment>)")
    if did.startswith("did:key:") and did != did_key(key.public_key()):
        raise CredentialError(step, f"the key is not the key of {did}")


# --- credentials -----------------------------------------------------------------------------------------------
def issue_credential(subject: dict[str, Any], issuer_did: str, method_id: str, key: PrivateKey, *,
                     types: Sequence[str] = (), context: Sequence[Context] = (),
                     issuance_date: datetime | str, expiration_date: datetime | str | None = None,
                     credential_id: str | None = None, form: Form = "ldp",
                     created: datetime | None = None) -> dict[str, Any] | str:
    """A credential about ``subject`` (its ``id``: the holder's DID) signed by ``issuer_did``'s ``method_id`` with
    ``key``: a Data Integrity document (``form="ldp"``) or a VC-JWT string (``form="jwt"``).

    ``types`` come after ``VerifiableCredential``; ``context`` after the credentials/v1 context (URLs of bundled
    contexts, or inline context objects that define the subject's terms). ``created`` (the proof's time,
    default now) applies to ``ldp``; a JWT carries ``nbf``/``exp`` from the dates."""
    step = "issue credential"
    _check_signer(issuer_did, method_id, key, step)
    if not isinstance(subject, dict) or not subject:
        raise CredentialError(step, "the credential subject must be a non-empty JSON object")
    issued = _moment(issuance_date, "issuanceDate", step)
    expires = _moment(expiration_date, "expirationDate", step) if expiration_date is not None else None
    if expires is not None and not issued < expires:
        raise CredentialError(step, "expirationDate must come after issuanceDate")
    document: dict[str, Any] = {
        "@context": [CREDENTIALS_V1, *(c for c in context if c != CREDENTIALS_V1)],
        **({"id": credential_id} if credential_id is not None else {}),
        "type": ["VerifiableCredential", *(t for t in types if t != "VerifiableCredential")],
        "issuer": issuer_did,
        "issuanceDate": xsd_datetime(issued),
        **({"expirationDate": xsd_datetime(expires)} if expires is not None else {}),
        "credentialSubject": subject,
    }
    if form == "ldp":
        return _sign_ldp(document, key, method_id, ASSERTION_METHOD, created or _now(), {}, step)
    if form != "jwt":
        raise CredentialError(step, f"unknown form {form!r} (ldp or jwt)")
    claims: dict[str, Any] = {"iss": issuer_did, "nbf": int(issued.timestamp())}
    if expires is not None:
        claims["exp"] = int(expires.timestamp())
    if isinstance(subject.get("id"), str):
        claims["sub"] = subject["id"]
    if credential_id is not None:
        claims["jti"] = credential_id
    claims["vc"] = document
    return _sign_jwt(claims, key, method_id)


def credential_view(credential: dict[str, Any] | str) -> dict[str, Any]:
    """The JSON a presentation definition's field paths read: a Data Integrity credential as it stands, a
    VC-JWT's ``vc`` claim with ``issuer`` from ``iss`` and the subject id from ``sub`` (as the oracle maps it).
    Nothing is verified here."""
    if isinstance(credential, dict):
        return credential
    parts = credential.split(".") if isinstance(credential, str) else []
    try:
        claims = json.loads(_unb64(parts[1])) if len(parts) == 3 else None
    except (ValueError, UnicodeDecodeError):
        claims = None
    vc = claims.get("vc") if isinstance(claims, dict) else None
    if not isinstance(claims, dict) or not isinstance(vc, dict):
        raise CredentialError("make presentation", "a credential is neither a JSON object nor a VC-JWT")
    document = dict(vc)
    if isinstance(claims.get("iss"), str):
        document.setdefault("issuer", claims["iss"])
    subject = document.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(claims.get("sub"), str):
        document["credentialSubject"] = {"id": claims["sub"], **subject}
    return document


def credential_format(credential: dict[str, Any] | str) -> str:
    """``ldp_vc`` (a JSON credential) or ``jwt_vc`` (a VC-JWT), the descriptor map's format."""
    return _FORMATS["ldp" if isinstance(credential, dict) else "jwt"]


# --- presentations ---------------------------------------------------------------------------------------------
def presentation_submission(definition: bytes | dict[str, Any], credentials: Sequence[dict[str, Any] | str], *,
                            submission_id: str | None = None) -> dict[str, Any]:
    """The ``presentation_submission`` answering ``definition``: per input descriptor, in order, the first of
    ``credentials`` that meets its schema and field constraints (the oracle's own checks, proofs aside)."""
    from panacea.oracle.vp.credentials import VerifiedCredential
    from panacea.oracle.vp.definition import PresentationDefinition, compile_definition
    from panacea.oracle.vp.errors import VPValidationError
    from panacea.oracle.vp.matching import match_definition
    from panacea.oracle.vp.presentation import VerifiedPresentation

    step = "make presentation"
    raw = definition if isinstance(definition, bytes) else _json(definition)
    try:
        compiled = compile_definition(raw)
    except VPValidationError as e:
        raise CredentialError(step, f"the presentation definition is not usable: {e}") from None
    views = [credential_view(c) for c in credentials]
    formats = [credential_format(c) for c in credentials]
    embedded: list[object] = list(credentials)
    verified = {id(c): VerifiedCredential(f, str(v.get("issuer", "")), v)
                for c, v, f in zip(embedded, views, formats, strict=True)}
    descriptor_map: list[dict[str, str]] = []
    for descriptor in compiled.descriptors:
        reason = "no credential was given"
        for index, fmt in enumerate(formats):
            entry = {"id": descriptor.id, "format": fmt, "path": f"$.verifiableCredential[{index}]"}
            trial = {"presentation_submission": {"definition_id": compiled.id, "descriptor_map": [entry]},
                     "verifiableCredential": embedded}
            try:
                match_definition(PresentationDefinition(compiled.id, (descriptor,)),
                                 VerifiedPresentation(trial, verified))
            except VPValidationError as e:
                reason = f"credential {index}: {e}"
                continue
            descriptor_map.append(entry)
            break
        else:
            raise CredentialError(step, f"no credential meets input descriptor {descriptor.id!r} ({reason})")
    return {"id": submission_id or f"urn:uuid:{uuid.uuid4()}", "definition_id": compiled.id,
            "descriptor_map": descriptor_map}


def make_presentation(credentials: Sequence[dict[str, Any] | str], holder_did: str, method_id: str, key: PrivateKey,
                      *, definition: bytes | dict[str, Any] | None = None, form: Form = "ldp",
                      challenge: str | None = None, domain: str | None = None, created: datetime | None = None,
                      submission_id: str | None = None) -> dict[str, Any] | str:
    """A presentation of ``credentials`` (JSON documents and/or VC-JWT strings) by ``holder_did``, signed with its
    ``method_id`` and ``key`` for ``authentication``: a Data Integrity document (``form="ldp"``) or a VP-JWT.

    With ``definition`` (the deal's presentation definition, bytes as on chain or a dict) it carries the
    ``presentation_submission`` for it, and fails here when a descriptor has no credential meeting it.
    ``challenge`` / ``domain`` are signed (``nonce`` / ``aud`` in a JWT); the oracle does not compare them."""
    step = "make presentation"
    _check_signer(holder_did, method_id, key, step)
    if not credentials:
        raise CredentialError(step, "a presentation needs at least one credential")
    for index, credential in enumerate(credentials):
        if not isinstance(credential, dict | str):
            raise CredentialError(step, f"credential {index} is neither a JSON object nor a VC-JWT")
    contexts: list[Context] = [CREDENTIALS_V1]
    document: dict[str, Any] = {"@context": contexts, "type": ["VerifiablePresentation"], "holder": holder_did,
                                "verifiableCredential": list(credentials)}
    if definition is not None:
        document["presentation_submission"] = presentation_submission(definition, credentials,
                                                                      submission_id=submission_id)
        contexts.append(SUBMISSION_CONTEXT)
    if form == "ldp":
        extra = {name: value for name, value in (("challenge", challenge), ("domain", domain)) if value is not None}
        return _sign_ldp(document, key, method_id, AUTHENTICATION, created or _now(), extra, step)
    if form != "jwt":
        raise CredentialError(step, f"unknown form {form!r} (ldp or jwt)")
    claims: dict[str, Any] = {"iss": holder_did, "iat": int((created or _now()).timestamp())}
    if challenge is not None:
        claims["nonce"] = challenge
    if domain is not None:
        claims["aud"] = domain
    claims["vp"] = document
    return _sign_jwt(claims, key, method_id)


def load_credential(raw: bytes, what: str) -> dict[str, Any] | str:
    """A credential file's content: a JSON object (Data Integrity), or a VC-JWT (bare, or as a JSON string)."""
    text = raw.decode("utf-8", "replace").strip()
    if text.startswith("ey"):
        return text
    try:
        value = json.loads(text)
    except ValueError:
        raise CredentialError("read credential", f"{what} is neither JSON nor a JWT") from None
    if isinstance(value, dict) or (isinstance(value, str) and value.count(".") == 2):
        return value
    raise CredentialError("read credential", f"{what} is neither a JSON credential object nor a VC-JWT")


def presentation_bytes(presentation: dict[str, Any] | str) -> bytes:
    """What a provider sends the oracle: a Data Integrity VP as JSON, or a VP-JWT enveloped in a JSON object
    (``EnvelopedVerifiablePresentation``, VC Data Model 2.0): the oracle hashes data with JCS, an object or an array
    only."""
    from panacea.oracle.vp.presentation import envelope

    return _json(envelope(presentation) if isinstance(presentation, str) else presentation)
