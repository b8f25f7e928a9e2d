"""Protobuf JSON the Cosmos way: original field names, defaults emitted, u64 as strings, sdk.Dec as
the 18-digit decimal string (its wire form is the scaled integer, in a string or bytes field)."""

from __future__ import annotations

import base64
from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from panacea.types.dec import dec_from_wire, dec_to_json, dec_to_wire, parse_dec

M = TypeVar("M", bound=Message)

# (message full name) → names of its sdk.Dec fields (gogoproto customtype Dec upstream).
DEC_FIELDS: dict[str, frozenset[str]] = {
    "panacea.oracle.v2.Oracle": frozenset(
        {"oracle_commission_rate", "oracle_commission_max_rate", "oracle_commission_max_change_rate"}
    ),
    "panacea.oracle.v2.OracleRegistration": frozenset(
        {"oracle_commission_rate", "oracle_commission_max_rate", "oracle_commission_max_change_rate"}
    ),
    "panacea.oracle.v2.MsgRegisterOracle": frozenset(
        {"oracle_commission_rate", "oracle_commission_max_rate", "oracle_commission_max_change_rate"}
    ),
    "panacea.oracle.v2.MsgUpdateOracleInfo": frozenset({"oracle_commission_rate"}),
    "cosmos.base.v1beta1.DecCoin": frozenset({"amount"}),
    "cosmos.base.v1beta1.DecProto": frozenset({"dec"}),
    "cosmos.gov.v1beta1.TallyParams": frozenset({"quorum", "threshold", "veto_threshold"}),
    "cosmos.gov.v1beta1.WeightedVoteOption": frozenset({"weight"}),
}


def to_json(msg: Message) -> dict[str, Any]:
    out: dict[str, Any] = json_format.MessageToDict(
        msg, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )
    _walk(msg.DESCRIPTOR, out, _dec_out)
    return out


def from_json(data: dict[str, Any], cls: type[M]) -> M:
    """Parse Cosmos-style JSON (either field-name style accepted) into ``cls``; ValueError on bad input."""
    import copy

    data = copy.deepcopy(data)
    _walk(cls.DESCRIPTOR, data, _dec_in)
    msg = cls()
    try:
        json_format.ParseDict(data, msg)
    except json_format.ParseError as e:
        raise ValueError(str(e).splitlines()[0]) from None
    return msg


# Dec fields that are nullable upstream: absent stays absent (JSON null) instead of reading as zero.
NULLABLE_DEC: frozenset[tuple[str, str]] = frozenset(
    {("panacea.oracle.v2.MsgUpdateOracleInfo", "oracle_commission_rate")}
)


def _dec_out(field: FieldDescriptor, value: Any) -> Any:
    if value is None:
        return value
    if value == "":
        owner = field.containing_type.full_name if field.containing_type is not None else ""
        nullable = (owner, field.name) in NULLABLE_DEC
        return None if nullable else "0.000000000000000000"
    wire = base64.b64decode(value).decode() if field.type == FieldDescriptor.TYPE_BYTES else value
    return dec_to_json(dec_from_wire(wire)) if wire else wire


def _dec_in(field: FieldDescriptor, value: Any) -> Any:
    if not isinstance(value, str) or value == "":
        return value
    wire = dec_to_wire(parse_dec(value))
    return base64.b64encode(wire.encode()).decode() if field.type == FieldDescriptor.TYPE_BYTES else wire


def _walk(desc: Any, obj: Any, conv: Any) -> None:
    if not isinstance(obj, dict):
        return
    decs = DEC_FIELDS.get(desc.full_name, frozenset())
    for f in desc.fields:
        key = f.name if f.name in obj else f.json_name if f.json_name in obj else None
        if key is None:
            continue
        val = obj[key]
        repeated = f.is_repeated
        if f.name in decs:
            obj[key] = [conv(f, v) for v in val] if repeated and isinstance(val, list) else conv(f, val)
        elif f.message_type is not None and not f.message_type.GetOptions().map_entry:
            if f.message_type.full_name == "google.protobuf.Any":
                items = val if repeated and isinstance(val, list) else [val]
                for item in items:
                    if isinstance(item, dict) and isinstance(item.get("@type"), str):
                        from google.protobuf import symbol_database

                        try:
                            inner = symbol_database.Default().GetSymbol(item["@type"].lstrip("/"))
                        except KeyError:
                            continue
                        _walk(inner.DESCRIPTOR, item, conv)
                continue
            items = val if repeated and isinstance(val, list) else [val]
            for item in items:
                _walk(f.message_type, item, conv)
