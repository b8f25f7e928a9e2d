"""Registered errors in the Cosmos style: (codespace, code, message), wrapped as ``"<detail>: <message>"``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from panacea.types.grpc_status import INVALID_ARGUMENT, NOT_FOUND, UNAUTHENTICATED, UNKNOWN, status_log, status_message


class ChainError(Exception):
    """An error a tx or query returns; ``log`` is what clients see (Cosmos wrapping applied)."""

    def __init__(self, codespace: str, code: int, log: str) -> None:
        super().__init__(log)
        self.codespace = codespace
        self.code = code
        self.log = log

    def wrap(self, detail: str) -> ChainError:
        return ChainError(self.codespace, self.code, f"{detail}: {self.log}")

    def is_(self, registered: Registered) -> bool:
        return self.codespace == registered.codespace and self.code == registered.code


@dataclass(frozen=True)
class Registered:
    """A registered error; ``grpc`` is the gRPC status class a query failing with it answers (NotFound, …)."""

    codespace: str
    code: int
    message: str
    grpc: int = UNKNOWN

    def error(self) -> ChainError:
        return ChainError(self.codespace, self.code, self.message)

    def wrap(self, detail: str) -> ChainError:
        return ChainError(self.codespace, self.code, f"{detail}: {self.message}")


_REGISTRY: dict[tuple[str, int], Registered] = {}


def register(codespace: str, code: int, message: str, *, grpc: int = UNKNOWN) -> Registered:
    key = (codespace, code)
    if key in _REGISTRY and _REGISTRY[key].message != message:
        raise ValueError(f"error {codespace}/{code} registered twice")
    if key not in _REGISTRY or grpc != UNKNOWN:
        _REGISTRY[key] = Registered(codespace, code, message, grpc)
    return _REGISTRY[key]


def lookup(codespace: str, code: int) -> Registered | None:
    return _REGISTRY.get((codespace, code))


def grpc_code(codespace: str, code: int) -> int:
    """The gRPC status class of a query error (Unknown unless its registration says otherwise)."""
    found = _REGISTRY.get((codespace, code))
    return found.grpc if found is not None else UNKNOWN


def query_log(e: ChainError) -> str:
    """The ABCI log of a failed query, as the SDK's baseapp writes it (``rpc error: code = NotFound desc = account
    … not found: key not found``)."""
    return status_log(grpc_code(e.codespace, e.code), status_message(e.codespace, e.code, e.log))


SDK: Final = "sdk"
ErrTxDecode = register(SDK, 2, "tx parse error", grpc=INVALID_ARGUMENT)
ErrInvalidSequence = register(SDK, 3, "invalid sequence")
ErrUnauthorized = register(SDK, 4, "unauthorized", grpc=UNAUTHENTICATED)
ErrInsufficientFunds = register(SDK, 5, "insufficient funds")
ErrUnknownRequest = register(SDK, 6, "unknown request")
ErrInvalidAddress = register(SDK, 7, "invalid address", grpc=INVALID_ARGUMENT)
ErrInvalidPubKey = register(SDK, 8, "invalid pubkey")
ErrUnknownAddress = register(SDK, 9, "unknown address")
ErrInvalidCoins = register(SDK, 10, "invalid coins")
ErrOutOfGas = register(SDK, 11, "out of gas")
ErrMemoTooLarge = register(SDK, 12, "memo too large")
ErrInsufficientFee = register(SDK, 13, "insufficient fee")
ErrTooManySignatures = register(SDK, 14, "maximum number of signatures exceeded")
ErrNoSignatures = register(SDK, 15, "no signatures supplied")
ErrJSONMarshal = register(SDK, 16, "failed to marshal JSON bytes")
ErrJSONUnmarshal = register(SDK, 17, "failed to unmarshal JSON bytes")
ErrInvalidRequest = register(SDK, 18, "invalid request", grpc=INVALID_ARGUMENT)
ErrTxInMempoolCache = register(SDK, 19, "tx already in mempool")
ErrMempoolIsFull = register(SDK, 20, "mempool is full")
ErrTxTooLarge = register(SDK, 21, "tx too large")
ErrKeyNotFound = register(SDK, 22, "key not found", grpc=NOT_FOUND)
ErrInvalidSigner = register(SDK, 24, "tx intended signer does not match the given signer")
ErrInvalidHeight = register(SDK, 26, "invalid height", grpc=INVALID_ARGUMENT)
ErrInvalidChainID = register(SDK, 28, "invalid chain-id")
ErrInvalidType = register(SDK, 29, "invalid type")
ErrTxTimeoutHeight = register(SDK, 30, "tx timeout height")
ErrUnknownExtensionOptions = register(SDK, 31, "unknown extension options")
ErrWrongSequence = register(SDK, 32, "incorrect account sequence")
ErrUnpackAny = register(SDK, 34, "failed unpacking protobuf message from Any")
ErrLogic = register(SDK, 35, "internal logic error")
ErrNotFound = register(SDK, 38, "not found", grpc=NOT_FOUND)
ErrPanic = register("undefined", 111222, "panic")
