"""The consumer service home and its ``config.toml`` (issue 11; the reference's three flags of §7, extended).

Home layout: ``config.toml``, ``data/`` (filesystem objects, ``storage.data-dir``), ``store/`` (the LMDB state
the worker processes share: the JWT replay cache). Relative paths in the config are joined to the home.
Departure from §7: a config file instead of required flags, the node's RPC address instead of gRPC.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final

import tomlkit

from panacea.consumer.storage.s3 import S3Settings

CONFIG_FILE: Final = "config.toml"
DEFAULT_HOME: Final = os.path.join(os.path.expanduser("~"), ".consumerd")
BACKENDS: Final = ("filesystem", "s3")
S3_SECRET_ENV: Final = "CONSUMERD_S3_SECRET_ACCESS_KEY"
S3_KEY_ENV: Final = "CONSUMERD_S3_ACCESS_KEY_ID"


@dataclass(frozen=True)
class ConsumerConfig:
    """Every setting of ``consumerd``; field names are the TOML keys with ``-`` as ``_``."""

    listen_addr: str = "127.0.0.1:8090"
    workers: int = 1
    node: str = "tcp://127.0.0.1:26657"
    chain_refresh_seconds: float = 1.0
    chain_timeout_seconds: float = 10.0
    backend: str = "filesystem"
    data_dir: str = "data"
    s3_bucket: str = ""
    s3_endpoint: str = ""
    s3_region: str = "us-east-1"
    s3_prefix: str = ""
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    max_upload_bytes: int = 32 * 1024 * 1024
    max_page_size: int = 1000
    jwt_legacy: bool = False
    jwt_max_lifetime_seconds: int = 300
    jwt_audience: str = ""

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ValueError(f"storage.backend must be one of {', '.join(BACKENDS)}, not {self.backend!r}")
        for name in ("workers", "max_upload_bytes", "max_page_size", "jwt_max_lifetime_seconds"):
            if getattr(self, name) < (0 if name == "workers" else 1):
                raise ValueError(f"{_toml_name(name)} must be positive")
        host, sep, port = self.listen_addr.rpartition(":")
        if not sep or not host or not port.isdigit() or int(port) > 65535:
            raise ValueError(f"server.listen-addr must be HOST:PORT, not {self.listen_addr!r}")
        if self.backend == "s3" and not (self.s3_bucket and self.s3_endpoint):
            raise ValueError("storage.s3 needs bucket and endpoint")

    @property
    def host(self) -> str:
        return self.listen_addr.rpartition(":")[0].strip("[]")

    @property
    def port(self) -> int:
        return int(self.listen_addr.rpartition(":")[2])

    def s3_settings(self) -> S3Settings:
        """The S3 backend's settings; the environment may supply the credentials instead of the file."""
        return S3Settings(self.s3_bucket, self.s3_endpoint, os.environ.get(S3_KEY_ENV, self.s3_access_key_id),
                          os.environ.get(S3_SECRET_ENV, self.s3_secret_access_key), self.s3_region, self.s3_prefix,
                          self.chain_timeout_seconds)


# (section, key) → (field, comment): the one place the file's layout is spelled.
_LAYOUT: Final[dict[tuple[str, str], tuple[str, str]]] = {
    ("server", "listen-addr"): ("listen_addr", "HOST:PORT the HTTP API listens on"),
    ("server", "workers"): ("workers", "worker processes; 0 = one per CPU core"),
    ("chain", "node"): ("node", "the Panacea node's CometBFT RPC address"),
    ("chain", "refresh-seconds"): ("chain_refresh_seconds", "how often the latest height is read (cache key)"),
    ("chain", "timeout-seconds"): ("chain_timeout_seconds", "timeout of one chain or S3 request"),
    ("storage", "backend"): ("backend", "filesystem or s3"),
    ("storage", "data-dir"): ("data_dir", "filesystem backend: directory of objects (relative: in the home)"),
    ("storage.s3", "bucket"): ("s3_bucket", "s3 backend: bucket (must exist)"),
    ("storage.s3", "endpoint"): ("s3_endpoint", "s3 backend: endpoint URL, e.g. http://127.0.0.1:9000"),
    ("storage.s3", "region"): ("s3_region", "s3 backend: region"),
    ("storage.s3", "prefix"): ("s3_prefix", "s3 backend: key prefix, e.g. consumer/"),
    ("storage.s3", "access-key-id"): ("s3_access_key_id", f"s3 backend: access key (or env {S3_KEY_ENV})"),
    ("storage.s3", "secret-access-key"): ("s3_secret_access_key", f"s3 backend: secret (or env {S3_SECRET_ENV})"),
    ("limits", "max-upload-bytes"): ("max_upload_bytes", "largest upload accepted (413 past it)"),
    ("limits", "max-page-size"): ("max_page_size", "largest page of a listing"),
    ("jwt", "legacy"): ("jwt_legacy", "accept reference tokens: no jti, any lifetime"),
    ("jwt", "max-lifetime-seconds"): ("jwt_max_lifetime_seconds", "longest token lifetime accepted (exp - iat)"),
    ("jwt", "audience"): ("jwt_audience", "this service's identity; a token with aud must name it"),
}
_TYPES: Final = {f.name: f.type for f in fields(ConsumerConfig)}


def _toml_name(field_name: str) -> str:
    return next(f"{s}.{k}" for (s, k), (name, _) in _LAYOUT.items() if name == field_name)


def _lookup(doc: dict[str, Any], section: str) -> dict[str, Any]:
    table: Any = doc
    for part in section.split("."):
        table = table.get(part, {}) if isinstance(table, dict) else {}
    return table if isinstance(table, dict) else {}


def load_config(home: Path) -> ConsumerConfig:
    """The home's config; a missing file, bad TOML, an unknown type or value is a ValueError about the file."""
    path = home / CONFIG_FILE
    try:
        doc = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ValueError(f"no {CONFIG_FILE} in {home} (run `consumerd init` first)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: {e}") from None
    values: dict[str, object] = {}
    for (section, key), (name, _) in _LAYOUT.items():
        table = _lookup(doc, section)
        if key not in table:
            continue
        value, want = table[key], str(_TYPES[name])
        if want == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value).__name__ != want:
            raise ValueError(f"{path}: {section}.{key} must be a {want}")
        values[name] = value
    try:
        return ConsumerConfig(**values)  # type: ignore[arg-type]
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None


def write_config(home: Path, config: ConsumerConfig) -> Path:
    """Write every setting with its comment (tomlkit), so the file documents itself."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment("consumerd settings (panacea.consumer.config; docs/consumer.md)"))
    tables: dict[str, Any] = {}
    for (section, key), (name, comment) in _LAYOUT.items():
        if section not in tables:
            tables[section] = tomlkit.table(is_super_table=False)
            if "." in section:
                parent, child = section.split(".")
                tables[parent].add(child, tables[section])
            else:
                doc.add(tomlkit.nl())
                doc.add(section, tables[section])
        tables[section].add(key, tomlkit.item(getattr(config, name)).comment(comment))
    home.mkdir(parents=True, exist_ok=True)
    path = home / CONFIG_FILE
    path.write_text(tomlkit.dumps(doc))
    os.chmod(path, 0o600)
    return path


def data_path(home: Path, config: ConsumerConfig) -> Path:
    """The filesystem backend's directory (relative ``data-dir`` joined to the home, §8 TestConfigAbsPath)."""
    return home / config.data_dir if not os.path.isabs(config.data_dir) else Path(config.data_dir)


def store_path(home: Path) -> Path:
    """The LMDB state the worker processes share."""
    return home / "store"
