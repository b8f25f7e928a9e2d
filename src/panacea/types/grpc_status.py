"""A gRPC status in an ABCI query's log, the way the Cosmos SDK writes it: ``rpc error: code = <Code> desc =
<status message>: <sdk error>``.

The SDK's baseapp answers a failed gRPC query over ABCI with the handler's status wrapped in the sdk error of
its class (``gRPCErrorToSDKError``: NotFound → "key not found", InvalidArgument → "invalid request", …), and
clients read that text: cosmjs's ``getAccount`` returns null only for a log matching ``rpc error: code =
NotFound``. The chain writes these logs; the REST API and the client read the status message back.
"""

from __future__ import annotations

import re
from typing import Final

UNKNOWN: Final = 2
INVALID_ARGUMENT: Final = 3
NOT_FOUND: Final = 5
FAILED_PRECONDITION: Final = 9
UNIMPLEMENTED: Final = 12
INTERNAL: Final = 13
UNAVAILABLE: Final = 14
UNAUTHENTICATED: Final = 16

NAMES: Final = {UNKNOWN: "Unknown", INVALID_ARGUMENT: "InvalidArgument", NOT_FOUND: "NotFound",
                FAILED_PRECONDITION: "FailedPrecondition", UNIMPLEMENTED: "Unimplemented", INTERNAL: "Internal",
                UNAVAILABLE: "Unavailable", UNAUTHENTICATED: "Unauthenticated"}
_CODES: Final = {name: code for code, name in NAMES.items()}
# The sdk error baseapp wraps each status class in, with its registered (codespace "sdk") code.
_WRAPPERS: Final = {NOT_FOUND: (22, "key not found"), INVALID_ARGUMENT: (18, "invalid request"),
                    FAILED_PRECONDITION: (18, "invalid request"), UNAUTHENTICATED: (4, "unauthorized")}
_DEFAULT_WRAPPER: Final = (6, "unknown request")
_LOG: Final = re.compile(r"rpc error: code = (\w+) desc = (.*): (key not found|invalid request|unauthorized|"
                         r"unknown request)", re.DOTALL)
_SIMULATE_GAS: Final = re.compile(r"(.*) With gas wanted: '\d+' and gas used: '\d+' ", re.DOTALL)


# The SDK's own "not found" errors stand for a status message: the log drops their registered text, which a
# reader puts back (the chain's own log of the error is what the REST API and the client show).
_GENERIC: Final = {("sdk", 22): "key not found", ("sdk", 38): "not found"}


def status_message(codespace: str, code: int, log: str) -> str:
    """The status message of a query error with the chain's (codespace, code, log)."""
    generic = _GENERIC.get((codespace, code))
    return log.removesuffix(": " + generic) if generic is not None else log


def original_log(codespace: str, code: int, message: str) -> str:
    """The chain's log of a query error back from its status message (inverse of :func:`status_message`)."""
    generic = _GENERIC.get((codespace, code))
    return f"{message}: {generic}" if generic is not None else message


def status_log(code: int, message: str) -> str:
    """The ABCI log of a query that failed with gRPC status ``code`` and ``message``."""
    return f"rpc error: code = {NAMES.get(code, 'Unknown')} desc = {message}: {wrapper(code)[1]}"


def wrapper(code: int) -> tuple[int, str]:
    """The sdk error (code, message) baseapp wraps a status of class ``code`` in."""
    return _WRAPPERS.get(code, _DEFAULT_WRAPPER)


def simulate_message(log: str, gas_wanted: int, gas_used: int) -> str:
    """The status message of a failed Simulate, as the SDK's tx service writes it."""
    return f"{log} With gas wanted: '{gas_wanted}' and gas used: '{gas_used}' "


def parse_status_log(log: str) -> tuple[int, str] | None:
    """(gRPC code, status message) of a log in the SDK's form; None for any other text. A Simulate's message
    loses its gas suffix (the tx's own log is what a caller shows)."""
    m = _LOG.fullmatch(log)
    if m is None or m.group(1) not in _CODES:
        return None
    message = m.group(2)
    gas = _SIMULATE_GAS.fullmatch(message)
    return _CODES[m.group(1)], gas.group(1) if gas else message
