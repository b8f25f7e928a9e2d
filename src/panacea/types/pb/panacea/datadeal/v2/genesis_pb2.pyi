from panacea.types.pb.panacea.datadeal.v2 import consent_pb2 as _consent_pb2
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2 as _deal_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GenesisState(_message.Message):
    __slots__ = ("next_deal_number", "deals", "consents")
    NEXT_DEAL_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DEALS_FIELD_NUMBER: _ClassVar[int]
    CONSENTS_FIELD_NUMBER: _ClassVar[int]
    next_deal_number: int
    deals: _containers.RepeatedCompositeFieldContainer[_deal_pb2.Deal]
    consents: _containers.RepeatedCompositeFieldContainer[_consent_pb2.Consent]
    def __init__(self, next_deal_number: _Optional[int] = ..., deals: _Optional[_Iterable[_Union[_deal_pb2.Deal, _Mapping]]] = ..., consents: _Optional[_Iterable[_Union[_consent_pb2.Consent, _Mapping]]] = ...) -> None: ...
