"""google.protobuf.Any the Cosmos way: type_url is "/" + full message name (no type.googleapis.com host),
and unpacking resolves the url in a registry of known types, like the SDK InterfaceRegistry."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType, ModuleType

from google.protobuf import any_pb2
from google.protobuf.message import DecodeError, Message

from panacea.types.pb.cosmos.auth.v1beta1 import auth_pb2
from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2 as bank_tx_pb2
from panacea.types.pb.cosmos.crypto.ed25519 import keys_pb2 as ed25519_keys_pb2
from panacea.types.pb.cosmos.crypto.secp256k1 import keys_pb2 as secp256k1_keys_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2
from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2 as gov_tx_pb2
from panacea.types.pb.cosmos.params.v1beta1 import params_pb2
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2
from panacea.types.pb.panacea.datadeal.v2 import tx_pb2 as datadeal_tx_pb2
from panacea.types.pb.panacea.did.v2 import tx_pb2 as did_tx_pb2
from panacea.types.pb.panacea.oracle.v2 import proposal_pb2 as oracle_proposal_pb2
from panacea.types.pb.panacea.oracle.v2 import tx_pb2 as oracle_tx_pb2

Registry = Mapping[str, type[Message]]


class UnknownTypeURLError(ValueError):
    """The type_url is not in the registry used to unpack (SDK text: "unable to resolve type URL")."""

    def __init__(self, type_url: str) -> None:
        super().__init__(f"unable to resolve type URL {type_url}")
        self.type_url = type_url


class AnyDecodeError(ValueError):
    """The Any's value does not decode as the registered message type."""

    def __init__(self, type_url: str, cause: Exception) -> None:
        super().__init__(f"cannot decode {type_url}: {cause}")
        self.type_url = type_url


def type_url(message: Message | type[Message]) -> str:
    return "/" + message.DESCRIPTOR.full_name


def pack_any(message: Message) -> any_pb2.Any:
    return any_pb2.Any(type_url=type_url(message), value=message.SerializeToString(deterministic=True))


def unpack_any(packed: any_pb2.Any, registry: Registry | None = None) -> Message:
    """Decode an Any into its registered type; UnknownTypeURLError / AnyDecodeError otherwise."""
    cls = (DEFAULT_REGISTRY if registry is None else registry).get(packed.type_url)
    if cls is None:
        raise UnknownTypeURLError(packed.type_url)
    message = cls()
    try:
        message.ParseFromString(packed.value)
    except DecodeError as exc:
        raise AnyDecodeError(packed.type_url, exc) from exc
    return message


def build_registry(*groups: Iterable[type[Message]]) -> Registry:
    table: dict[str, type[Message]] = {}
    for group in groups:
        for cls in group:
            table[type_url(cls)] = cls
    return MappingProxyType(table)


def _msg_service_inputs(*modules: ModuleType) -> list[type[Message]]:
    """Request types of each module's `Msg` service: exactly the sdk.Msg implementations."""
    found: list[type[Message]] = []
    for module in modules:
        service = module.DESCRIPTOR.services_by_name["Msg"]
        for method in service.methods:
            found.append(getattr(module, method.input_type.name))
    return found


MSG_REGISTRY = build_registry(
    _msg_service_inputs(datadeal_tx_pb2, oracle_tx_pb2, did_tx_pb2, bank_tx_pb2, gov_tx_pb2),
)
PUBKEY_REGISTRY = build_registry([secp256k1_keys_pb2.PubKey, ed25519_keys_pb2.PubKey])
CONTENT_REGISTRY = build_registry(
    [gov_pb2.TextProposal, params_pb2.ParameterChangeProposal, oracle_proposal_pb2.OracleUpgradeProposal]
)
ACCOUNT_REGISTRY = build_registry([auth_pb2.BaseAccount, auth_pb2.ModuleAccount])
DEFAULT_REGISTRY = build_registry(
    MSG_REGISTRY.values(),
    PUBKEY_REGISTRY.values(),
    CONTENT_REGISTRY.values(),
    ACCOUNT_REGISTRY.values(),
    [tx_pb2.Tx],  # TxResponse.tx
)
