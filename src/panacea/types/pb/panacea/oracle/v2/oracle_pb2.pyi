import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Oracle(_message.Message):
    __slots__ = ("oracle_address", "unique_id", "endpoint", "update_time", "oracle_commission_rate", "oracle_commission_max_rate", "oracle_commission_max_change_rate")
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    ORACLE_COMMISSION_RATE_FIELD_NUMBER: _ClassVar[int]
    ORACLE_COMMISSION_MAX_RATE_FIELD_NUMBER: _ClassVar[int]
    ORACLE_COMMISSION_MAX_CHANGE_RATE_FIELD_NUMBER: _ClassVar[int]
    oracle_address: str
    unique_id: str
    endpoint: str
    update_time: _timestamp_pb2.Timestamp
    oracle_commission_rate: str
    oracle_commission_max_rate: str
    oracle_commission_max_change_rate: str
    def __init__(self, oracle_address: _Optional[str] = ..., unique_id: _Optional[str] = ..., endpoint: _Optional[str] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., oracle_commission_rate: _Optional[str] = ..., oracle_commission_max_rate: _Optional[str] = ..., oracle_commission_max_change_rate: _Optional[str] = ...) -> None: ...

class OracleRegistration(_message.Message):
    __slots__ = ("unique_id", "oracle_address", "node_pub_key", "node_pub_key_remote_report", "trusted_block_height", "trusted_block_hash", "endpoint", "oracle_commission_rate", "oracle_commission_max_rate", "oracle_commission_max_change_rate", "encrypted_oracle_priv_key")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    NODE_PUB_KEY_FIELD_NUMBER: _ClassVar[int]
    NODE_PUB_KEY_REMOTE_REPORT_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_BLOCK_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_BLOCK_HASH_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    ORACLE_COMMISSION_RATE_FIELD_NUMBER: _ClassVar[int]
    ORACLE_COMMISSION_MAX_RATE_FIELD_NUMBER: _ClassVar[int]
    ORACLE_COMMISSION_MAX_CHANGE_RATE_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_ORACLE_PRIV_KEY_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    oracle_address: str
    node_pub_key: bytes
    node_pub_key_remote_report: bytes
    trusted_block_height: int
    trusted_block_hash: bytes
    endpoint: str
    oracle_commission_rate: str
    oracle_commission_max_rate: str
    oracle_commission_max_change_rate: str
    encrypted_oracle_priv_key: bytes
    def __init__(self, unique_id: _Optional[str] = ..., oracle_address: _Optional[str] = ..., node_pub_key: _Optional[bytes] = ..., node_pub_key_remote_report: _Optional[bytes] = ..., trusted_block_height: _Optional[int] = ..., trusted_block_hash: _Optional[bytes] = ..., endpoint: _Optional[str] = ..., oracle_commission_rate: _Optional[str] = ..., oracle_commission_max_rate: _Optional[str] = ..., oracle_commission_max_change_rate: _Optional[str] = ..., encrypted_oracle_priv_key: _Optional[bytes] = ...) -> None: ...

class OracleUpgrade(_message.Message):
    __slots__ = ("unique_id", "oracle_address", "node_pub_key", "node_pub_key_remote_report", "trusted_block_height", "trusted_block_hash", "encrypted_oracle_priv_key")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    NODE_PUB_KEY_FIELD_NUMBER: _ClassVar[int]
    NODE_PUB_KEY_REMOTE_REPORT_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_BLOCK_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_BLOCK_HASH_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_ORACLE_PRIV_KEY_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    oracle_address: str
    node_pub_key: bytes
    node_pub_key_remote_report: bytes
    trusted_block_height: int
    trusted_block_hash: bytes
    encrypted_oracle_priv_key: bytes
    def __init__(self, unique_id: _Optional[str] = ..., oracle_address: _Optional[str] = ..., node_pub_key: _Optional[bytes] = ..., node_pub_key_remote_report: _Optional[bytes] = ..., trusted_block_height: _Optional[int] = ..., trusted_block_hash: _Optional[bytes] = ..., encrypted_oracle_priv_key: _Optional[bytes] = ...) -> None: ...

class OracleUpgradeInfo(_message.Message):
    __slots__ = ("unique_id", "height")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    height: int
    def __init__(self, unique_id: _Optional[str] = ..., height: _Optional[int] = ...) -> None: ...
