"""Proposal content (the SDK's ``govtypes.Content``): the three registered kinds, their type and route
strings and their ValidateBasic (``ValidateAbstract`` plus each kind's own checks)."""

from __future__ import annotations

from typing import Final

from google.protobuf import any_pb2

from panacea.chain.errors import ErrTxDecode
from panacea.chain.modules.gov.errors import (
    ErrEmptyChanges,
    ErrEmptyKey,
    ErrEmptySubspace,
    ErrEmptyValue,
    ErrInvalidProposalContent,
)
from panacea.chain.modules.oracle.msgs import validate_upgrade_proposal
from panacea.types.anyutil import CONTENT_REGISTRY, AnyDecodeError, UnknownTypeURLError, unpack_any
from panacea.types.pb.cosmos.gov.v1beta1 import gov_pb2
from panacea.types.pb.cosmos.params.v1beta1 import params_pb2
from panacea.types.pb.panacea.oracle.v2 import proposal_pb2

Content = gov_pb2.TextProposal | params_pb2.ParameterChangeProposal | proposal_pb2.OracleUpgradeProposal

MAX_TITLE_LENGTH: Final = 140
MAX_DESCRIPTION_LENGTH: Final = 5000

# Go's unicode.IsSpace (strings.TrimSpace); Python's str.strip() also trims U+001C..U+001F.
_GO_SPACE: Final = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
            "\u2028\u2029\u202f\u205f\u3000"


def unpack_content(packed: any_pb2.Any) -> Content:
    """The content of a MsgSubmitProposal; an unregistered type fails like the SDK's tx decoder."""
    try:
        content = unpack_any(packed, CONTENT_REGISTRY)
    except UnknownTypeURLError:
        raise ErrTxDecode.wrap(
            f"no concrete type registered for type URL {packed.type_url} against interface *types.Content") from None
    except AnyDecodeError as e:
        raise ErrTxDecode.wrap(str(e)) from None
    assert isinstance(content, gov_pb2.TextProposal | params_pb2.ParameterChangeProposal
                      | proposal_pb2.OracleUpgradeProposal)
    return content


def proposal_type(content: Content) -> str:
    if isinstance(content, proposal_pb2.OracleUpgradeProposal):
        return "OracleUpgrade"
    if isinstance(content, params_pb2.ParameterChangeProposal):
        return "ParameterChange"
    return "Text"


def validate_abstract(content: Content) -> None:
    """govtypes.ValidateAbstract: lengths are UTF-8 byte counts, as in Go."""
    if not content.title.strip(_GO_SPACE):
        raise ErrInvalidProposalContent.wrap("proposal title cannot be blank")
    if len(content.title.encode()) > MAX_TITLE_LENGTH:
        raise ErrInvalidProposalContent.wrap(f"proposal title is longer than max length of {MAX_TITLE_LENGTH}")
    if not content.description:
        raise ErrInvalidProposalContent.wrap("proposal description cannot be blank")
    if len(content.description.encode()) > MAX_DESCRIPTION_LENGTH:
        raise ErrInvalidProposalContent.wrap(
            f"proposal description is longer than max length of {MAX_DESCRIPTION_LENGTH}")


def validate_content(content: Content) -> None:
    if isinstance(content, proposal_pb2.OracleUpgradeProposal):
        validate_upgrade_proposal(content)  # plan first, then ValidateAbstract (chain-reference §3.10)
        return
    validate_abstract(content)
    if isinstance(content, params_pb2.ParameterChangeProposal):
        validate_changes(content)


def validate_changes(p: params_pb2.ParameterChangeProposal) -> None:
    """x/params ValidateChanges (SDK 0.45 has no duplicate-change check)."""
    if not p.changes:
        raise ErrEmptyChanges.error()
    for c in p.changes:
        if not c.subspace:
            raise ErrEmptySubspace.error()
        if not c.key:
            raise ErrEmptyKey.error()
        if not c.value:
            raise ErrEmptyValue.error()
