"""x/gov error registry (codespace ``gov``, SDK 0.45 codes) plus the x/params proposal errors it raises."""

from __future__ import annotations

from typing import Final

from panacea.chain.errors import ChainError, ErrUnauthorized, register
from panacea.types.grpc_status import INVALID_ARGUMENT, NOT_FOUND

CODESPACE: Final = "gov"

ErrUnknownProposal = register(CODESPACE, 2, "unknown proposal", grpc=NOT_FOUND)
ErrInactiveProposal = register(CODESPACE, 3, "inactive proposal")
ErrAlreadyActiveProposal = register(CODESPACE, 4, "proposal already active")
ErrInvalidProposalContent = register(CODESPACE, 5, "invalid proposal content")
ErrInvalidProposalType = register(CODESPACE, 6, "invalid proposal type")
ErrInvalidVote = register(CODESPACE, 7, "invalid vote option")
ErrInvalidGenesis = register(CODESPACE, 8, "invalid genesis state")
ErrNoProposalHandlerExists = register(CODESPACE, 9, "no handler exists for proposal type")

# x/params (there is no params module here; gov executes ParameterChangeProposal itself).
PARAMS_CODESPACE: Final = "params"
ErrUnknownSubspace = register(PARAMS_CODESPACE, 2, "unknown subspace", grpc=INVALID_ARGUMENT)
ErrSettingParameter = register(PARAMS_CODESPACE, 3, "failed to set parameter")
ErrEmptyChanges = register(PARAMS_CODESPACE, 4, "submitted parameter changes are empty")
ErrEmptySubspace = register(PARAMS_CODESPACE, 5, "parameter subspace is empty")
ErrEmptyKey = register(PARAMS_CODESPACE, 6, "parameter key is empty")
ErrEmptyValue = register(PARAMS_CODESPACE, 7, "parameter value is empty")


def not_validator(voter: str) -> ChainError:
    """Departure: only the genesis validator set votes (there is no staking module)."""
    return ErrUnauthorized.wrap(f"voter {voter} is not a validator")
