from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2 as _coin_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2 as _consent_pb2
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2 as _deal_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MsgCreateDeal(_message.Message):
    __slots__ = ("data_schema", "budget", "max_num_data", "consumer_address", "agreement_terms", "presentation_definition", "consumer_service_endpoint")
    DATA_SCHEMA_FIELD_NUMBER: _ClassVar[int]
    BUDGET_FIELD_NUMBER: _ClassVar[int]
    MAX_NUM_DATA_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    AGREEMENT_TERMS_FIELD_NUMBER: _ClassVar[int]
    PRESENTATION_DEFINITION_FIELD_NUMBER: _ClassVar[int]
    CONSUMER_SERVICE_ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    data_schema: _containers.RepeatedScalarFieldContainer[str]
    budget: _coin_pb2.Coin
    max_num_data: int
    consumer_address: str
    agreement_terms: _containers.RepeatedCompositeFieldContainer[_deal_pb2.AgreementTerm]
    presentation_definition: bytes
    consumer_service_endpoint: str
    def __init__(self, data_schema: _Optional[_Iterable[str]] = ..., budget: _Optional[_Union[_coin_pb2.Coin, _Mapping]] = ..., max_num_data: _Optional[int] = ..., consumer_address: _Optional[str] = ..., agreement_terms: _Optional[_Iterable[_Union[_deal_pb2.AgreementTerm, _Mapping]]] = ..., presentation_definition: _Optional[bytes] = ..., consumer_service_endpoint: _Optional[str] = ...) -> None: ...

class MsgCreateDealResponse(_message.Message):
    __slots__ = ("deal_id",)
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    deal_id: int
    def __init__(self, deal_id: _Optional[int] = ...) -> None: ...

class MsgDeactivateDeal(_message.Message):
    __slots__ = ("deal_id", "requester_address")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    REQUESTER_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    deal_id: int
    requester_address: str
    def __init__(self, deal_id: _Optional[int] = ..., requester_address: _Optional[str] = ...) -> None: ...

class MsgDeactivateDealResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgSubmitConsent(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: _consent_pb2.Consent
    def __init__(self, consent: _Optional[_Union[_consent_pb2.Consent, _Mapping]] = ...) -> None: ...

class MsgSubmitConsentResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
