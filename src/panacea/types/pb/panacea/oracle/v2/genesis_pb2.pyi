from panacea.types.pb.panacea.oracle.v2 import oracle_pb2 as _oracle_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GenesisState(_message.Message):
    __slots__ = ("oracles", "oracle_registrations", "oracle_upgrades", "oracle_upgrade_info", "params")
    ORACLES_FIELD_NUMBER: _ClassVar[int]
    ORACLE_REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    ORACLE_UPGRADES_FIELD_NUMBER: _ClassVar[int]
    ORACLE_UPGRADE_INFO_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    oracles: _containers.RepeatedCompositeFieldContainer[_oracle_pb2.Oracle]
    oracle_registrations: _containers.RepeatedCompositeFieldContainer[_oracle_pb2.OracleRegistration]
    oracle_upgrades: _containers.RepeatedCompositeFieldContainer[_oracle_pb2.OracleUpgrade]
    oracle_upgrade_info: _oracle_pb2.OracleUpgradeInfo
    params: Params
    def __init__(self, oracles: _Optional[_Iterable[_Union[_oracle_pb2.Oracle, _Mapping]]] = ..., oracle_registrations: _Optional[_Iterable[_Union[_oracle_pb2.OracleRegistration, _Mapping]]] = ..., oracle_upgrades: _Optional[_Iterable[_Union[_oracle_pb2.OracleUpgrade, _Mapping]]] = ..., oracle_upgrade_info: _Optional[_Union[_oracle_pb2.OracleUpgradeInfo, _Mapping]] = ..., params: _Optional[_Union[Params, _Mapping]] = ...) -> None: ...

class Params(_message.Message):
    __slots__ = ("oracle_public_key", "oracle_pub_key_remote_report", "unique_id", "signature_digest")
    ORACLE_PUBLIC_KEY_FIELD_NUMBER: _ClassVar[int]
    ORACLE_PUB_KEY_REMOTE_REPORT_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_DIGEST_FIELD_NUMBER: _ClassVar[int]
    oracle_public_key: str
    oracle_pub_key_remote_report: str
    unique_id: str
    signature_digest: str
    def __init__(self, oracle_public_key: _Optional[str] = ..., oracle_pub_key_remote_report: _Optional[str] = ..., unique_id: _Optional[str] = ..., signature_digest: _Optional[str] = ...) -> None: ...
