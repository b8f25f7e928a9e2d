"""RFC 8785 canonicalization, as strict as the cyberphone Go canonicalizer (oracle-reference §2.3)."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from panacea.crypto.errors import JSONCanonicalizationError

_TOP_LEVEL_MESSAGE = "JSON canonicalization requires an object or array at the top level"
# The C string encoder escapes exactly the RFC 8785 set (\" \\ \b \f \n \r \t, other controls as
# \u00xx lower-case) and leaves everything else as-is; lone surrogates fail at the final UTF-8 encode.
_encode_str = json.encoder.encode_basestring
_SAFE_INTEGER = 2.0**53


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise JSONCanonicalizationError(f"Duplicate key: {key}")
        obj[key] = value
    return obj


def _number(token: str) -> float:
    # Go parses every JSON number with strconv.ParseFloat(…, 64): 1.0 → 1, 2^53+1 → float64.
    value = float(token)
    if math.isinf(value):
        raise JSONCanonicalizationError(f"number out of range: {token}")
    return value


def _constant(token: str) -> float:
    raise JSONCanonicalizationError(f"invalid JSON number: {token}")


def canonicalize(raw: bytes | str) -> bytes:
    """Canonical UTF-8 bytes of a JSON object or array."""
    if isinstance(raw, bytes | bytearray | memoryview):
        try:
            text = bytes(raw).decode("utf-8")
        except UnicodeDecodeError as e:
            raise JSONCanonicalizationError(f"invalid UTF-8 at byte {e.start}") from None
    else:
        text = raw
    try:
        value = json.loads(
            text,
            object_pairs_hook=_object,
            parse_float=_number,
            parse_int=_number,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as e:
        raise JSONCanonicalizationError(f"invalid JSON: {e}") from None
    except RecursionError:
        raise JSONCanonicalizationError("invalid JSON: nesting too deep") from None
    if not isinstance(value, dict | list):
        raise JSONCanonicalizationError(_TOP_LEVEL_MESSAGE)
    out: list[str] = []
    try:
        _serialize(value, out)
        return "".join(out).encode("utf-8")
    except UnicodeError:
        raise JSONCanonicalizationError("invalid JSON: unpaired surrogate in string") from None
    except RecursionError:
        raise JSONCanonicalizationError("invalid JSON: nesting too deep") from None


def es6_number(f: float) -> str:
    """ECMAScript Number::toString of a finite double (RFC 8785 §3.2.2.3); repr gives the shortest digits."""
    if f == 0:
        return "0"
    if f.is_integer() and -_SAFE_INTEGER < f < _SAFE_INTEGER:
        return str(int(f))
    sign = "-" if f < 0 else ""
    mantissa, _, exp = repr(abs(f)).partition("e")
    whole, _, frac = mantissa.partition(".")
    raw = whole + frac
    stripped = raw.lstrip("0")
    n = len(whole) + (int(exp) if exp else 0) - (len(raw) - len(stripped))  # value = 0.digits × 10^n
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return f"{sign}{digits[:n]}.{digits[n:]}"
    if -6 < n <= 0:
        return f"{sign}0.{'0' * -n}{digits}"
    e = n - 1
    mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _utf16_key(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def _serialize(value: Any, out: list[str]) -> None:
    kind = type(value)
    if kind is str:
        out.append(_encode_str(value))
    elif kind is float:
        out.append(es6_number(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        sep = "{"
        for key in sorted(value, key=_utf16_key):  # RFC 8785 orders keys by UTF-16 code units
            out.append(sep)
            out.append(_encode_str(key))
            out.append(":")
            _serialize(value[key], out)
            sep = ","
        out.append("}")
    elif kind is list:
        if not value:
            out.append("[]")
            return
        sep = "["
        for item in value:
            out.append(sep)
            _serialize(item, out)
            sep = ","
        out.append("]")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    else:
        out.append("null")


def data_hash(raw: bytes | str) -> str:
    """Lower-case hex SHA-256 of the canonical form: the DEP ``data_hash``."""
    return hashlib.sha256(canonicalize(raw)).hexdigest()
