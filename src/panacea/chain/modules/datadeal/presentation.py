"""Structural checks of a DIF Presentation Definition (v1), as CreateDeal requires (spec §2.4 step 2).

The reference decodes into aries-framework-go v0.1.8 ``presexch.PresentationDefinition``, re-encodes it
with ``omitempty`` tags and validates that against the PD v1 JSON schema. Re-encoding drops empty values,
so a required field must be present *and* non-empty. Only the parts of the schema that name required
fields are checked here: ``id`` and ``input_descriptors``; per descriptor ``id`` and ``schema``; per
schema entry ``uri`` (no network, no schema fetch).
"""

from __future__ import annotations

import json
from typing import Any


class InvalidPresentationDefinition(ValueError):
    pass


def validate_presentation_definition(raw: bytes) -> None:
    """Raise InvalidPresentationDefinition when ``raw`` is not a structurally valid PD."""
    try:
        pd = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InvalidPresentationDefinition(f"failed to unmarshal presentation definition: {e}") from None
    obj = _object(pd, "presentation_definition")
    _required_string(obj, "id", "presentation_definition")
    _optional_strings(obj, ("name", "purpose", "locale"), "presentation_definition")
    descriptors = _required_array(obj, "input_descriptors", "presentation_definition")
    for i, d in enumerate(descriptors):
        where = f"input_descriptors.{i}"
        descriptor = _object(d, where)
        _required_string(descriptor, "id", where)
        _optional_strings(descriptor, ("name", "purpose"), where)
        for j, s in enumerate(_required_array(descriptor, "schema", where)):
            entry = _object(s, f"{where}.schema.{j}")
            _required_string(entry, "uri", f"{where}.schema.{j}")
            if "required" in entry and not isinstance(entry["required"], bool):
                raise InvalidPresentationDefinition(f"{where}.schema.{j}.required: Invalid type. Expected: boolean")


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidPresentationDefinition(f"{where}: Invalid type. Expected: object")
    return value


def _required_string(obj: dict[str, Any], key: str, where: str) -> None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidPresentationDefinition(f"{where}.{key}: Invalid type. Expected: string")
    if not value:
        raise InvalidPresentationDefinition(f"{where}: {key} is required")


def _optional_strings(obj: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    for key in keys:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise InvalidPresentationDefinition(f"{where}.{key}: Invalid type. Expected: string")


def _required_array(obj: dict[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if value is not None and not isinstance(value, list):
        raise InvalidPresentationDefinition(f"{where}.{key}: Invalid type. Expected: array")
    if not value:
        raise InvalidPresentationDefinition(f"{where}: {key} is required")
    return value
