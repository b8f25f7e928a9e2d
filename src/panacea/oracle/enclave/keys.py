"""Keys that never leave the enclave object: the shared oracle key and the per-enclave node key
(oracle-reference §4.3). An :class:`EnclaveKey` exposes operations, never its scalar; the only way its
bytes leave is sealed (``seal``) or encrypted to another enclave's node key (``share_with``).
"""

from __future__ import annotations

from panacea.crypto import aes, jwt
from panacea.crypto.ecdh import shared_key
from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PrivateKey, PublicKey
from panacea.crypto.secret import consumer_secret_key
from panacea.crypto.signature import SignatureMode, sign_message
from panacea.oracle.enclave.base import Enclave
from panacea.oracle.errors import EnclaveError

_SCALAR_SIZE = 32


class EnclaveKey:
    """A secp256k1 key held inside the enclave; repr, pickling and str never show the scalar."""

    __slots__ = ("__key", "public_key")

    def __init__(self, key: PrivateKey) -> None:
        self.__key = key
        self.public_key: PublicKey = key.public_key()

    def __repr__(self) -> str:
        return f"EnclaveKey(public_key={self.public_key.to_base64()})"

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("an enclave key cannot be pickled")

    @classmethod
    def generate(cls) -> EnclaveKey:
        """A fresh key from the OS CSPRNG (gen-oracle-key, register-oracle)."""
        return cls(PrivateKey.generate())

    @classmethod
    def unseal(cls, enclave: Enclave, sealed: bytes) -> EnclaveKey:
        """The key from a file ``seal`` wrote with the same enclave version on this machine."""
        scalar = enclave.unseal(sealed)
        try:
            return cls(PrivateKey(scalar))
        except CryptoError:
            raise EnclaveError("the sealed file does not hold a secp256k1 key") from None

    @classmethod
    def receive(cls, node_key: EnclaveKey, oracle_public_key: PublicKey, encrypted: bytes) -> EnclaveKey:
        """The shared oracle key sent by an approver: AESGCM(SHA256(ECDH(node_priv, oracle_pub)), priv32)."""
        try:
            return cls(PrivateKey(node_key.decrypt_from(oracle_public_key, encrypted)))
        except CryptoError:
            raise EnclaveError("failed to decrypt the oracle private key") from None

    def seal(self, enclave: Enclave) -> bytes:
        """The 32-byte scalar sealed to this enclave version and machine (the ``*.sealed`` files)."""
        return enclave.seal(self.__key.secret)

    def share_with(self, node_public_key: PublicKey) -> bytes:
        """The scalar encrypted for a new enclave's node key (MsgApproveOracle*, 60 bytes, §2.1)."""
        return aes.encrypt(shared_key(self.__key, node_public_key), self.__key.secret.rjust(_SCALAR_SIZE, b"\0"))

    def decrypt_from(self, peer: PublicKey, container: bytes) -> bytes:
        """Open ``AESGCM(SHA256(ECDH(peer_priv, our_pub)), data)`` (provider data, key sharing)."""
        return aes.decrypt(shared_key(self.__key, peer), container)

    def encrypt_for(self, peer: PublicKey, plaintext: bytes) -> bytes:
        """``AESGCM(SHA256(ECDH(our_priv, peer_pub)), plaintext)``, random nonce, no AAD."""
        return aes.encrypt(shared_key(self.__key, peer), plaintext)

    def encrypt_for_deal(self, deal_id: int, data_hash_hex: str, plaintext: bytes) -> bytes:
        """The consumer-storage ciphertext: AESGCM(secret(deal, hash), raw data) (§2 step 11), with a synthetic
        nonce so the same data resubmitted is the same object (the upload is idempotent; Departure: the
        reference draws a random nonce)."""
        return aes.encrypt_deterministic(consumer_secret_key(self.__key, deal_id, data_hash_hex), plaintext)

    def encrypted_secret_key(self, deal_id: int, data_hash_hex: str, consumer: PublicKey) -> bytes:
        """The per-deal-and-hash secret, encrypted for the consumer (GetSecretKey, §3 steps 6-7)."""
        return self.encrypt_for(consumer, consumer_secret_key(self.__key, deal_id, data_hash_hex))

    def sign(self, message: bytes, mode: SignatureMode) -> bytes:
        """DER ECDSA over a certificate or approval encoding, digest by the chain's signature mode."""
        return sign_message(self.__key, message, mode)

    def issue_jwt(self, issuer: str, duration_ns: int, *, now: int | None = None, audience: str | None = None,
                  jti: str | None = None) -> str:
        """An ES256K bearer token signed with this key (the consumer-service upload, §2.6)."""
        return jwt.issue(self.__key, duration_ns, now=now, issuer=issuer, audience=audience, jti=jti)
