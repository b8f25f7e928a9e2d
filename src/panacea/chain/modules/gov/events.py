"""x/gov event types, attribute keys and values (SDK 0.45 ``types/events.go``)."""

from __future__ import annotations

from typing import Final

SUBMIT_PROPOSAL: Final = "submit_proposal"
PROPOSAL_DEPOSIT: Final = "proposal_deposit"
PROPOSAL_VOTE: Final = "proposal_vote"
INACTIVE_PROPOSAL: Final = "inactive_proposal"
ACTIVE_PROPOSAL: Final = "active_proposal"

PROPOSAL_ID: Final = "proposal_id"
PROPOSAL_TYPE: Final = "proposal_type"
PROPOSAL_RESULT: Final = "proposal_result"
VOTING_PERIOD_START: Final = "voting_period_start"
OPTION: Final = "option"
AMOUNT: Final = "amount"

CATEGORY: Final = "governance"
DROPPED: Final = "proposal_dropped"
PASSED: Final = "proposal_passed"
REJECTED: Final = "proposal_rejected"
FAILED: Final = "proposal_failed"
