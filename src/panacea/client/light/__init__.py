"""Verified chain reads: a CometBFT light client and Merkle proofs against its headers' app hashes.

- ``verifier`` — the checks, without I/O: light blocks, commit signatures (ed25519 over CometBFT's vote sign
  bytes), sequential, skipping and backwards verification, the trust period;
- ``provider`` — light blocks from a node's JSON-RPC (``commit``, ``validators``, ``header``), as plans;
- ``store`` — the verified blocks, persisted (LMDB);
- ``client`` — :class:`LightClient`: the trusted state, its one lock, updates and bisection;
- ``reader`` — :class:`VerifiedQueries`: typed reads proven against the light client's newest header.

Errors: :class:`VerificationError` (and :class:`TrustExpiredError`) besides the transport's.
"""

from panacea.client.light.client import LightClient
from panacea.client.light.errors import NotEnoughTrustError, TrustExpiredError, VerificationError
from panacea.client.light.reader import VerifiedQueries, proven_value
from panacea.client.light.store import LightStore
from panacea.client.light.verifier import LightBlock, TrustOptions

__all__ = ["LightBlock", "LightClient", "LightStore", "NotEnoughTrustError", "TrustExpiredError", "TrustOptions",
           "VerificationError", "VerifiedQueries", "proven_value"]
