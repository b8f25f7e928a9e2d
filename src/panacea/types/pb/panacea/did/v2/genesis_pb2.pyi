from panacea.types.pb.panacea.did.v2 import did_pb2 as _did_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GenesisState(_message.Message):
    __slots__ = ("documents",)
    class DocumentsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _did_pb2.DIDDocumentWithSeq
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_did_pb2.DIDDocumentWithSeq, _Mapping]] = ...) -> None: ...
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.MessageMap[str, _did_pb2.DIDDocumentWithSeq]
    def __init__(self, documents: _Optional[_Mapping[str, _did_pb2.DIDDocumentWithSeq]] = ...) -> None: ...
