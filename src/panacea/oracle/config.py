"""``config.toml`` of the oracle home (oracle-reference §1.3, adapted for this port).

Adapted from the reference: ``panacea.rpc-addr`` is the node's JSON-RPC (no chain gRPC); no mnemonic is
stored (the oracle account comes from ``ORACLE_MNEMONIC`` or the home's keyring, key ``oracle-key-name``);
the gRPC server settings are gone (HTTP only) while ``api.*`` keeps the limits; new sections ``[schemas]``
(registry fetch policy), ``[ssrf]`` (allow-list), ``[jwt]`` (secure profile), ``[enclave]`` (backend).
Durations are Go strings (``5s``, ``2m``). Written with tomlkit (comments kept), read with tomllib; every bad
value is a one-line :class:`ConfigError` naming its key.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import tomlkit

from panacea.crypto.errors import CryptoError
from panacea.crypto.jwt import parse_go_duration
from panacea.crypto.keys import PublicKey
from panacea.oracle.errors import ConfigError

_NS = 1_000_000_000
_UNITS = (("h", 3600 * _NS), ("m", 60 * _NS), ("s", _NS), ("ms", 1_000_000), ("us", 1_000), ("ns", 1))
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_-]{1,63})*\.?$")
LOG_LEVELS = ("debug", "info", "warn", "error")
BACKENDS = ("simulated",)
KEYRING_BACKENDS = ("file", "test")
VERIFICATIONS = ("light-client", "trusted")


class Duration(int):
    """Nanoseconds, written as the shortest exact Go duration string."""

    def __str__(self) -> str:
        if self == 0:
            return "0s"
        for unit, size in _UNITS:
            if self % size == 0:
                return f"{self // size}{unit}"
        return f"{int(self)}ns"  # unreachable: 1 ns divides everything

    @property
    def seconds(self) -> float:
        """The duration in seconds (for asyncio and aiohttp timeouts)."""
        return self / _NS


def seconds(n: int) -> Duration:
    """A Duration of ``n`` whole seconds."""
    return Duration(n * _NS)


_S5 = seconds(5)
_S15 = seconds(15)
_S20 = seconds(20)
_S60 = seconds(60)
_S300 = seconds(300)
_TRUST_PERIOD = seconds(14 * 24 * 3600)  # 2 weeks, written "336h" (oracle-reference §6, #96)


@dataclass(frozen=True)
class ChainSection:
    """``[panacea]``: how the oracle reaches the chain (through panacea.client) and whether it verifies its reads."""

    chain_id: str = ""
    rpc_addr: str = "tcp://127.0.0.1:26657"
    default_gas_limit: int = 400000
    default_fee_amount: str = "2000000umed"
    light_client_primary_addr: str = "tcp://127.0.0.1:26657"
    light_client_witness_addrs: tuple[str, ...] = ("tcp://127.0.0.1:26657",)
    verification: str = "light-client"  # or "trusted" (development: the node's answers are not verified)
    trust_period: Duration = _TRUST_PERIOD


@dataclass(frozen=True)
class ApiSection:
    """``[api]``: the HTTP server (workers 0 = one per core; one caller gets at most its percent of the rate)."""

    enabled: bool = True
    listen_addr: str = "127.0.0.1:8080"
    workers: int = 0
    max_connections: int = 50
    max_request_body_size: int = 1048576
    read_timeout: Duration = _S15
    write_timeout: Duration = _S60
    rate_limits: int = 100
    rate_limit_wait_timeout: Duration = _S5
    rate_limit_caller_percent: int = 50


@dataclass(frozen=True)
class ConsumerSection:
    """``[consumer]``: the upload to the deal's consumer service (per-attempt timeout, total retry budget)."""

    timeout: Duration = _S5
    upload_deadline: Duration = _S20


@dataclass(frozen=True)
class SchemasSection:
    """``[schemas]``: the schema registry's fetch policy (fetch = false: offline-only)."""

    fetch: bool = True
    max_size: int = 1048576
    timeout: Duration = _S5


@dataclass(frozen=True)
class SsrfSection:
    """``[ssrf]``: CIDRs and host names outbound requests may reach although private/loopback/reserved."""

    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class JwtSection:
    """``[jwt]``: the secure profile (exp required, lifetime bounded, jti replay) unless legacy-jwt."""

    legacy_jwt: bool = False
    max_lifetime: Duration = _S300


@dataclass(frozen=True)
class FollowerSection:
    """``[follower]``: the event follower in ``oracled start`` (approves registrations and upgrades)."""

    enabled: bool = True
    max_attempts: int = 3
    start_height: int = 0


@dataclass(frozen=True)
class EnclaveSection:
    """``[enclave]``: the backend and, for the simulated one, its attestation key and machine secret."""

    backend: str = "simulated"
    attestation_key_file: str = "enclave/attestation_key"
    machine_secret_file: str = "enclave/machine_secret"
    trusted_attestation_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class OracleConfig:
    """The whole config.toml; relative file paths are joined to the home by :meth:`path`."""

    log_level: str = "info"
    oracle_key_name: str = "oracle"
    keyring_backend: str = "file"
    oracle_acc_num: int = 0
    oracle_acc_index: int = 0
    data_dir: str = "data"
    oracle_priv_key_file: str = "oracle_priv_key.sealed"
    oracle_pub_key_file: str = "oracle_pub_key.json"
    node_priv_key_file: str = "node_priv_key.sealed"
    panacea: ChainSection = field(default_factory=ChainSection)
    api: ApiSection = field(default_factory=ApiSection)
    consumer: ConsumerSection = field(default_factory=ConsumerSection)
    schemas: SchemasSection = field(default_factory=SchemasSection)
    ssrf: SsrfSection = field(default_factory=SsrfSection)
    jwt: JwtSection = field(default_factory=JwtSection)
    follower: FollowerSection = field(default_factory=FollowerSection)
    enclave: EnclaveSection = field(default_factory=EnclaveSection)

    @staticmethod
    def path(home: Path, value: str) -> Path:
        """A configured file path: relative → joined to the home, absolute → kept (TestConfigAbsPath)."""
        p = Path(value)
        return p if p.is_absolute() else home / p


_SECTIONS = ("panacea", "api", "consumer", "schemas", "ssrf", "jwt", "follower", "enclave")


def _toml_key(name: str) -> str:
    return name.replace("_", "-")


def _scalar_fields(obj: Any) -> list[tuple[str, Any]]:
    return [(f.name, getattr(obj, f.name)) for f in fields(obj) if f.name not in _SECTIONS]


def to_toml(config: OracleConfig) -> str:
    """The config.toml text for ``config`` (the template: one comment per section)."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment("Panacea oracle settings (panacea.oracle.config; docs/oracle.md lists every key)"))
    doc.add(tomlkit.comment("No mnemonic here: the oracle account comes from ORACLE_MNEMONIC or the keyring."))
    for name, value in _scalar_fields(config):
        doc[_toml_key(name)] = _to_toml_value(value)
    for section in _SECTIONS:
        obj = getattr(config, section)
        table = tomlkit.table()
        table.comment((type(obj).__doc__ or "").split(":", 1)[-1].strip())
        for name, value in _scalar_fields(obj):
            table[_toml_key(name)] = _to_toml_value(value)
        doc.add(tomlkit.nl())
        doc[section] = table
    return tomlkit.dumps(doc)


def _to_toml_value(value: object) -> object:
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def from_toml(text: str) -> OracleConfig:
    """Parse and check config.toml text; unknown keys and bad values are ConfigErrors naming the key."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"config.toml is not valid TOML: {e}") from None
    default = OracleConfig()
    top = _read_table(default, {k: v for k, v in doc.items() if k not in _SECTIONS}, "")
    sections: dict[str, Any] = {}
    for section in _SECTIONS:
        table = doc.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"invalid config {section}: must be a table")
        base = getattr(default, section)
        sections[section] = replace(base, **_read_table(base, table, f"{section}."))
    config = replace(default, **top, **sections)
    check(config)
    return config


def _read_table(default: Any, table: dict[str, Any], prefix: str) -> dict[str, Any]:
    known = {_toml_key(name): (name, value) for name, value in _scalar_fields(default)}
    out: dict[str, Any] = {}
    for key, raw in table.items():
        if key not in known:
            raise ConfigError(f"unknown config key {prefix}{key}")
        name, default_value = known[key]
        out[name] = _coerce(raw, default_value, f"{prefix}{key}")
    return out


def _coerce(raw: object, default: object, key: str) -> object:
    if isinstance(default, Duration):
        if not isinstance(raw, str):
            raise ConfigError(f'invalid config {key}: must be a duration string like "5s"')
        try:
            ns = parse_go_duration(raw)
        except CryptoError:
            raise ConfigError(f"invalid config {key}: {raw!r} is not a duration") from None
        if ns <= 0:
            raise ConfigError(f"invalid config {key}: must be positive")
        return Duration(ns)
    if isinstance(default, tuple):
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise ConfigError(f"invalid config {key}: must be a list of strings")
        return tuple(raw)
    want = type(default)
    if not isinstance(raw, want) or (want is int and isinstance(raw, bool)):
        raise ConfigError(f"invalid config {key}: must be a {_TYPE_NAMES[want]}")
    return raw


_TYPE_NAMES: dict[type, str] = {str: "string", int: "integer", bool: "boolean"}


def _require(ok: bool, key: str, problem: str) -> None:
    if not ok:
        raise ConfigError(f"invalid config {key}: {problem}")


def check(config: OracleConfig) -> None:
    """Value checks beyond types (ranges, choices, address forms)."""
    _require(config.log_level in LOG_LEVELS, "log-level", f"must be one of {', '.join(LOG_LEVELS)}")
    _require(config.keyring_backend in KEYRING_BACKENDS, "keyring-backend", "must be file or test")
    _require(bool(config.oracle_key_name), "oracle-key-name", "must not be empty")
    for name in ("oracle_acc_num", "oracle_acc_index"):
        _require(0 <= getattr(config, name) < 2**31, _toml_key(name), "must be in [0, 2^31)")
    for name in ("data_dir", "oracle_priv_key_file", "oracle_pub_key_file", "node_priv_key_file"):
        _require(bool(getattr(config, name)), _toml_key(name), "must not be empty")
    chain = config.panacea
    for key, addr in (("rpc-addr", chain.rpc_addr), ("light-client-primary-addr", chain.light_client_primary_addr)):
        _require(re.fullmatch(r"(tcp|http|https)://[^/\s]+/?", addr) is not None, f"panacea.{key}",
                 "must be tcp://, http:// or https:// host:port")
    _require(chain.default_gas_limit > 0, "panacea.default-gas-limit", "must be positive")
    _require(chain.verification in VERIFICATIONS, "panacea.verification",
             f"must be one of {', '.join(VERIFICATIONS)}")
    _require(re.fullmatch(r"[0-9]+umed", chain.default_fee_amount) is not None, "panacea.default-fee-amount",
             'must be an amount of umed like "2000000umed"')
    api = config.api
    _require(re.fullmatch(r"[^\s:]*:[0-9]{1,5}", api.listen_addr) is not None, "api.listen-addr", "must be host:port")
    _require(0 <= api.workers <= 256, "api.workers", "must be in [0, 256] (0 = one per core)")
    for key in ("max_connections", "max_request_body_size", "rate_limits"):
        _require(getattr(api, key) > 0, f"api.{_toml_key(key)}", "must be positive")
    _require(1 <= api.rate_limit_caller_percent <= 100, "api.rate-limit-caller-percent", "must be in [1, 100]")
    _require(config.schemas.max_size > 0, "schemas.max-size", "must be positive")
    for entry in config.ssrf.allow:
        _require(_allow_entry_ok(entry), "ssrf.allow", f"{entry!r} is neither an IP network nor a host name")
    _require(1 <= config.follower.max_attempts <= 100, "follower.max-attempts", "must be in [1, 100]")
    _require(config.follower.start_height >= 0, "follower.start-height", "must not be negative (0: resume)")
    _require(config.enclave.backend in BACKENDS, "enclave.backend", f"must be one of {', '.join(BACKENDS)}")
    for key_b64 in config.enclave.trusted_attestation_keys:
        _require(_pubkey_ok(key_b64), "enclave.trusted-attestation-keys",
                 "each entry must be a base64 compressed secp256k1 public key")


def _allow_entry_ok(entry: str) -> bool:
    try:
        ipaddress.ip_network(entry, strict=False)
        return True
    except ValueError:
        return _HOST.fullmatch(entry) is not None


def _pubkey_ok(key_b64: str) -> bool:
    try:
        PublicKey(base64.b64decode(key_b64, validate=True))
        return True
    except (binascii.Error, CryptoError):
        return False


def trusted_attestation_keys(config: OracleConfig) -> list[PublicKey]:
    """The configured attestation public keys (checked by :func:`check`)."""
    return [PublicKey(base64.b64decode(k)) for k in config.enclave.trusted_attestation_keys]
