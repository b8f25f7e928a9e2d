"""What the light client raises besides the transport's errors: an answer that does not verify."""

from __future__ import annotations

from panacea.client.errors import ChainClientError


class VerificationError(ChainClientError):
    """A header, commit, validator set or Merkle proof from the node does not verify (or is malformed): the node
    is faulty, lying, or on another chain. The read fails; nothing unverified is ever returned."""


class NotEnoughTrustError(VerificationError):
    """Less than the trust level of the trusted validators signed a header far ahead: skipping verification
    bisects (a header in between is verified first); to a caller it is a verification failure like any other."""


class TrustExpiredError(VerificationError):
    """The newest trusted header is older than the trust period: verification cannot continue from it, and the
    operator must give a new trusted block."""
