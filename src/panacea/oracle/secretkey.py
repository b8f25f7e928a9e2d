"""GetSecretKey (oracle-reference §3), steps 1-7 in order with the reference texts; step 8 (the JSON
``{"encrypted_secret_key": b64}``) is the HTTP layer's. Any oracle holding the shared key can answer.

Departure: an account without a public key is reported ("no pubkey registered to the account yet") instead
of failing later; the JWT check already requires one, so only the text differs.
"""

from __future__ import annotations

from panacea.crypto.errors import CryptoError
from panacea.crypto.keys import PublicKey
from panacea.oracle.enclave import EnclaveKey
from panacea.oracle.errors import Category, OracleError, require_caller
from panacea.oracle.interfaces import ChainReader, account_key


class SecretKeyService:
    """The GetSecretKey core: releases the per-deal-and-hash secret to the deal's consumer only."""

    def __init__(self, *, key: EnclaveKey, chain: ChainReader) -> None:
        self._key = key
        self._chain = chain

    async def encrypted_secret_key(self, deal_id: int, data_hash: str, caller: str | None) -> bytes:
        """AESGCM(SHA256(ECDH(oracle_priv, consumer_pub)), secret(deal_id, data_hash)), 60 bytes."""
        consumer = require_caller(caller)  # step 1
        try:  # step 2
            deal = await self._chain.deal(deal_id)
        except OracleError as e:
            raise e.wrap(f"failed to get deal({deal_id}): ") from None
        if consumer != deal.consumer_address:  # step 3
            raise OracleError("only consumer request secret key", Category.FORBIDDEN)
        try:  # step 4: a consent on chain proves the data was certified
            await self._chain.consent(deal_id, data_hash)
        except OracleError as e:
            raise e.wrap(f"failed to get consent(dealID: {deal_id}, dataHash {data_hash}). ") from None
        public_key = await self._consumer_key(consumer)  # step 5
        try:  # steps 6-7
            return self._key.encrypted_secret_key(deal_id, data_hash, public_key)
        except CryptoError as e:
            detail = str(e).split(": ", 1)[-1]
            raise OracleError(f"failed to decode dataHash({data_hash}). {detail}") from None

    async def _consumer_key(self, address: str) -> PublicKey:
        return await account_key(self._chain, address, failed="failed to get consumer account: ",
                                 missing="failed to get consumer account: no pubkey registered to the account yet",
                                 unparsable="failed to parse consumer public key: ")
