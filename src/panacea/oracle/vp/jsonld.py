"""URDNA2015 canonical N-Quads with bundled contexts only: a context outside the bundle is an error, never a fetch.

The contexts are pinned by SHA-256 (a changed file would change what signatures cover). Resolved contexts
are memoised in one process-wide table keyed by the context's URL or canonical JSON text (immutable
strings), bounded to ``_RESOLVED_MAX`` entries and emptied when full; PyLD treats the values as read-only.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from typing import Any, Final

from pyld import jsonld
from pyld.context_resolver import ContextResolver

from panacea.oracle.vp.errors import VPValidationError

_BUNDLED: Final = {
    "https://www.w3.org/2018/credentials/v1": (
        "credentials-v1.json",
        "00d7dd6d3ad8b920e3e550dd3a3d9090bffcac84cdbf943da6924b3e0a5c8bb8",
    ),
    "https://w3id.org/security/v1": (
        "security-v1.json",
        "e2d146cd556f6fa5f14996c6f1749667d5a14073fa30f0643990068e2c0b1bac",
    ),
    "https://w3id.org/security/v2": (
        "security-v2.json",
        "4cb186bc29c08af6e40c58178c22dd84d542f2871a063afed6e648b47abc3cf6",
    ),
}
# Appended to a document's contexts to reveal terms that JSON-LD would silently drop (unsigned data).
_UNDEFINED_VOCAB: Final = "urn:panacea:vp:undefined-term:"
_RESOLVED_MAX: Final = 256


def _load_bundled() -> dict[str, Any]:
    documents: dict[str, Any] = {}
    folder = resources.files("panacea.oracle.vp").joinpath("contexts")
    for url, (name, sha256) in _BUNDLED.items():
        raw = folder.joinpath(name).read_bytes()
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise RuntimeError(f"bundled JSON-LD context {name} does not match its pinned SHA-256")
        documents[url] = json.loads(raw)
    return documents


_DOCUMENTS: Final = _load_bundled()


class _BoundedTable(dict[str, Any]):
    """PyLD's shared resolved-context cache, emptied when full (inline contexts are attacker-chosen)."""

    def __setitem__(self, key: str, value: Any) -> None:
        if len(self) >= _RESOLVED_MAX:
            self.clear()
        super().__setitem__(key, value)


_RESOLVED: Final = _BoundedTable()


class _ContextNotBundled(Exception):
    """Carries the refused URL through PyLD's own error wrapping."""


def _load_document(url: str, options: dict[str, Any]) -> dict[str, Any]:
    document = _DOCUMENTS.get(url)
    if document is None:
        raise _ContextNotBundled(url)
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _options() -> dict[str, Any]:
    return {
        "documentLoader": _load_document,
        "contextResolver": ContextResolver(_RESOLVED, _load_document),
    }


def _refused_url(error: BaseException) -> str | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, _ContextNotBundled):
            return str(seen)
        cause = getattr(seen, "cause", None)
        seen = cause if isinstance(cause, BaseException) else seen.__cause__
    return None


def _run(what: str, call: Any) -> Any:
    try:
        return call()
    except (jsonld.JsonLdError, _ContextNotBundled, TypeError, ValueError, KeyError, RecursionError) as e:
        url = _refused_url(e)
        if url is not None:
            raise VPValidationError(
                f"{what}: JSON-LD context {url} is not bundled (contexts are never fetched)"
            ) from None
        raise VPValidationError(f"{what}: invalid JSON-LD") from None


def _with_undefined_vocab(document: dict[str, Any]) -> dict[str, Any]:
    context = document.get("@context")
    contexts = context if isinstance(context, list) else [context]
    return {**document, "@context": [*contexts, {"@vocab": _UNDEFINED_VOCAB}]}


def expand_checked(document: dict[str, Any], what: str) -> Any:
    """Expanded JSON-LD, rejecting a property or type no context defines (JSON-LD would drop it unsigned).

    The sentinel ``@vocab`` only changes terms that would otherwise be dropped, so an expansion free of it
    is the document's ordinary expansion and goes straight to canonicalization (one expansion, not two).
    """
    expanded = _run(what, lambda: jsonld.expand(_with_undefined_vocab(document), _options()))
    text = json.dumps(expanded)
    start = text.find(_UNDEFINED_VOCAB)
    if start >= 0:
        end = text.find('"', start)
        term = text[start + len(_UNDEFINED_VOCAB) : end]
        raise VPValidationError(f"{what}: term {term!r} is not defined by its @context")
    return expanded


def canonical_nquads(expanded: Any, what: str) -> bytes:
    """URDNA2015 N-Quads of an expanded document, as the Data Integrity signing input hashes them."""
    options = {**_options(), "algorithm": "URDNA2015", "format": "application/n-quads"}
    nquads = _run(what, lambda: jsonld.normalize(expanded, options))
    if not isinstance(nquads, str):
        raise VPValidationError(f"{what}: invalid JSON-LD")
    return nquads.encode()
