from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2 as _pagination_pb2
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2 as _genesis_pb2
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2 as _oracle_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class QueryOraclesRequest(_message.Message):
    __slots__ = ("pagination",)
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    pagination: _pagination_pb2.PageRequest
    def __init__(self, pagination: _Optional[_Union[_pagination_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class QueryOraclesResponse(_message.Message):
    __slots__ = ("oracles", "pagination")
    ORACLES_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    oracles: _containers.RepeatedCompositeFieldContainer[_oracle_pb2.Oracle]
    pagination: _pagination_pb2.PageResponse
    def __init__(self, oracles: _Optional[_Iterable[_Union[_oracle_pb2.Oracle, _Mapping]]] = ..., pagination: _Optional[_Union[_pagination_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QueryOracleRequest(_message.Message):
    __slots__ = ("oracle_address",)
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    oracle_address: str
    def __init__(self, oracle_address: _Optional[str] = ...) -> None: ...

class QueryOracleResponse(_message.Message):
    __slots__ = ("oracle",)
    ORACLE_FIELD_NUMBER: _ClassVar[int]
    oracle: _oracle_pb2.Oracle
    def __init__(self, oracle: _Optional[_Union[_oracle_pb2.Oracle, _Mapping]] = ...) -> None: ...

class QueryOracleRegistrationsRequest(_message.Message):
    __slots__ = ("unique_id", "pagination")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    pagination: _pagination_pb2.PageRequest
    def __init__(self, unique_id: _Optional[str] = ..., pagination: _Optional[_Union[_pagination_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class QueryOracleRegistrationsResponse(_message.Message):
    __slots__ = ("oracle_registrations", "pagination")
    ORACLE_REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    oracle_registrations: _containers.RepeatedCompositeFieldContainer[_oracle_pb2.OracleRegistration]
    pagination: _pagination_pb2.PageResponse
    def __init__(self, oracle_registrations: _Optional[_Iterable[_Union[_oracle_pb2.OracleRegistration, _Mapping]]] = ..., pagination: _Optional[_Union[_pagination_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QueryOracleRegistrationRequest(_message.Message):
    __slots__ = ("unique_id", "oracle_address")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    oracle_address: str
    def __init__(self, unique_id: _Optional[str] = ..., oracle_address: _Optional[str] = ...) -> None: ...

class QueryOracleRegistrationResponse(_message.Message):
    __slots__ = ("oracle_registration",)
    ORACLE_REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    oracle_registration: _oracle_pb2.OracleRegistration
    def __init__(self, oracle_registration: _Optional[_Union[_oracle_pb2.OracleRegistration, _Mapping]] = ...) -> None: ...

class QueryOracleUpgradeInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class QueryOracleUpgradeInfoResponse(_message.Message):
    __slots__ = ("oracle_upgrade_info",)
    ORACLE_UPGRADE_INFO_FIELD_NUMBER: _ClassVar[int]
    oracle_upgrade_info: _oracle_pb2.OracleUpgradeInfo
    def __init__(self, oracle_upgrade_info: _Optional[_Union[_oracle_pb2.OracleUpgradeInfo, _Mapping]] = ...) -> None: ...

class QueryOracleUpgradesRequest(_message.Message):
    __slots__ = ("unique_id", "pagination")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    pagination: _pagination_pb2.PageRequest
    def __init__(self, unique_id: _Optional[str] = ..., pagination: _Optional[_Union[_pagination_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class QueryOracleUpgradesResponse(_message.Message):
    __slots__ = ("oracle_upgrades", "pagination")
    ORACLE_UPGRADES_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    oracle_upgrades: _containers.RepeatedCompositeFieldContainer[_oracle_pb2.OracleUpgrade]
    pagination: _pagination_pb2.PageResponse
    def __init__(self, oracle_upgrades: _Optional[_Iterable[_Union[_oracle_pb2.OracleUpgrade, _Mapping]]] = ..., pagination: _Optional[_Union[_pagination_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QueryOracleUpgradeRequest(_message.Message):
    __slots__ = ("unique_id", "oracle_address")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    oracle_address: str
    def __init__(self, unique_id: _Optional[str] = ..., oracle_address: _Optional[str] = ...) -> None: ...

class QueryOracleUpgradeResponse(_message.Message):
    __slots__ = ("oracle_upgrade",)
    ORACLE_UPGRADE_FIELD_NUMBER: _ClassVar[int]
    oracle_upgrade: _oracle_pb2.OracleUpgrade
    def __init__(self, oracle_upgrade: _Optional[_Union[_oracle_pb2.OracleUpgrade, _Mapping]] = ...) -> None: ...

class QueryOracleParamsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class QueryParamsResponse(_message.Message):
    __slots__ = ("params",)
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    params: _genesis_pb2.Params
    def __init__(self, params: _Optional[_Union[_genesis_pb2.Params, _Mapping]] = ...) -> None: ...
