"""Matching a verified presentation against a compiled definition, constraints enforced.

Departure (oracle-reference §2.5 step 5): the reference only checks that the submission's descriptors
resolve to credentials (aries presexch skips constraints, issue #2108); here every input descriptor
must be answered by a verified credential whose fields satisfy the descriptor's constraints. A field's
first path that finds a value wins; the field holds if one of that path's values passes its filter.
"""

from __future__ import annotations

from typing import Any, Final

import jsonpath
import jsonschema_rs

from panacea.oracle.vp.credentials import VerifiedCredential
from panacea.oracle.vp.definition import Field, InputDescriptor, PresentationDefinition, compile_path
from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.presentation import VerifiedPresentation

# Submission paths memoised by their text (immutable), bounded and emptied when full.
_PATHS_MAX: Final = 1024
_paths: Final[dict[str, jsonpath.JSONPath | jsonpath.CompoundJSONPath]] = {}


def _submission_path(path: object, what: str) -> jsonpath.JSONPath | jsonpath.CompoundJSONPath:
    compiled = _paths.get(path) if isinstance(path, str) else None
    if compiled is None:
        compiled = compile_path(path, what)
        if len(_paths) >= _PATHS_MAX:
            _paths.clear()
        _paths[str(path)] = compiled
    return compiled


def _entries(presentation: VerifiedPresentation, definition: PresentationDefinition) -> dict[str, list[dict[str, Any]]]:
    submission = presentation.document.get("presentation_submission")
    if not isinstance(submission, dict):
        raise VPValidationError("presentation has no presentation_submission")
    if submission.get("definition_id") != definition.id:
        raise VPValidationError(
            f"presentation_submission answers definition {submission.get('definition_id')!r}, not {definition.id!r}"
        )
    descriptor_map = submission.get("descriptor_map")
    if not isinstance(descriptor_map, list):
        raise VPValidationError("presentation_submission: descriptor_map must be a list")
    known = {descriptor.id for descriptor in definition.descriptors}
    entries: dict[str, list[dict[str, Any]]] = {}
    for index, entry in enumerate(descriptor_map):
        if not isinstance(entry, dict) or entry.get("id") not in known:
            raise VPValidationError(f"descriptor_map entry {index} does not name an input descriptor of the definition")
        if "path_nested" in entry:
            raise VPValidationError(f"descriptor_map entry {index}: path_nested is not supported")
        entries.setdefault(entry["id"], []).append(entry)
    return entries


def _submitted(entry: dict[str, Any], presentation: VerifiedPresentation) -> VerifiedCredential:
    what = f"descriptor_map entry {entry['id']!r}"
    found = _submission_path(entry.get("path"), what).findall(presentation.document)
    credential = presentation.credentials.get(id(found[0])) if len(found) == 1 else None
    if credential is None:
        raise VPValidationError(
            f"{what}: path {entry.get('path')!r} does not select one credential of the presentation"
        )
    if entry.get("format") != credential.format:
        raise VPValidationError(
            f"{what}: format {entry.get('format')!r} does not match the credential ({credential.format})"
        )
    return credential


def _filter_error(validator: jsonschema_rs.Validator, values: list[object]) -> str | None:
    for value in values:
        try:
            validator.validate(value)
        except jsonschema_rs.ValidationError as e:
            error = " ".join(e.message.split())
            continue
        return None
    return error


def _check_field(field: Field, document: dict[str, Any]) -> None:
    for path in field.paths:
        values = path.findall(document)
        if values:
            break
    else:
        if field.optional:
            return
        raise VPValidationError(f"{field.label}: the submitted credential has no value at its path")
    error = _filter_error(field.filter, values) if field.filter is not None else None
    if error is not None:
        raise VPValidationError(f"{field.label}: value does not satisfy the filter ({error})")


def _type_ids(document: dict[str, Any]) -> set[str]:
    """What a PE v1 schema ``uri`` may name for a credential: its types, each as ``<context>#<type>`` /
    ``<context>/<type>`` and as the IRI an inline context maps it to, and its ``credentialSchema`` ids."""
    credential = document.get("vc", document) if isinstance(document.get("vc"), dict) else document
    types = credential.get("type", [])
    names = [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
    context = credential.get("@context", [])
    contexts = context if isinstance(context, list) else [context]
    ids = set(names)
    for c in contexts:
        for name in names:
            if isinstance(c, str):
                ids.update((f"{c}#{name}", f"{c}/{name}"))
            elif isinstance(c, dict) and isinstance(c.get(name), str):
                ids.add(c[name])
    schema = credential.get("credentialSchema", [])
    for entry in schema if isinstance(schema, list) else [schema]:
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            ids.add(entry["id"])
    return ids


def _check_schemas(descriptor: InputDescriptor, document: dict[str, Any]) -> None:
    """PE v1: every required schema uri matches the credential, or, with none required, at least one does."""
    if not descriptor.schemas:
        return
    ids = _type_ids(document)
    required = [uri for uri, is_required in descriptor.schemas if is_required]
    missing = next((uri for uri in required if uri not in ids), None)
    if missing is not None:
        raise VPValidationError(f"input descriptor {descriptor.id!r}: the submitted credential is not of the "
                                f"required schema {missing!r}")
    if not required and not any(uri in ids for uri, _ in descriptor.schemas):
        raise VPValidationError(f"input descriptor {descriptor.id!r}: the submitted credential matches none of its "
                                "schema URIs")


def _check_descriptor(
    descriptor: InputDescriptor, entries: list[dict[str, Any]], presentation: VerifiedPresentation
) -> None:
    if not entries:
        raise VPValidationError(f"input descriptor {descriptor.id!r} has no matching credential in the presentation")
    for entry in entries:
        document = _submitted(entry, presentation).document
        _check_schemas(descriptor, document)
        for field in descriptor.fields:
            _check_field(field, document)


def match_definition(definition: PresentationDefinition, presentation: VerifiedPresentation) -> None:
    """Every input descriptor answered by a submitted, verified credential meeting its constraints."""
    entries = _entries(presentation, definition)
    for descriptor in definition.descriptors:
        _check_descriptor(descriptor, entries.get(descriptor.id, []), presentation)
