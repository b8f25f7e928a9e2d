from panacea.types.pb.panacea.did.v2 import did_pb2 as _did_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MsgCreateDID(_message.Message):
    __slots__ = ("did", "document", "verification_method_id", "signature", "from_address")
    DID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    did: str
    document: _did_pb2.DIDDocument
    verification_method_id: str
    signature: bytes
    from_address: str
    def __init__(self, did: _Optional[str] = ..., document: _Optional[_Union[_did_pb2.DIDDocument, _Mapping]] = ..., verification_method_id: _Optional[str] = ..., signature: _Optional[bytes] = ..., from_address: _Optional[str] = ...) -> None: ...

class MsgCreateDIDResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgUpdateDID(_message.Message):
    __slots__ = ("did", "document", "verification_method_id", "signature", "from_address")
    DID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    did: str
    document: _did_pb2.DIDDocument
    verification_method_id: str
    signature: bytes
    from_address: str
    def __init__(self, did: _Optional[str] = ..., document: _Optional[_Union[_did_pb2.DIDDocument, _Mapping]] = ..., verification_method_id: _Optional[str] = ..., signature: _Optional[bytes] = ..., from_address: _Optional[str] = ...) -> None: ...

class MsgUpdateDIDResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgDeactivateDID(_message.Message):
    __slots__ = ("did", "verification_method_id", "signature", "from_address")
    DID_FIELD_NUMBER: _ClassVar[int]
    VERIFICATION_METHOD_ID_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    FROM_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    did: str
    verification_method_id: str
    signature: bytes
    from_address: str
    def __init__(self, did: _Optional[str] = ..., verification_method_id: _Optional[str] = ..., signature: _Optional[bytes] = ..., from_address: _Optional[str] = ...) -> None: ...

class MsgDeactivateDIDResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
