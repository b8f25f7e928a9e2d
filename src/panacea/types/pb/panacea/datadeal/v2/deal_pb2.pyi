from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2 as _coin_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DealStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEAL_STATUS_UNSPECIFIED: _ClassVar[DealStatus]
    DEAL_STATUS_ACTIVE: _ClassVar[DealStatus]
    DEAL_STATUS_INACTIVE: _ClassVar[DealStatus]
    DEAL_STATUS_COMPLETED: _ClassVar[DealStatus]
DEAL_STATUS_UNSPECIFIED: DealStatus
DEAL_STATUS_ACTIVE: DealStatus
DEAL_STATUS_INACTIVE: DealStatus
DEAL_STATUS_COMPLETED: DealStatus

class Deal(_message.Message):
    __slots__ = ("id", "address", "data_schema", "presentation_definition", "budget", "max_num_data", "cur_num_data", "consumer_address", "agreement_terms", "status", "consumer_service_endpoint")
    ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DATA_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    PRESENTATION_DEFINITION_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    MAX_NUM_DATA_FIELD_NUMBER: _ClassVar[int]
    CUR_NUM_DATA_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    AGREEMENT_TERMS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_SERVICE_ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    id: int
    address: str
    data_schema: _containers.RepeatedScalarFieldContainer[str]
    presentation_definition: bytes
    budget: _coin_pb2.Coin
    max_num_data: int
    cur_num_data: int
    consumer_address: str
    agreement_terms: _containers.RepeatedCompositeFieldContainer[AgreementTerm]
    status: DealStatus
    consumer_service_endpoint: str
    def __init__(self, id: _Optional[int] = ..., address: _Optional[str] = ..., data_schema: _Optional[_Iterable[str]] = ..., presentation_definition: _Optional[bytes] = ..., budget: _Optional[_Union[_coin_pb2.Coin, _Mapping]] = ..., max_num_data: _Optional[int] = ..., cur_num_data: _Optional[int] = ..., consumer_address: _Optional[str] = ..., agreement_terms: _Optional[_Iterable[_Union[AgreementTerm, _Mapping]]] = ..., status: _Optional[_Union[DealStatus, str]] = ..., consumer_service_endpoint: _Optional[str] = ...) -> None: ...

class AgreementTerm(_message.Message):
    __slots__ = ("id", "required", "title", "description")
    ID_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    id: int
    required: bool
    title: str
    description: str
    def __init__(self, id: _Optional[int] = ..., required: _Optional[bool] = ..., title: _Optional[str] = ..., description: _Optional[str] = ...) -> None: ...
