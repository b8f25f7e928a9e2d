from panacea.types.pb.cosmos.base.query.v1beta1 import pagination_pb2 as _pagination_pb2
from panacea.types.pb.panacea.datadeal.v2 import consent_pb2 as _consent_pb2
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2 as _deal_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class QueryDealsRequest(_message.Message):
    __slots__ = ("pagination",)
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    pagination: _pagination_pb2.PageRequest
    def __init__(self, pagination: _Optional[_Union[_pagination_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class QueryDealsResponse(_message.Message):
    __slots__ = ("deals", "pagination")
    DEALS_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    deals: _containers.RepeatedCompositeFieldContainer[_deal_pb2.Deal]
    pagination: _pagination_pb2.PageResponse
    def __init__(self, deals: _Optional[_Iterable[_Union[_deal_pb2.Deal, _Mapping]]] = ..., pagination: _Optional[_Union[_pagination_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QueryDealRequest(_message.Message):
    __slots__ = ("deal_id",)
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    deal_id: int
    def __init__(self, deal_id: _Optional[int] = ...) -> None: ...

class QueryDealResponse(_message.Message):
    __slots__ = ("deal",)
    DEAL_FIELD_NUMBER: _ClassVar[int]
    deal: _deal_pb2.Deal
    def __init__(self, deal: _Optional[_Union[_deal_pb2.Deal, _Mapping]] = ...) -> None: ...

class QueryConsents(_message.Message):
    __slots__ = ("deal_id", "pagination")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    deal_id: int
    pagination: _pagination_pb2.PageRequest
    def __init__(self, deal_id: _Optional[int] = ..., pagination: _Optional[_Union[_pagination_pb2.PageRequest, _Mapping]] = ...) -> None: ...

class QueryConsentsResponse(_message.Message):
    __slots__ = ("consents", "pagination")
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    consents: _containers.RepeatedCompositeFieldContainer[_consent_pb2.Consent]
    pagination: _pagination_pb2.PageResponse
    def __init__(self, consents: _Optional[_Iterable[_Union[_consent_pb2.Consent, _Mapping]]] = ..., pagination: _Optional[_Union[_pagination_pb2.PageResponse, _Mapping]] = ...) -> None: ...

class QueryConsent(_message.Message):
    __slots__ = ("deal_id", "data_hash")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    deal_id: int
    data_hash: str
    def __init__(self, deal_id: _Optional[int] = ..., data_hash: _Optional[str] = ...) -> None: ...

class QueryConsentResponse(_message.Message):
    __slots__ = ("consent",)
    CONSENT_FIELD_NUMBER: _ClassVar[int]
    consent: _consent_pb2.Consent
    def __init__(self, consent: _Optional[_Union[_consent_pb2.Consent, _Mapping]] = ...) -> None: ...
