from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class MsgRegisterOracle(_message.Message):
    __slots__ = ("unique_id", "oracle_address", "node_pub_key", "node_pub_key_remote_report", "trusted_block_height", "trusted_block_hash", "endpoint", "oracle_commission_rate", "oracle_commission_max_rate", "oracle_commission_max_change_rate")
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
    def __init__(self, unique_id: _Optional[str] = ..., oracle_address: _Optional[str] = ..., node_pub_key: _Optional[bytes] = ..., node_pub_key_remote_report: _Optional[bytes] = ..., trusted_block_height: _Optional[int] = ..., trusted_block_hash: _Optional[bytes] = ..., endpoint: _Optional[str] = ..., oracle_commission_rate: _Optional[str] = ..., oracle_commission_max_rate: _Optional[str] = ..., oracle_commission_max_change_rate: _Optional[str] = ...) -> None: ...

class MsgRegisterOracleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgApproveOracleRegistration(_message.Message):
    __slots__ = ("approval_sharing_oracle_key", "signature")
    APPROVAL_SHARING_ORACLE_KEY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    approval_sharing_oracle_key: ApprovalSharingOracleKey
    signature: bytes
    def __init__(self, approval_sharing_oracle_key: _Optional[_Union[ApprovalSharingOracleKey, _Mapping]] = ..., signature: _Optional[bytes] = ...) -> None: ...

class ApprovalSharingOracleKey(_message.Message):
    __slots__ = ("approver_unique_id", "approver_oracle_address", "target_unique_id", "target_oracle_address", "encrypted_oracle_priv_key")
    APPROVER_UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    APPROVER_ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    TARGET_UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    TARGET_ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ENCRYPTED_ORACLE_PRIV_KEY_FIELD_NUMBER: _ClassVar[int]
    approver_unique_id: str
    approver_oracle_address: str
    target_unique_id: str
    target_oracle_address: str
    encrypted_oracle_priv_key: bytes
    def __init__(self, approver_unique_id: _Optional[str] = ..., approver_oracle_address: _Optional[str] = ..., target_unique_id: _Optional[str] = ..., target_oracle_address: _Optional[str] = ..., encrypted_oracle_priv_key: _Optional[bytes] = ...) -> None: ...

class MsgApproveOracleRegistrationResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgUpdateOracleInfo(_message.Message):
    __slots__ = ("oracle_address", "endpoint", "oracle_commission_rate")
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    ORACLE_COMMISSION_RATE_FIELD_NUMBER: _ClassVar[int]
    oracle_address: str
    endpoint: str
    oracle_commission_rate: str
    def __init__(self, oracle_address: _Optional[str] = ..., endpoint: _Optional[str] = ..., oracle_commission_rate: _Optional[str] = ...) -> None: ...

class MsgUpdateOracleInfoResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgUpgradeOracle(_message.Message):
    __slots__ = ("unique_id", "oracle_address", "node_pub_key", "node_pub_key_remote_report", "trusted_block_height", "trusted_block_hash")
    UNIQUE_ID_FIELD_NUMBER: _ClassVar[int]
    ORACLE_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    NODE_PUB_KEY_FIELD_NUMBER: _ClassVar[int]
    NODE_PUB_KEY_REMOTE_REPORT_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_BLOCK_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_BLOCK_HASH_FIELD_NUMBER: _ClassVar[int]
    unique_id: str
    oracle_address: str
    node_pub_key: bytes
    node_pub_key_remote_report: bytes
    trusted_block_height: int
    trusted_block_hash: bytes
    def __init__(self, unique_id: _Optional[str] = ..., oracle_address: _Optional[str] = ..., node_pub_key: _Optional[bytes] = ..., node_pub_key_remote_report: _Optional[bytes] = ..., trusted_block_height: _Optional[int] = ..., trusted_block_hash: _Optional[bytes] = ...) -> None: ...

class MsgUpgradeOracleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class MsgApproveOracleUpgrade(_message.Message):
    __slots__ = ("approval_sharing_oracle_key", "signature")
    APPROVAL_SHARING_ORACLE_KEY_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    approval_sharing_oracle_key: ApprovalSharingOracleKey
    signature: bytes
    def __init__(self, approval_sharing_oracle_key: _Optional[_Union[ApprovalSharingOracleKey, _Mapping]] = ..., signature: _Optional[bytes] = ...) -> None: ...

class MsgApproveOracleUpgradeResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...
