"""The module query routes: each GET path answered by one gRPC query over ``abci_query``."""

from __future__ import annotations

from starlette.requests import Request

from panacea.node.rest.common import (
    JSON,
    Endpoint,
    RestContext,
    RestError,
    build_request,
    query_height,
    render,
    request_type,
)
from panacea.types import did_json
from panacea.types.grpc_status import wrapper
from panacea.types.pb.panacea.did.v2 import query_pb2 as did_query


def grpc_route(rest_path: str, grpc_path: str) -> Endpoint:
    """GET ``rest_path`` answered by the module query ``grpc_path`` (path and query params → request)."""
    cls = request_type(grpc_path)

    async def handle(ctx: RestContext, request: Request) -> JSON:
        req = build_request(cls, request.path_params, request)
        return render(await ctx.query(grpc_path, req, query_height(request)))

    return Endpoint("GET", rest_path, handle)


_AUTH, _BANK, _GOV = "/cosmos.auth.v1beta1.Query/", "/cosmos.bank.v1beta1.Query/", "/cosmos.gov.v1beta1.Query/"
_DEAL, _ORACLE = "/panacea.datadeal.v2.Query/", "/panacea.oracle.v2.Query/"

QUERY_ROUTES: list[tuple[str, str]] = [
    ("/cosmos/auth/v1beta1/accounts", _AUTH + "Accounts"),
    ("/cosmos/auth/v1beta1/accounts/{address}", _AUTH + "Account"),
    ("/cosmos/auth/v1beta1/params", _AUTH + "Params"),
    ("/cosmos/auth/v1beta1/module_accounts/{name}", _AUTH + "ModuleAccountByName"),
    ("/cosmos/auth/v1beta1/bech32", _AUTH + "Bech32Prefix"),
    ("/cosmos/bank/v1beta1/balances/{address}", _BANK + "AllBalances"),
    ("/cosmos/bank/v1beta1/balances/{address}/by_denom", _BANK + "Balance"),
    ("/cosmos/bank/v1beta1/spendable_balances/{address}", _BANK + "SpendableBalances"),
    ("/cosmos/bank/v1beta1/supply", _BANK + "TotalSupply"),
    ("/cosmos/bank/v1beta1/supply/{denom}", _BANK + "SupplyOf"),
    ("/cosmos/bank/v1beta1/params", _BANK + "Params"),
    ("/cosmos/bank/v1beta1/denoms_metadata", _BANK + "DenomsMetadata"),
    ("/cosmos/bank/v1beta1/denoms_metadata/{denom}", _BANK + "DenomMetadata"),
    ("/cosmos/gov/v1beta1/proposals", _GOV + "Proposals"),
    ("/cosmos/gov/v1beta1/proposals/{proposal_id}", _GOV + "Proposal"),
    ("/cosmos/gov/v1beta1/proposals/{proposal_id}/votes", _GOV + "Votes"),
    ("/cosmos/gov/v1beta1/proposals/{proposal_id}/votes/{voter}", _GOV + "Vote"),
    ("/cosmos/gov/v1beta1/proposals/{proposal_id}/deposits", _GOV + "Deposits"),
    ("/cosmos/gov/v1beta1/proposals/{proposal_id}/deposits/{depositor}", _GOV + "Deposit"),
    ("/cosmos/gov/v1beta1/proposals/{proposal_id}/tally", _GOV + "TallyResult"),
    ("/cosmos/gov/v1beta1/params/{params_type}", _GOV + "Params"),
    ("/panacea/datadeal/v2/deals", _DEAL + "Deals"),
    ("/panacea/datadeal/v2/deals/{deal_id}", _DEAL + "Deal"),
    ("/panacea/datadeal/v2/deals/{deal_id}/consents", _DEAL + "Consents"),
    ("/panacea/datadeal/v2/deals/{deal_id}/consents/{data_hash}", _DEAL + "Consent"),
    ("/panacea/oracle/v2/oracles", _ORACLE + "Oracles"),
    ("/panacea/oracle/v2/oracles/{oracle_address}", _ORACLE + "Oracle"),
    ("/panacea/oracle/v2/oracle-registrations/{unique_id}", _ORACLE + "OracleRegistrations"),
    ("/panacea/oracle/v2/oracle-registrations/{unique_id}/{oracle_address}", _ORACLE + "OracleRegistration"),
    ("/panacea/oracle/v2/oracle-upgrade-info", _ORACLE + "OracleUpgradeInfo"),
    ("/panacea/oracle/v2/oracle-upgrades/{unique_id}", _ORACLE + "OracleUpgrades"),
    ("/panacea/oracle/v2/oracle-upgrades/{unique_id}/{oracle_address}", _ORACLE + "OracleUpgrade"),
    ("/panacea/oracle/v2/params", _ORACLE + "Params"),
]


DID_PATH = "/panacea.did.v2.Query/DID"


async def _did(ctx: RestContext, request: Request) -> JSON:
    """GET ``/panacea/did/v2/dids/{did_base64}`` (did-reference §6, §11): the record in JSON A; errors carry the
    reference's status message alone (``DID not found``, ``DID deactivated``, ``invalid did_base64``)."""
    req = did_query.QueryDIDRequest(did_base64=request.path_params["did_base64"])
    try:
        resp = await ctx.query(DID_PATH, req, query_height(request))
    except RestError as e:
        raise RestError(e.code, e.message.removesuffix(": " + wrapper(e.code)[1])) from None
    assert isinstance(resp, did_query.QueryDIDResponse)
    return {"did_document_with_seq": did_json.with_seq_to_json(resp.did_document_with_seq)}


CUSTOM_ROUTES: list[Endpoint] = [Endpoint("GET", "/panacea/did/v2/dids/{did_base64}", _did)]
