"""x/datadeal events (spec §2.10): the module's own ``message{module=datadeal}``; the reward and refund
transfers are bank's events."""

from __future__ import annotations

from typing import Final

from panacea.chain.events import Event, module_message
from panacea.chain.modules.datadeal.keys import MODULE_NAME

MODULE_MESSAGE: Final[Event] = module_message(MODULE_NAME)  # a value: one shared instance
