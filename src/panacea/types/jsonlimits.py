"""Bounds a node's servers put on a JSON body before parsing it: nesting depth (the stdlib parser recurses)
and digits in a number (``int()`` refuses more than 4300), so hostile input is a 400, never a 500."""

from __future__ import annotations

import re

MAX_DEPTH = 100
MAX_NUMBER_DIGITS = 100

# every digit → "0", every other byte → " ": a too long number is then a plain substring search (C speed)
_DIGIT_MAP = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_RUN = b"0" * (MAX_NUMBER_DIGITS + 1)
# strings (skipped whole, escapes included), brackets, and runs of digits outside strings
_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[{]|[\]}]|[0-9]+', re.DOTALL)


class JsonLimitError(ValueError):
    """The body nests deeper or holds a longer number than a node accepts."""


def check_json_limits(body: bytes | str) -> None:
    """Raise JsonLimitError past MAX_DEPTH or MAX_NUMBER_DIGITS; one cheap pass when far from both."""
    data = body.encode() if isinstance(body, str) else body
    if data.count(b"[") + data.count(b"{") <= MAX_DEPTH and _LONG_RUN not in data.translate(_DIGIT_MAP):
        return
    depth = 0
    for token in _TOKEN.finditer(data):
        first = token.group()[:1]
        if first in (b"[", b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                raise JsonLimitError(f"JSON nested deeper than {MAX_DEPTH} levels")
        elif first in (b"]", b"}"):
            depth -= 1
        elif first != b'"' and token.end() - token.start() > MAX_NUMBER_DIGITS:
            raise JsonLimitError(f"JSON number longer than {MAX_NUMBER_DIGITS} digits")
