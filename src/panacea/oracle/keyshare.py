"""Receiving the shared oracle key (oracle-reference §4.3): the node key a joining oracle version creates, and
``DecryptAndStoreOraclePrivKey``, which opens what an approver encrypted for that node key and seals it.

The node key is per enclave: its public key and a report over SHA256(node_pub) go on chain (MsgRegisterOracle,
MsgUpgradeOracle); approvers encrypt the oracle key's scalar under SHA256(ECDH(oracle_priv, node_pub)), which
only this enclave can open, with SHA256(ECDH(node_priv, oracle_pub)).
"""

from __future__ import annotations

from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PublicKey
from panacea.oracle.enclave import Enclave, EnclaveKey
from panacea.oracle.errors import Category, EnclaveError, OracleError
from panacea.oracle.home import OracleHome
from panacea.oracle.interfaces import ChainReader

ORACLE_KEY_EXISTS = "the oracle private key already exists"
NODE_KEY_MISSING = "the node private key is not exists"
KEY_MISMATCH = ("the decrypted oracle private key does not belong to the chain's oracle public key "
                "(oracle_public_key param): the approval was not made with the shared oracle key")


def check_oracle_key_absent(home: OracleHome) -> None:
    """Step 1 of DecryptAndStoreOraclePrivKey; also checked before a registration or upgrade starts."""
    if home.oracle_priv_key_file.exists():
        raise OracleError(ORACLE_KEY_EXISTS, Category.CONFLICT)


def new_node_key(home: OracleHome, *, overwrite: bool) -> EnclaveKey:
    """A fresh node key, not yet sealed; an existing node key file is replaced only with ``overwrite``
    (the CLI asks first: it may belong to a registration still waiting for its approval)."""
    if home.node_priv_key_file.exists() and not overwrite:
        raise OracleError(f"{home.node_priv_key_file.name} already exists: it may be the node key of a pending "
                          "registration or upgrade; pass --yes to replace it", Category.CONFLICT)
    return EnclaveKey.generate()


def seal_node_key(home: OracleHome, enclave: Enclave, key: EnclaveKey) -> None:
    """Seal the node key to ``node_priv_key.sealed`` (0600), bound to this enclave version and machine."""
    home.seal_key(enclave, key, home.node_priv_key_file)


def node_key(home: OracleHome, enclave: Enclave) -> EnclaveKey:
    """The sealed node key (step 2 of DecryptAndStoreOraclePrivKey)."""
    path = home.node_priv_key_file
    if not path.is_file():
        raise OracleError(NODE_KEY_MISSING, Category.NOT_FOUND)
    try:
        return EnclaveKey.unseal(enclave, path.read_bytes())
    except EnclaveError:
        raise EnclaveError(f"failed to unseal {path.name} file") from None


def oracle_public_key(params_key_b64: str) -> PublicKey:
    """The chain param ``oracle_public_key`` (base64 of the compressed key) as a key."""
    if not params_key_b64:
        raise OracleError("the chain has no oracle public key (oracle_public_key param is empty)", Category.CONFLICT)
    try:
        return PublicKey.from_base64(params_key_b64)
    except (CryptoError, ValueError):
        raise OracleError("the chain's oracle_public_key param is not a secp256k1 public key") from None


def store_oracle_priv_key(home: OracleHome, enclave: Enclave, public_key: PublicKey, encrypted: bytes) -> EnclaveKey:
    """DecryptAndStoreOraclePrivKey with the chain's oracle public key already read: the reference checks in
    order, then decrypt, check the key is the chain's, seal to ``oracle_priv_key.sealed``."""
    check_oracle_key_absent(home)
    node = node_key(home, enclave)
    key = EnclaveKey.receive(node, public_key, encrypted)
    if key.public_key != public_key:
        raise EnclaveError(KEY_MISMATCH, Category.CONFLICT)
    home.seal_key(enclave, key, home.oracle_priv_key_file)
    return key


async def decrypt_and_store_oracle_priv_key(home: OracleHome, enclave: Enclave, chain: ChainReader,
                                            encrypted: bytes) -> EnclaveKey:
    """DecryptAndStoreOraclePrivKey (§4.3): the two file checks first, then the params read, then
    :func:`store_oracle_priv_key`."""
    check_oracle_key_absent(home)
    node_key(home, enclave)
    params = await chain.oracle_params()
    return store_oracle_priv_key(home, enclave, oracle_public_key(params.oracle_public_key), encrypted)
