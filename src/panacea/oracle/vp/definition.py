"""DIF Presentation Exchange v2 presentation definitions, the subset a deal may carry, compiled once.

Supported: ``id``, ``input_descriptors[].id``, the v1 ``schema`` list (``uri``, ``required``: the chain
requires it on every descriptor, as the reference's PD v1 schema does), ``constraints.fields[]`` (``path``
list, ``filter``, ``optional``, ``id``) and ``limit_disclosure`` other than ``required``. Anything that would loosen or
change matching without our enforcing it (``submission_requirements``, other constraints) is rejected.
Compiled definitions are memoised by their exact bytes (immutable), at most ``_COMPILED_MAX``, emptied
when full: a deal's definition is compiled once, not per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import jsonpath
import jsonschema_rs
import orjson

from panacea.oracle.vp.errors import VPValidationError

_COMPILED_MAX: Final = 64
_DESCRIPTOR_KEYS: Final = frozenset({"id", "name", "purpose", "format", "group", "constraints", "schema"})
_CONSTRAINT_KEYS: Final = frozenset({"fields", "limit_disclosure"})
_FIELD_KEYS: Final = frozenset({"id", "path", "filter", "optional", "purpose", "name"})


@dataclass(frozen=True, slots=True)
class Field:
    """One constraint: the first of ``paths`` that finds a value wins; the value must pass ``filter``."""

    label: str
    paths: tuple[jsonpath.JSONPath | jsonpath.CompoundJSONPath, ...]
    filter: jsonschema_rs.Validator | None
    optional: bool


@dataclass(frozen=True, slots=True)
class InputDescriptor:
    """A credential the presentation must submit, with the fields it must hold."""

    id: str
    fields: tuple[Field, ...]
    schemas: tuple[tuple[str, bool], ...] = ()  # PE v1 ``schema``: (uri, required)


@dataclass(frozen=True, slots=True)
class PresentationDefinition:
    """A compiled definition: its id and input descriptors in order."""

    id: str
    descriptors: tuple[InputDescriptor, ...]


def compile_path(path: object, what: str) -> jsonpath.JSONPath | jsonpath.CompoundJSONPath:
    """A JSONPath compiled by python-jsonpath, or an error quoting it."""
    if not isinstance(path, str) or not path:
        raise VPValidationError(f"{what}: path must be a non-empty JSONPath string")
    try:
        return jsonpath.compile(path)
    except jsonpath.JSONPathError:
        raise VPValidationError(f"{what}: invalid JSONPath {path!r}") from None


def _filter(schema: object, what: str) -> jsonschema_rs.Validator | None:
    if schema is None:
        return None
    if not isinstance(schema, dict | bool):
        raise VPValidationError(f"{what}: filter must be a JSON Schema object")
    try:
        return jsonschema_rs.validator_for(schema, offline=True)
    except (jsonschema_rs.ValidationError, ValueError):
        raise VPValidationError(f"{what}: filter is not a valid JSON Schema") from None


def _unsupported(value: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    extra = sorted(set(value) - allowed)
    if extra:
        raise VPValidationError(f"{what}: {extra[0]!r} is not supported")


def _field(raw: object, descriptor: str, index: int) -> Field:
    what = f"input descriptor {descriptor!r} field {index}"
    if not isinstance(raw, dict):
        raise VPValidationError(f"{what}: must be a JSON object")
    _unsupported(raw, _FIELD_KEYS, what)
    label = raw.get("id")
    if isinstance(label, str) and label:
        what = f"input descriptor {descriptor!r} field {label!r}"
    paths = raw.get("path")
    if not isinstance(paths, list) or not paths:
        raise VPValidationError(f"{what}: path must be a non-empty list")
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        raise VPValidationError(f"{what}: optional must be true or false")
    compiled = tuple(compile_path(path, what) for path in paths)
    return Field(what, compiled, _filter(raw.get("filter"), what), optional)


def _schemas(raw: object, what: str) -> tuple[tuple[str, bool], ...]:
    """PE v1 ``schema``: a list of ``{"uri": str, "required": bool?}``."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise VPValidationError(f"{what}: schema must be a list")
    out: list[tuple[str, bool]] = []
    for entry in raw:
        if not isinstance(entry, dict) or not isinstance(entry.get("uri"), str) or not entry["uri"]:
            raise VPValidationError(f"{what}: every schema entry needs a non-empty uri")
        required = entry.get("required", False)
        if not isinstance(required, bool):
            raise VPValidationError(f"{what}: schema required must be true or false")
        out.append((entry["uri"], required))
    return tuple(out)


def _descriptor(raw: object, index: int) -> InputDescriptor:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"]:
        raise VPValidationError(f"input descriptor {index} must be a JSON object with a non-empty id")
    name = raw["id"]
    what = f"input descriptor {name!r}"
    _unsupported(raw, _DESCRIPTOR_KEYS, what)
    constraints = raw.get("constraints", {})
    if not isinstance(constraints, dict):
        raise VPValidationError(f"{what}: constraints must be a JSON object")
    _unsupported(constraints, _CONSTRAINT_KEYS, what)
    if constraints.get("limit_disclosure") == "required":
        raise VPValidationError(f"{what}: limit_disclosure 'required' is not supported (no selective disclosure)")
    fields = constraints.get("fields", [])
    if not isinstance(fields, list):
        raise VPValidationError(f"{what}: constraints.fields must be a list")
    return InputDescriptor(name, tuple(_field(field, name, i) for i, field in enumerate(fields)),
                           _schemas(raw.get("schema"), what))


def _compile(raw: bytes) -> PresentationDefinition:
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise VPValidationError("presentation definition is not valid JSON") from None
    if isinstance(document, dict) and isinstance(document.get("presentation_definition"), dict):
        document = document["presentation_definition"]  # the DIF envelope form
    if not isinstance(document, dict) or not isinstance(document.get("id"), str) or not document["id"]:
        raise VPValidationError("presentation definition must be a JSON object with a non-empty id")
    if "submission_requirements" in document:
        raise VPValidationError("presentation definition: submission_requirements are not supported")
    descriptors = document.get("input_descriptors")
    if not isinstance(descriptors, list) or not descriptors:
        raise VPValidationError("presentation definition: input_descriptors must be a non-empty list")
    compiled = tuple(_descriptor(raw_descriptor, i) for i, raw_descriptor in enumerate(descriptors))
    if len({descriptor.id for descriptor in compiled}) != len(compiled):
        raise VPValidationError("presentation definition: input descriptor ids must be unique")
    return PresentationDefinition(document["id"], compiled)


_compiled: Final[dict[bytes, PresentationDefinition]] = {}


def compile_definition(raw: bytes) -> PresentationDefinition:
    """The compiled definition of a deal's ``presentation_definition`` bytes (memoised)."""
    definition = _compiled.get(raw)
    if definition is None:
        definition = _compile(raw)
        if len(_compiled) >= _COMPILED_MAX:
            _compiled.clear()
        _compiled[raw] = definition
    return definition
