from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Consent(_message.Message):
    __slots__ = ("deal_id", "certificate", "agreements")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    AGREEMENTS_FIELD_NUMBER: _ClassVar[int]
    deal_id: int
    certificate: Certificate
    agreements: _containers.RepeatedCompositeFieldContainer[Agreement]
    def __init__(self, deal_id: _Optional[int] = ..., certificate: _Optional[_Union[Certificate, _Mapping]] = ..., agreements: _Optional[_Iterable[_Union[Agreement, _Mapping]]] = ...) -> None: ...

class Certificate(_message.Message):
    __slots__ = ("unsigned_certificate", "signature")
    UNSIGNED_CERTIFICATE_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    unsigned_certificate: UnsignedCertificate
    signature: bytes
    def __init__(self, unsigned_certificate: _Optional[_Union[UnsignedCertificate, _Mapping]] = ..., signature: _Optional[bytes] = ...) -> None: ...

class UnsignedCertificate(_message.Message):
    __slots__ = ("unique_id", "oracle_address", "deal_id", "provider_address", "data_hash")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    DATA_HASH_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    oracle_address: str
    deal_id: int
    provider_address: str
    data_hash: str
    def __init__(self, unique_id: _Optional[str] = ..., oracle_address: _Optional[str] = ..., deal_id: _Optional[int] = ..., provider_address: _Optional[str] = ..., data_hash: _Optional[str] = ...) -> None: ...

class Agreement(_message.Message):
    __slots__ = ("term_id", "agreement")
    TERM_ID_FIELD_NUMBER: _ClassVar[int]
    AGREEMENT_FIELD_NUMBER: _ClassVar[int]
    term_id: int
    agreement: bool
    def __init__(self, term_id: _Optional[int] = ..., agreement: _Optional[bool] = ...) -> None: ...
