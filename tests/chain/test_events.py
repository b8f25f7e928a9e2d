"""The one ``message{module=…}`` helper: exactly the attributes each msg server emits."""

from __future__ import annotations

from panacea.chain.events import Event, module_message
from panacea.chain.modules.bank.events import MODULE_MESSAGE as BANK
from panacea.chain.modules.datadeal.events import MODULE_MESSAGE as DATADEAL
from panacea.chain.modules.oracle.events import MODULE_MESSAGE as ORACLE


def test_module_message() -> None:
    assert module_message("bank") == Event("message", ("module", "bank"))
    gov = Event("message", ("module", "governance", "sender", "panacea1x"))
    assert module_message("governance", "panacea1x") == gov
    assert [Event.of("message", ("module", m)) for m in ("bank", "datadeal", "oracle")] == [BANK, DATADEAL, ORACLE]
