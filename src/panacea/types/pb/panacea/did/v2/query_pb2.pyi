from panacea.types.pb.panacea.did.v2 import did_pb2 as _did_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class QueryDIDRequest(_message.Message):
    __slots__ = ("did_base64",)
    DID_BASE64_FIELD_NUMBER: _ClassVar[int]
    did_base64: str
    def __init__(self, did_base64: _Optional[str] = ...) -> None: ...

class QueryDIDResponse(_message.Message):
    __slots__ = ("did_document_with_seq",)
    DID_DOCUMENT_WITH_SEQ_FIELD_NUMBER: _ClassVar[int]
    did_document_with_seq: _did_pb2.DIDDocumentWithSeq
    def __init__(self, did_document_with_seq: _Optional[_Union[_did_pb2.DIDDocumentWithSeq, _Mapping]] = ...) -> None: ...
