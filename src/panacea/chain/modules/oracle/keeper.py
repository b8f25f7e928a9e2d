"""x/oracle keeper: the only writer of the ``oracle/`` key space (chain-reference §3)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from typing import Final, TypeVar

from google.protobuf.message import DecodeError, Message
from google.protobuf.timestamp_pb2 import Timestamp

from panacea.chain import addr
from panacea.chain.context import NANOS_PER_HOUR, NANOS_PER_SECOND, Context
from panacea.chain.errors import ChainError, ErrInvalidRequest, ErrPanic, Registered
from panacea.chain.kv import prefix_end
from panacea.chain.modules.oracle import events
from panacea.chain.modules.oracle.errors import (
    ErrApproveOracleRegistration,
    ErrApproveOracleUpgrade,
    ErrCommissionGTMaxChangeRate,
    ErrCommissionGTMaxRate,
    ErrCommissionNegative,
    ErrCommissionUpdateTime,
    ErrGetOracle,
    ErrGetOracleRegistration,
    ErrGetOracleUpgrade,
    ErrGetOracleUpgradeInfo,
    ErrInvalidUniqueID,
    ErrOracleNotFound,
    ErrOracleRegistrationNotFound,
    ErrOracleUpgradeInfoNotFound,
    ErrOracleUpgradeNotFound,
    ErrRegisterOracle,
    ErrUpdateOracle,
    ErrUpgradeOracle,
    plain,
)
from panacea.chain.modules.oracle.keys import (
    ORACLE_PREFIX,
    PARAMS_KEY,
    REGISTRATION_PREFIX,
    STORE,
    UPGRADE_INFO_KEY,
    UPGRADE_PREFIX,
    oracle_key,
    registration_key,
    upgrade_key,
    upgrades_prefix,
)
from panacea.chain.modules.oracle.validation import (
    PARAM_VALIDATORS,
    SIGNATURE_DIGESTS,
    decode_base64_std,
    default_params,
    parse_public_key,
    scaled,
    validate_params,
)
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PublicKey
from panacea.crypto.signature import SignatureMode, parse_der_lenient, verify_message_rs
from panacea.types.lp import marshal_length_prefixed, unmarshal_length_prefixed
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2, proposal_pb2, tx_pb2

GO_ZERO_TIME_SECONDS: Final = -62135596800  # time.Time{} = 0001-01-01T00:00:00Z
COMMISSION_CHANGE_INTERVAL_NS: Final = 24 * NANOS_PER_HOUR
DEC_FIELDS: Final = ("oracle_commission_rate", "oracle_commission_max_rate", "oracle_commission_max_change_rate")

M = TypeVar("M", bound=Message)


def timestamp(time_ns: int) -> Timestamp:
    seconds, nanos = divmod(time_ns, NANOS_PER_SECOND)
    return Timestamp(seconds=seconds, nanos=nanos)


def timestamp_ns(ts: Timestamp) -> int:
    return ts.seconds * NANOS_PER_SECOND + ts.nanos


def go_zero_time() -> Timestamp:
    return Timestamp(seconds=GO_ZERO_TIME_SECONDS)


def _canonical_decs(m: Message) -> None:
    """gogoproto always writes non-nullable sdk.Dec fields; zero is "0", never omitted."""
    for field in DEC_FIELDS:
        setattr(m, field, str(scaled(getattr(m, field))))


def _signature_mode(params: genesis_pb2.Params) -> SignatureMode:
    return SIGNATURE_DIGESTS.get(params.signature_digest, SignatureMode.SHA256)


def _address(address: str, error: Registered | None = None) -> bytes:
    """sdk.AccAddressFromBech32; the cause is wrapped by ``error`` or returned bare (the setters)."""
    try:
        return addr.parse(address)
    except CryptoError as e:
        raise (error.wrap(str(e)) if error is not None else plain(str(e))) from None


def _decode(raw: bytes, cls: type[M], error: Registered | None = None) -> M:
    try:
        return unmarshal_length_prefixed(raw, cls)
    except (DecodeError, ValueError) as e:
        if error is None:
            raise plain(str(e)) from None
        raise error.wrap(str(e)) from None


@functools.lru_cache(maxsize=64)
def _oracle_public_key(b64: str) -> PublicKey:
    """Parsed once per distinct param value: every consent is checked against the same key."""
    return parse_public_key(decode_base64_std(b64))


@functools.lru_cache(maxsize=64)
def _shared_params(raw: bytes) -> genesis_pb2.Params:
    """Decoded params by their stored bytes, shared by every reader: never to be mutated."""
    return _decode(raw, genesis_pb2.Params)


_DEFAULT_PARAMS: Final = default_params()  # shared like _shared_params: never mutated


@functools.lru_cache(maxsize=1 << 10)
def _shared_oracle(raw: bytes) -> oracle_pb2.Oracle:
    """A decoded oracle record by its stored bytes, shared by every reader: never to be mutated."""
    return _decode(raw, oracle_pb2.Oracle, ErrGetOracle)


class OracleKeeper:
    """Oracles, their registrations and upgrades, the upgrade schedule and the module params."""

    # --- params ---------------------------------------------------------------------------------------
    def get_params(self, ctx: Context) -> genesis_pb2.Params:
        """The params as a message of the caller's own (writers change it and store it back)."""
        raw = ctx.kv(STORE).get(PARAMS_KEY)
        return _decode(raw, genesis_pb2.Params) if raw is not None else default_params()

    def params_view(self, ctx: Context) -> genesis_pb2.Params:
        """``get_params`` for readers: the same store read and gas, the same errors, but the message is
        shared (decoded once per distinct stored value) and must not be mutated."""
        raw = ctx.kv(STORE).get(PARAMS_KEY)
        return _shared_params(raw) if raw is not None else _DEFAULT_PARAMS

    def set_params(self, ctx: Context, params: genesis_pb2.Params) -> None:
        try:
            validate_params(params)
        except ChainError as e:
            raise ErrInvalidRequest.wrap(e.log) from None
        ctx.kv(STORE).set(PARAMS_KEY, marshal_length_prefixed(params))

    def signature_mode(self, ctx: Context) -> SignatureMode:
        return _signature_mode(self.params_view(ctx))

    def param_change(self, ctx: Context, key: str, value_json: str) -> None:
        """x/params Subspace.Update for one key; raises the bare Go error (gov wraps it)."""
        entry = PARAM_VALIDATORS.get(key)
        if entry is None:
            raise ErrPanic.wrap(f"parameter {key} not registered")  # the reference panics
        field, check = entry
        params = self.get_params(ctx)
        value = _amino_json_string(value_json, getattr(params, field))
        check(value)
        setattr(params, field, value)
        ctx.kv(STORE).set(PARAMS_KEY, marshal_length_prefixed(params))

    def verify_oracle_signature(self, ctx: Context, message: bytes, signature: bytes,
                                params: genesis_pb2.Params | None = None) -> bool:
        """Signature by params.oracle_public_key over ``message``; raises for an unparsable key or DER.
        ``params``: the caller's already-read params (saves a store read on the consent path)."""
        if params is None:
            params = self.params_view(ctx)
        pub = _oracle_public_key(params.oracle_public_key)
        try:
            r, s = parse_der_lenient(signature)
        except CryptoError as e:
            raise plain(str(e)) from None
        return verify_message_rs(pub, message, r, s, _signature_mode(params))

    # --- oracles --------------------------------------------------------------------------------------
    def get_oracle(self, ctx: Context, address: str) -> oracle_pb2.Oracle:
        raw_addr = _address(address, ErrGetOracle)
        raw = ctx.kv(STORE).get(oracle_key(raw_addr))
        if raw is None:
            raise ErrOracleNotFound.wrap(f"oracle '{address}' does not exist")
        return _decode(raw, oracle_pb2.Oracle, ErrGetOracle)

    def oracle_view(self, ctx: Context, address: str) -> oracle_pb2.Oracle:
        """``get_oracle`` for readers: the same store read, gas and errors, but the record is shared
        (decoded once per distinct stored value) and must not be mutated."""
        raw_addr = _address(address, ErrGetOracle)
        raw = ctx.kv(STORE).get(oracle_key(raw_addr))
        if raw is None:
            raise ErrOracleNotFound.wrap(f"oracle '{address}' does not exist")
        return _shared_oracle(raw)

    def has_oracle(self, ctx: Context, address: str) -> bool:
        return ctx.kv(STORE).get(oracle_key(_address(address))) is not None

    def set_oracle(self, ctx: Context, oracle: oracle_pb2.Oracle) -> None:
        stored = oracle_pb2.Oracle()
        stored.CopyFrom(oracle)
        _canonical_decs(stored)
        if not stored.HasField("update_time"):
            stored.update_time.CopyFrom(go_zero_time())
        ctx.kv(STORE).set(oracle_key(_address(stored.oracle_address)), marshal_length_prefixed(stored))

    def all_oracles(self, ctx: Context) -> list[oracle_pb2.Oracle]:
        return [_decode(v, oracle_pb2.Oracle, ErrGetOracle) for _k, v in self._iterate(ctx, ORACLE_PREFIX)]

    def check_active_oracle(self, ctx: Context, address: str) -> oracle_pb2.Oracle:
        """IsActiveOracle: the record exists and carries the current params.unique_id."""
        oracle = self.get_oracle(ctx, address)
        if oracle.unique_id != self.params_view(ctx).unique_id:
            raise ErrInvalidUniqueID.error()
        return oracle

    def verify_oracle(self, ctx: Context, address: str) -> None:
        """Keeper.VerifyOracle (used by datadeal consents); raises bare errors for the caller to wrap."""
        try:
            oracle = self.get_oracle(ctx, address)
        except ChainError as e:
            raise plain(f"failed to oracle validation. address({address}) {e.log}") from None
        active = self.params_view(ctx).unique_id
        if oracle.unique_id != active:
            raise plain(f"is not active an oracle. oracleAddress({oracle.oracle_address}), "
                        f"oracleUniqueID({oracle.unique_id}), activeUniqueID({active})")

    # --- registrations --------------------------------------------------------------------------------
    def get_oracle_registration(self, ctx: Context, unique_id: str, address: str) -> oracle_pb2.OracleRegistration:
        raw_addr = _address(address, ErrGetOracleRegistration)
        raw = ctx.kv(STORE).get(registration_key(unique_id, raw_addr))
        if raw is None:
            raise ErrOracleRegistrationNotFound.error()
        return _decode(raw, oracle_pb2.OracleRegistration)

    def set_oracle_registration(self, ctx: Context, registration: oracle_pb2.OracleRegistration) -> None:
        stored = oracle_pb2.OracleRegistration()
        stored.CopyFrom(registration)
        _canonical_decs(stored)
        key = registration_key(stored.unique_id, _address(stored.oracle_address))
        ctx.kv(STORE).set(key, marshal_length_prefixed(stored))

    def all_oracle_registrations(self, ctx: Context) -> list[oracle_pb2.OracleRegistration]:
        return [_decode(v, oracle_pb2.OracleRegistration, ErrGetOracleRegistration)
                for _k, v in self._iterate(ctx, REGISTRATION_PREFIX)]

    # --- upgrades -------------------------------------------------------------------------------------
    def get_oracle_upgrade(self, ctx: Context, unique_id: str, address: str) -> oracle_pb2.OracleUpgrade:
        raw_addr = _address(address, ErrGetOracleUpgrade)
        raw = ctx.kv(STORE).get(upgrade_key(unique_id, raw_addr))
        if raw is None:
            raise ErrOracleUpgradeNotFound.error()
        return _decode(raw, oracle_pb2.OracleUpgrade)

    def set_oracle_upgrade(self, ctx: Context, upgrade: oracle_pb2.OracleUpgrade) -> None:
        key = upgrade_key(upgrade.unique_id, _address(upgrade.oracle_address))
        ctx.kv(STORE).set(key, marshal_length_prefixed(upgrade))

    def all_oracle_upgrades(self, ctx: Context) -> list[oracle_pb2.OracleUpgrade]:
        return [_decode(v, oracle_pb2.OracleUpgrade, ErrGetOracleUpgrade)
                for _k, v in self._iterate(ctx, UPGRADE_PREFIX)]

    def get_oracle_upgrade_info(self, ctx: Context) -> oracle_pb2.OracleUpgradeInfo:
        info = self.find_oracle_upgrade_info(ctx)
        if info is None:
            raise ErrOracleUpgradeInfoNotFound.error()
        return info

    def find_oracle_upgrade_info(self, ctx: Context) -> oracle_pb2.OracleUpgradeInfo | None:
        raw = ctx.kv(STORE).get(UPGRADE_INFO_KEY)
        return _decode(raw, oracle_pb2.OracleUpgradeInfo, ErrGetOracleUpgradeInfo) if raw is not None else None

    def set_oracle_upgrade_info(self, ctx: Context, info: oracle_pb2.OracleUpgradeInfo) -> None:
        ctx.kv(STORE).set(UPGRADE_INFO_KEY, marshal_length_prefixed(info))

    def _iterate(self, ctx: Context, prefix: bytes) -> Iterator[tuple[bytes, bytes]]:
        return ctx.kv(STORE).iterate(prefix, prefix_end(prefix))

    # --- MsgRegisterOracle (§3.5) ---------------------------------------------------------------------
    def register_oracle(self, ctx: Context, msg: tx_pb2.MsgRegisterOracle) -> None:
        if self.params_view(ctx).unique_id != msg.unique_id:
            raise ErrRegisterOracle.wrap(ErrInvalidUniqueID.message)
        try:
            self.get_oracle_registration(ctx, msg.unique_id, msg.oracle_address)
        except ChainError as e:
            if not e.is_(ErrOracleRegistrationNotFound):
                raise ErrRegisterOracle.wrap(e.log) from None
        else:
            raise ErrRegisterOracle.wrap(f"already registered oracle. address({msg.oracle_address})")
        self.set_oracle_registration(ctx, oracle_pb2.OracleRegistration(
            unique_id=msg.unique_id, oracle_address=msg.oracle_address, node_pub_key=msg.node_pub_key,
            node_pub_key_remote_report=msg.node_pub_key_remote_report,
            trusted_block_height=msg.trusted_block_height, trusted_block_hash=msg.trusted_block_hash,
            endpoint=msg.endpoint, oracle_commission_rate=msg.oracle_commission_rate,
            oracle_commission_max_rate=msg.oracle_commission_max_rate,
            oracle_commission_max_change_rate=msg.oracle_commission_max_change_rate))
        ctx.emit(events.registration(msg.unique_id, msg.oracle_address))

    # --- MsgApproveOracleRegistration (§3.6) ----------------------------------------------------------
    def approve_oracle_registration(self, ctx: Context, msg: tx_pb2.MsgApproveOracleRegistration) -> None:
        approval = msg.approval_sharing_oracle_key
        try:
            self._validate_approval(ctx, approval, msg.signature)
            registration = self.get_oracle_registration(ctx, approval.target_unique_id,
                                                        approval.target_oracle_address)
        except ChainError as e:
            raise ErrApproveOracleRegistration.wrap(e.log) from None
        if approval.target_unique_id != self.params_view(ctx).unique_id:
            raise ErrApproveOracleRegistration.wrap(ErrInvalidUniqueID.message)
        if registration.encrypted_oracle_priv_key:
            raise ErrApproveOracleRegistration.wrap(
                "already approved oracle registration. if you want to be shared oracle private key again, "
                "please register oracle again")
        registration.encrypted_oracle_priv_key = approval.encrypted_oracle_priv_key
        self.set_oracle_registration(ctx, registration)
        self.set_oracle(ctx, oracle_pb2.Oracle(
            oracle_address=approval.target_oracle_address, unique_id=approval.target_unique_id,
            endpoint=registration.endpoint, update_time=timestamp(ctx.time_ns),
            oracle_commission_rate=registration.oracle_commission_rate,
            oracle_commission_max_rate=registration.oracle_commission_max_rate,
            oracle_commission_max_change_rate=registration.oracle_commission_max_change_rate))
        ctx.emit(events.approve_registration(approval.target_oracle_address, approval.target_unique_id))

    def _validate_approval(self, ctx: Context, approval: tx_pb2.ApprovalSharingOracleKey, signature: bytes) -> None:
        """validateApprovalSharingOracleKey: approver id → approver active → signature → encrypted key."""
        if approval.approver_unique_id != self.params_view(ctx).unique_id:
            raise ErrInvalidUniqueID.error()
        try:
            self.check_active_oracle(ctx, approval.approver_oracle_address)
        except ChainError as e:
            raise plain(f"error occurs while checking if the oracle({approval.approver_oracle_address}) "
                        f"exists: {e.log}") from None
        if not self.verify_oracle_signature(ctx, approval.SerializeToString(deterministic=True), signature):
            raise plain("failed to signature validation")
        if not approval.encrypted_oracle_priv_key:
            raise plain("encrypted oracle private key is empty")

    # --- MsgUpdateOracleInfo (§3.7) -------------------------------------------------------------------
    def update_oracle_info(self, ctx: Context, msg: tx_pb2.MsgUpdateOracleInfo) -> None:
        try:
            oracle = self.get_oracle(ctx, msg.oracle_address)
        except ChainError as e:
            raise ErrUpdateOracle.wrap(e.log) from None
        # An empty string is the nil (absent) rate of the nullable field.
        if msg.oracle_commission_rate and scaled(msg.oracle_commission_rate) != scaled(oracle.oracle_commission_rate):
            try:
                self._validate_commission_change(ctx, oracle, scaled(msg.oracle_commission_rate))
            except ChainError as e:
                raise ErrUpdateOracle.wrap(e.log) from None
            oracle.oracle_commission_rate = msg.oracle_commission_rate
            oracle.update_time.CopyFrom(timestamp(ctx.time_ns))
        if msg.endpoint:
            oracle.endpoint = msg.endpoint
        self.set_oracle(ctx, oracle)

    @staticmethod
    def _validate_commission_change(ctx: Context, oracle: oracle_pb2.Oracle, new_rate: int) -> None:
        """ValidateOracleCommission; REF: the max-change check is one-sided (decreases are unbounded)."""
        if ctx.time_ns - timestamp_ns(oracle.update_time) < COMMISSION_CHANGE_INTERVAL_NS:
            raise ErrCommissionUpdateTime.error()
        if new_rate < 0:
            raise ErrCommissionNegative.error()
        if new_rate > scaled(oracle.oracle_commission_max_rate):
            raise ErrCommissionGTMaxRate.error()
        if new_rate - scaled(oracle.oracle_commission_rate) > scaled(oracle.oracle_commission_max_change_rate):
            raise ErrCommissionGTMaxChangeRate.error()

    # --- MsgUpgradeOracle (§3.8) ----------------------------------------------------------------------
    def upgrade_oracle(self, ctx: Context, msg: tx_pb2.MsgUpgradeOracle) -> None:
        try:
            self.get_oracle_upgrade(ctx, msg.unique_id, msg.oracle_address)
        except ChainError as e:
            if not e.is_(ErrOracleUpgradeNotFound):
                raise ErrUpgradeOracle.wrap(e.log) from None
        else:
            raise ErrUpgradeOracle.wrap(
                f"oracle that already received an upgrade request. address({msg.oracle_address})")
        try:
            info = self.get_oracle_upgrade_info(ctx)
        except ChainError:
            raise ErrUpgradeOracle.wrap("failed to get oracle upgrade info") from None
        if msg.unique_id != info.unique_id:
            raise ErrUpgradeOracle.wrap("does not match the upgrade uniqueID")
        try:
            self.get_oracle(ctx, msg.oracle_address)
        except ChainError:
            raise ErrUpgradeOracle.wrap("is not registered oracle") from None
        self.set_oracle_upgrade(ctx, oracle_pb2.OracleUpgrade(
            unique_id=msg.unique_id, oracle_address=msg.oracle_address, node_pub_key=msg.node_pub_key,
            node_pub_key_remote_report=msg.node_pub_key_remote_report,
            trusted_block_height=msg.trusted_block_height, trusted_block_hash=msg.trusted_block_hash))
        ctx.emit(events.upgrade(msg.unique_id, msg.oracle_address))

    # --- MsgApproveOracleUpgrade (§3.9) ---------------------------------------------------------------
    def approve_oracle_upgrade(self, ctx: Context, msg: tx_pb2.MsgApproveOracleUpgrade) -> None:
        approval = msg.approval_sharing_oracle_key
        try:
            self._validate_approval(ctx, approval, msg.signature)
            info = self.get_oracle_upgrade_info(ctx)
            upgrade = self.get_oracle_upgrade(ctx, info.unique_id, approval.target_oracle_address)
        except ChainError as e:
            raise ErrApproveOracleUpgrade.wrap(e.log) from None
        if approval.target_unique_id != info.unique_id:
            raise ErrApproveOracleUpgrade.wrap(ErrInvalidUniqueID.message)
        if upgrade.encrypted_oracle_priv_key:
            raise ErrApproveOracleUpgrade.wrap(
                "already approved oracle upgrade. if you want to be shared oracle private key again, "
                "please upgrade oracle again")
        upgrade.encrypted_oracle_priv_key = approval.encrypted_oracle_priv_key
        self.set_oracle_upgrade(ctx, upgrade)
        if ctx.height >= info.height:  # the BeginBlocker switch already ran: switch this oracle now
            self._switch_unique_id(ctx, upgrade.oracle_address, info.unique_id)
        ctx.emit(events.approve_upgrade(approval.target_oracle_address, info.unique_id))

    def _switch_unique_id(self, ctx: Context, address: str, unique_id: str) -> None:
        oracle = self.get_oracle(ctx, address)
        oracle.unique_id = unique_id
        self.set_oracle(ctx, oracle)

    # --- upgrade schedule (§3.10, §3.11) --------------------------------------------------------------
    def apply_upgrade_proposal(self, ctx: Context, proposal: proposal_pb2.OracleUpgradeProposal) -> None:
        if proposal.plan.height < ctx.height:
            raise ErrInvalidRequest.wrap("oracle upgrade cannot be scheduled in the past")
        self.set_oracle_upgrade_info(ctx, oracle_pb2.OracleUpgradeInfo(
            unique_id=proposal.plan.unique_id, height=proposal.plan.height))

    def apply_upgrade(self, ctx: Context, info: oracle_pb2.OracleUpgradeInfo) -> None:
        """Switch params and every approved upgrader to the new unique_id (the upgrade info stays)."""
        params = self.get_params(ctx)
        params.unique_id = info.unique_id
        self.set_params(ctx, params)
        approved = [u.oracle_address for u in (_decode(v, oracle_pb2.OracleUpgrade)
                                              for _k, v in self._iterate(ctx, upgrades_prefix(info.unique_id)))
                    if u.encrypted_oracle_priv_key]
        for address in approved:
            self._switch_unique_id(ctx, address, info.unique_id)

    def begin_block(self, ctx: Context) -> None:
        """Exact-height match only; errors propagate (the reference panics)."""
        info = self.find_oracle_upgrade_info(ctx)
        if info is not None and info.height > 0 and info.height == ctx.height:
            self.apply_upgrade(ctx, info)


def _amino_json_string(value_json: str, current: str) -> str:
    """Decode a param-change value (amino JSON of a Go string) like legacyAmino.UnmarshalJSON."""
    if not value_json:
        raise plain("UnmarshalJSON cannot decode empty bytes")
    try:
        value = json.loads(value_json)
    except json.JSONDecodeError:
        first = value_json.lstrip()[:1] or value_json[:1]
        raise plain(f"invalid character '{first}' looking for beginning of value") from None
    if value is None:
        return current  # encoding/json leaves a string untouched on null
    if not isinstance(value, str):
        kind = {bool: "bool", int: "number", float: "number", list: "array", dict: "object"}[type(value)]
        raise plain(f"json: cannot unmarshal {kind} into Go value of type string")
    return value
