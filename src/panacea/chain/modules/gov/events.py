"""x/gov event types, attribute keys and values (SDK 0.45 ``types/events.go``)."""

from __future__ import annotations

SUBMIT_PROPOSAL = "submit_proposal"
PROPOSAL_DEPOSIT = "proposal_deposit"
PROPOSAL_VOTE = "proposal_vote"
INACTIVE_PROPOSAL = "inactive_proposal"
ACTIVE_PROPOSAL = "active_proposal"

PROPOSAL_ID = "proposal_id"
PROPOSAL_TYPE = "proposal_type"
PROPOSAL_RESULT = "proposal_result"
VOTING_PERIOD_START = "voting_period_start"
OPTION = "option"
AMOUNT = "amount"

CATEGORY = "governance"
DROPPED = "proposal_dropped"
PASSED = "proposal_passed"
REJECTED = "proposal_rejected"
FAILED = "proposal_failed"
