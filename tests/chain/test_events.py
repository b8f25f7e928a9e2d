"""ABCI event values and the one ``message{module=…}`` helper (exactly the attributes each msg server emits)."""

from __future__ import annotations

import pytest

from panacea.chain.events import Event, module_message
from panacea.chain.modules.bank.events import MODULE_MESSAGE as BANK
from panacea.chain.modules.datadeal.events import MODULE_MESSAGE as DATADEAL
from panacea.chain.modules.oracle.events import MODULE_MESSAGE as ORACLE


def test_module_message() -> None:
    assert module_message("bank") == Event("message", ("module", "bank"))
    gov = Event("message", ("module", "governance", "sender", "panacea1x"))
    assert module_message("governance", "panacea1x") == gov
    assert [Event.of("message", ("module", m)) for m in ("bank", "datadeal", "oracle")] == [BANK, DATADEAL, ORACLE]


def test_events_are_values() -> None:
    """Plain classes (natively compiled ``__init__``) with value semantics; immutability is static
    (``Final`` attributes, checked by mypy)."""
    e = Event("transfer", ("recipient", "r", "amount", "1umed"))
    same = Event.of("transfer", ("recipient", "r"), ("amount", "1umed"))
    assert e == same == Event.from_pairs("transfer", [("recipient", "r"), ("amount", "1umed")])
    assert hash(e) == hash(same) and e != Event("transfer", ()) and e != ("transfer",)
    assert e.attributes == (("recipient", "r"), ("amount", "1umed")) and Event("x", ()).attributes == ()
    assert repr(e) == "Event(type='transfer', attributes=(('recipient', 'r'), ('amount', '1umed')))"
    with pytest.raises(ValueError, match="event 'transfer': attributes must come in key, value pairs"):
        Event("transfer", ("recipient",))
