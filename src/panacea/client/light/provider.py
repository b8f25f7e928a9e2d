"""Light blocks from a node's CometBFT JSON-RPC, as plans (``panacea.client.plan``): ``commit`` gives the signed
header, ``validators`` (paged, 100 a page) the validator set of that height, ``header`` a header alone.

Both engines serve these methods with CometBFT's shapes. Nothing here is trusted: the answers are only parsed
(strictly: a malformed answer is a :class:`VerificationError` naming the field) and checked to be for the height
asked; :mod:`panacea.client.light.verifier` decides whether they are believed.
"""

from __future__ import annotations

from typing import Any, Final

from panacea.client.light.errors import VerificationError
from panacea.client.light.verifier import LightBlock
from panacea.client.plan import Plan, rpc
from panacea.types.cometbft.encoding import json_field, json_int64, json_list, json_object
from panacea.types.cometbft.types import Commit, Header, Validator

PER_PAGE: Final = 100  # the most CometBFT serves per page
MAX_VALIDATORS: Final = 10_000


def _height_params(height: int | None) -> dict[str, Any]:
    return {} if height is None else {"height": str(height)}


def _malformed(what: str, height: int | None, e: ValueError) -> VerificationError:
    at = "the latest height" if height is None else f"height {height}"
    return VerificationError(f"malformed {what} answer from the node for {at}: {e}")


def _for_height(got: int, height: int | None, what: str) -> None:
    if height is not None and got != height:
        raise VerificationError(f"the node answered {what} for height {got} when asked for height {height}")


def signed_header(height: int | None = None) -> Plan[tuple[Header, Commit]]:
    """The header at ``height`` (default: the node's latest) and the commit that signs it."""
    result = yield from rpc("commit", _height_params(height))
    try:
        signed = json_object(json_field(result, "signed_header", "commit"), "signed_header")
        header = Header.from_json(json_field(signed, "header", "signed_header"), "signed_header.header")
        commit = Commit.from_json(json_field(signed, "commit", "signed_header"), "signed_header.commit")
    except ValueError as e:
        raise _malformed("commit", height, e) from None
    _for_height(header.height, height, "a commit")
    return header, commit


def header(height: int) -> Plan[Header]:
    """The header at ``height`` alone (backwards verification needs nothing else)."""
    result = yield from rpc("header", _height_params(height))
    try:
        parsed = Header.from_json(json_field(result, "header", "header"), "header")
    except ValueError as e:
        raise _malformed("header", height, e) from None
    _for_height(parsed.height, height, "a header")
    return parsed


def validators(height: int) -> Plan[tuple[Validator, ...]]:
    """The whole validator set of ``height``, in the node's order (the order its hash and commits use)."""
    out: list[Validator] = []
    page = 1
    while True:
        result = yield from rpc("validators", {"height": str(height), "page": str(page), "per_page": str(PER_PAGE)})
        try:
            _for_height(json_int64(json_field(result, "block_height", "validators"), "validators.block_height"),
                        height, "validators")
            total = json_int64(json_field(result, "total", "validators"), "validators.total")
            listed = json_list(json_field(result, "validators", "validators"), "validators.validators")
            out.extend(Validator.from_json(v, f"validators.validators[{len(out) + i}]") for i, v in enumerate(listed))
        except ValueError as e:
            raise _malformed("validators", height, e) from None
        if not 0 < total <= MAX_VALIDATORS or len(out) > total or (not listed and len(out) < total):
            raise VerificationError(f"the node's validator set of height {height} is inconsistent: "
                                    f"{len(out)} validators listed so far, total {total}")
        if len(out) == total:
            return tuple(out)
        page += 1


def light_block(height: int | None = None) -> Plan[LightBlock]:
    """The signed header at ``height`` (default: latest) with the validator set of its height."""
    head, commit = yield from signed_header(height)
    return LightBlock(head, commit, (yield from validators(head.height)))
