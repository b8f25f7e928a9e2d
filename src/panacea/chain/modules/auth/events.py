"""x/auth emits no events of its own: the ante handler's ``tx{fee|acc_seq|signature}`` events live with it
(:mod:`panacea.chain.ante`), as in SDK 0.45 where the ante decorators emit them."""

from __future__ import annotations
