import re

import pytest

from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.jsonld import canonical_nquads, expand_checked

CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"


def test_canonical_nquads_with_the_bundled_context() -> None:
    document = {"@context": CREDENTIALS_V1, "id": "urn:a", "type": "VerifiableCredential"}
    assert canonical_nquads(expand_checked(document, "d"), "d") == (
        b"<urn:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        b"<https://www.w3.org/2018/credentials#VerifiableCredential> .\n"
    )


def test_contexts_are_never_fetched() -> None:
    document = {"@context": ["https://example.com/ctx.json"], "id": "urn:a"}
    with pytest.raises(VPValidationError) as e:
        expand_checked(document, "credential 0")
    assert str(e.value) == (
        "credential 0: JSON-LD context https://example.com/ctx.json is not bundled (contexts are never fetched)"
    )


def test_undefined_terms_and_types_are_rejected() -> None:
    with pytest.raises(VPValidationError, match="^" + re.escape("d: term 'age' is not defined by its @context") + "$"):
        expand_checked({"@context": CREDENTIALS_V1, "id": "urn:a", "age": 3}, "d")
    with pytest.raises(
        VPValidationError, match="^" + re.escape("d: term 'Health' is not defined by its @context") + "$"
    ):
        expand_checked({"@context": CREDENTIALS_V1, "id": "urn:a", "type": "Health"}, "d")


def test_invalid_json_ld() -> None:
    with pytest.raises(VPValidationError, match="^" + re.escape("d: invalid JSON-LD") + "$"):
        expand_checked({"@context": 5, "id": "urn:a"}, "d")
