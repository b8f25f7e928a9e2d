from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Strings(_message.Message):
    __slots__ = ("values",)
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, values: _Optional[_Iterable[str]] = ...) -> None: ...

class DIDDocument(_message.Message):
    __slots__ = ("contexts", "id", "controller", "verification_methods", "authentications", "assertion_methods", "key_agreements", "capability_invocations", "capability_delegations", "services")
    CONTEXTS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_METHODS_FIELD_NUMBER: _ClassVar[int]
    AUTHENTICATIONS_FIELD_NUMBER: _ClassVar[int]
    ASSERTION_METHODS_FIELD_NUMBER: _ClassVar[int]
    KEY_AGREEMENTS_FIELD_NUMBER: _ClassVar[int]
    CAPABILITY_INVOCATIONS_FIELD_NUMBER: _ClassVar[int]
    CAPABILITY_DELEGATIONS_FIELD_NUMBER: _ClassVar[int]
    SERVICES_FIELD_NUMBER: _ClassVar[int]
    contexts: Strings
    id: str
    controller: Strings
    verification_methods: _containers.RepeatedCompositeFieldContainer[VerificationMethod]
    authentications: _containers.RepeatedCompositeFieldContainer[VerificationRelationship]
    assertion_methods: _containers.RepeatedCompositeFieldContainer[VerificationRelationship]
    key_agreements: _containers.RepeatedCompositeFieldContainer[VerificationRelationship]
    capability_invocations: _containers.RepeatedCompositeFieldContainer[VerificationRelationship]
    capability_delegations: _containers.RepeatedCompositeFieldContainer[VerificationRelationship]
    services: _containers.RepeatedCompositeFieldContainer[Service]
    def __init__(self, contexts: _Optional[_Union[Strings, _Mapping]] = ..., id: _Optional[str] = ..., controller: _Optional[_Union[Strings, _Mapping]] = ..., verification_methods: _Optional[_Iterable[_Union[VerificationMethod, _Mapping]]] = ..., authentications: _Optional[_Iterable[_Union[VerificationRelationship, _Mapping]]] = ..., assertion_methods: _Optional[_Iterable[_Union[VerificationRelationship, _Mapping]]] = ..., key_agreements: _Optional[_Iterable[_Union[VerificationRelationship, _Mapping]]] = ..., capability_invocations: _Optional[_Iterable[_Union[VerificationRelationship, _Mapping]]] = ..., capability_delegations: _Optional[_Iterable[_Union[VerificationRelationship, _Mapping]]] = ..., services: _Optional[_Iterable[_Union[Service, _Mapping]]] = ...) -> None: ...

class VerificationMethod(_message.Message):
    __slots__ = ("id", "type", "controller", "public_key_base58")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    CONTROLLER_FIELD_NUMBER: _ClassVar[int]
    PUBLIC_KEY_BASE58_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    controller: str
    public_key_base58: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., controller: _Optional[str] = ..., public_key_base58: _Optional[str] = ...) -> None: ...

class VerificationRelationship(_message.Message):
    __slots__ = ("verification_method_id", "verification_method")
    VERIFICATION_METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_METHOD_FIELD_NUMBER: _ClassVar[int]
    verification_method_id: str
    verification_method: VerificationMethod
    def __init__(self, verification_method_id: _Optional[str] = ..., verification_method: _Optional[_Union[VerificationMethod, _Mapping]] = ...) -> None: ...

class Service(_message.Message):
    __slots__ = ("id", "type", "service_endpoint")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    service_endpoint: str
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., service_endpoint: _Optional[str] = ...) -> None: ...

class DIDDocumentWithSeq(_message.Message):
    __slots__ = ("document", "sequence")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    document: DIDDocument
    sequence: int
    def __init__(self, document: _Optional[_Union[DIDDocument, _Mapping]] = ..., sequence: _Optional[int] = ...) -> None: ...

class DataWithSeq(_message.Message):
    __slots__ = ("data", "sequence")
    DATA_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    data: bytes
    sequence: int
    def __init__(self, data: _Optional[bytes] = ..., sequence: _Optional[int] = ...) -> None: ...
