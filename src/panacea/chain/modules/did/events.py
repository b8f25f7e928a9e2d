"""x/did events: none of its own (did-reference §1 "Services"). Its msgs go through the legacy router, so the only
message event is baseapp's ``message{action=create_did|update_did|deactivate_did}``, which the app's routes add."""

from __future__ import annotations

from typing import Final

ACTION_CREATE: Final = "create_did"
ACTION_UPDATE: Final = "update_did"
ACTION_DEACTIVATE: Final = "deactivate_did"
