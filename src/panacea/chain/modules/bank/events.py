"""x/bank event types (SDK 0.45 ``x/bank/types/events.go``); attribute order is part of the API."""

from __future__ import annotations

from typing import Final

from panacea.chain.events import Event, module_message
from panacea.chain.modules.bank.keys import MODULE_NAME

COIN_SPENT: Final = "coin_spent"
COIN_RECEIVED: Final = "coin_received"
TRANSFER: Final = "transfer"

MODULE_MESSAGE: Final[Event] = module_message(MODULE_NAME)  # after MsgSend's transfer (a shared value)
