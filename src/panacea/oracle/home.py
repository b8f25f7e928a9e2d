"""The oracle home directory (oracle-reference §1.2), laid out for this issue and the life-cycle issue (12).

::

    <home>/                          --home, default ~/.oracle
      config.toml                    0600, panacea.oracle.config
      keyring-file/ | keyring-test/  the oracle *account* key (panacea.client.keyring; or ORACLE_MNEMONIC)
      enclave/attestation_key        simulated backend: the local attestation (quoting) key, 0600
      enclave/machine_secret         simulated backend: the per-machine sealing secret, 0600
      oracle_priv_key.sealed         the shared oracle key, sealed to this enclave version + machine
      oracle_pub_key.json            {"public_key_base64", "remote_report_base64"} (gen-oracle-key, 0644)
      node_priv_key.sealed           issue 12: the per-enclave node key (register-oracle / upgrade-oracle)
      schemas/                       the schema registry (panacea.oracle.schemas)
      data/                          data-dir: LMDB stores shared by HTTP workers (replay cache, rate limit),
                                     issue 12: follower state (last processed height), light-client/
      data/trust_root.json           issue 12: the trusted block {"height", "hash"} given to gen-oracle-key,
                                     register-oracle or upgrade-oracle (the light client's root of trust)

File names in config.toml may be changed; relative names are joined to the home.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from panacea.crypto.errors import CryptoError
from panacea.crypto.hd import derive_private_key, validate_mnemonic
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.oracle.config import OracleConfig, from_toml, to_toml, trusted_attestation_keys
from panacea.oracle.enclave import Enclave, EnclaveKey, SimulatedEnclave
from panacea.oracle.errors import ConfigError, EnclaveError, OracleError

MNEMONIC_ENV = "ORACLE_MNEMONIC"
DEFAULT_HOME = Path("~/.oracle").expanduser()


def write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Write atomically (temp file, fsync, rename) with ``mode`` from the start."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


class OracleHome:
    """Paths and files of one oracle home; ``config`` is read once, on first use."""

    def __init__(self, root: str | Path, config: OracleConfig | None = None) -> None:
        self.root = Path(root).expanduser()
        self._config: OracleConfig | None = config  # given: used instead of config.toml (tests, one-off runs)

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def schemas_dir(self) -> Path:
        return self.root / "schemas"

    @property
    def config(self) -> OracleConfig:
        """The parsed config.toml (ConfigError naming the key when a value is bad)."""
        if self._config is None:
            if not self.config_file.is_file():
                raise ConfigError(f"no config.toml in {self.root}: run oracled init")
            self._config = from_toml(self.config_file.read_text())
        return self._config

    def file(self, configured: str) -> Path:
        """A path from config.toml, resolved against the home."""
        return OracleConfig.path(self.root, configured)

    @property
    def data_dir(self) -> Path:
        return self.file(self.config.data_dir)

    @property
    def oracle_priv_key_file(self) -> Path:
        return self.file(self.config.oracle_priv_key_file)

    @property
    def oracle_pub_key_file(self) -> Path:
        return self.file(self.config.oracle_pub_key_file)

    @property
    def node_priv_key_file(self) -> Path:
        return self.file(self.config.node_priv_key_file)

    @property
    def trust_root_file(self) -> Path:
        return self.data_dir / "trust_root.json"

    def write_trust_root(self, height: int, block_hash: bytes) -> None:
        """Record the trusted block (height, hash) the light client starts from (0644: it is public)."""
        if height <= 0 or len(block_hash) != 32:
            raise OracleError("invalid trusted block: the height must be positive and the hash 32 bytes (64 hex)")
        doc = {"height": str(height), "hash": block_hash.hex().upper()}
        write_private(self.trust_root_file, (json.dumps(doc) + "\n").encode(), 0o644)

    def trust_root(self) -> tuple[int, bytes] | None:
        """The recorded trusted block (height, hash), None when none was given."""
        try:
            doc = json.loads(self.trust_root_file.read_text())
            return int(doc["height"]), bytes.fromhex(doc["hash"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            raise ConfigError(f"{self.trust_root_file.name} is unreadable: give the trusted block again") from None

    def init(self, config: OracleConfig) -> None:
        """Create the home, ``data/`` and config.toml (0600); refuses a home that already has a config."""
        if self.config_file.exists():
            raise OracleError(f"home dir({self.root}) already exists")
        self.root.mkdir(parents=True, exist_ok=True)
        write_private(self.config_file, to_toml(config).encode())
        self._config = config
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.schemas_dir.mkdir(parents=True, exist_ok=True)

    def _secret_file(self, configured: str, make: bytes) -> bytes:
        path = self.file(configured)
        if not path.exists():
            write_private(path, make)
        return path.read_bytes()

    def open_enclave(self) -> Enclave:
        """The configured enclave backend; the simulated one creates its key and secret on first use."""
        cfg = self.config.enclave
        if cfg.backend != "simulated":  # unreachable: config.check admits only the backends listed there
            raise ConfigError(f"invalid config enclave.backend: {cfg.backend!r} is not available")
        attestation = self._secret_file(cfg.attestation_key_file, PrivateKey.generate().secret)
        secret = self._secret_file(cfg.machine_secret_file, os.urandom(32))
        try:
            key = PrivateKey(attestation)
        except CryptoError:
            raise ConfigError("invalid config enclave.attestation-key-file: not a secp256k1 key") from None
        return SimulatedEnclave(key, secret, trusted_attestation_keys=trusted_attestation_keys(self.config))

    def seal_key(self, enclave: Enclave, key: EnclaveKey, path: Path) -> None:
        """Seal ``key`` to ``path`` (0600: only the oracle's user reads sealed files)."""
        write_private(path, key.seal(enclave))

    def oracle_key(self, enclave: Enclave) -> EnclaveKey:
        """The shared oracle key, unsealed (service construction step 2 of §1.1)."""
        path = self.oracle_priv_key_file
        if not path.is_file():
            raise EnclaveError("the oracle private key is not exists: run oracled gen-oracle-key (genesis oracle)")
        try:
            return EnclaveKey.unseal(enclave, path.read_bytes())
        except EnclaveError:
            raise EnclaveError(f"failed to unseal {path.name} file") from None

    def write_oracle_pub_key(self, public_key: PublicKey, report: bytes) -> None:
        """``oracle_pub_key.json`` as ``panacead genesis add-genesis-oracle --oracle-key-file`` reads it."""
        doc = {"public_key_base64": public_key.to_base64(),
               "remote_report_base64": base64.b64encode(report).decode()}
        write_private(self.oracle_pub_key_file, (json.dumps(doc, indent=2) + "\n").encode(), 0o644)

    def oracle_account(self) -> PrivateKey:
        """The account that signs txs and is named in certificates: ORACLE_MNEMONIC, else the keyring."""
        cfg = self.config
        mnemonic = os.environ.get(MNEMONIC_ENV)
        if mnemonic is not None:
            if not mnemonic.strip():
                raise ConfigError("mnemonic is empty")
            try:
                validate_mnemonic(mnemonic)
            except (CryptoError, ValueError):
                raise ConfigError("invalid mnemonic") from None
            return derive_private_key(mnemonic, cfg.oracle_acc_num, cfg.oracle_acc_index)
        from panacea.client.keyring import Keyring, KeyringError

        try:
            return Keyring(self.root, cfg.keyring_backend).private_key(cfg.oracle_key_name)
        except KeyringError as e:
            raise ConfigError(f"no oracle account: set {MNEMONIC_ENV} or add key {cfg.oracle_key_name!r} to the "
                              f"{cfg.keyring_backend} keyring of this home ({e})") from None
