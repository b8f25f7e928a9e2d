"""x/oracle gRPC query handlers (chain-reference §3.12)."""

from __future__ import annotations

from typing import Final

from panacea.chain.context import Context
from panacea.chain.module import Queries, QueryRoute
from panacea.chain.modules.oracle.keeper import OracleKeeper
from panacea.chain.modules.oracle.keys import ORACLE_PREFIX, STORE, registrations_prefix, upgrades_prefix
from panacea.chain.pagination import page_request, paginate
from panacea.types.lp import unmarshal_length_prefixed
from panacea.types.pb.panacea.oracle.v2 import oracle_pb2, query_pb2

PATH: Final = "/panacea.oracle.v2.Query/"


class OracleQueries(Queries[OracleKeeper]):
    def routes(self) -> list[QueryRoute]:
        return [
            QueryRoute(PATH + "Oracles", query_pb2.QueryOraclesRequest, self.oracles),
            QueryRoute(PATH + "Oracle", query_pb2.QueryOracleRequest, self.oracle),
            QueryRoute(PATH + "OracleRegistrations", query_pb2.QueryOracleRegistrationsRequest,
                       self.oracle_registrations),
            QueryRoute(PATH + "OracleRegistration", query_pb2.QueryOracleRegistrationRequest,
                       self.oracle_registration),
            QueryRoute(PATH + "OracleUpgradeInfo", query_pb2.QueryOracleUpgradeInfoRequest, self.oracle_upgrade_info),
            QueryRoute(PATH + "OracleUpgrades", query_pb2.QueryOracleUpgradesRequest, self.oracle_upgrades),
            QueryRoute(PATH + "OracleUpgrade", query_pb2.QueryOracleUpgradeRequest, self.oracle_upgrade),
            QueryRoute(PATH + "Params", query_pb2.QueryOracleParamsRequest, self.params),
        ]

    def oracles(self, ctx: Context, req: query_pb2.QueryOraclesRequest) -> query_pb2.QueryOraclesResponse:
        items, page = paginate(ctx.kv(STORE), ORACLE_PREFIX, page_request(req),
                               lambda _k, v: unmarshal_length_prefixed(v, oracle_pb2.Oracle))
        return query_pb2.QueryOraclesResponse(oracles=items, pagination=page)

    def oracle(self, ctx: Context, req: query_pb2.QueryOracleRequest) -> query_pb2.QueryOracleResponse:
        return query_pb2.QueryOracleResponse(oracle=self.keeper.get_oracle(ctx, req.oracle_address))

    def oracle_registrations(self, ctx: Context, req: query_pb2.QueryOracleRegistrationsRequest
                             ) -> query_pb2.QueryOracleRegistrationsResponse:
        items, page = paginate(ctx.kv(STORE), registrations_prefix(req.unique_id), page_request(req),
                               lambda _k, v: unmarshal_length_prefixed(v, oracle_pb2.OracleRegistration))
        return query_pb2.QueryOracleRegistrationsResponse(oracle_registrations=items, pagination=page)

    def oracle_registration(self, ctx: Context, req: query_pb2.QueryOracleRegistrationRequest
                            ) -> query_pb2.QueryOracleRegistrationResponse:
        registration = self.keeper.get_oracle_registration(ctx, req.unique_id, req.oracle_address)
        return query_pb2.QueryOracleRegistrationResponse(oracle_registration=registration)

    def oracle_upgrade_info(self, ctx: Context, _req: query_pb2.QueryOracleUpgradeInfoRequest
                            ) -> query_pb2.QueryOracleUpgradeInfoResponse:
        """Absent info is an empty response (null field), not an error."""
        return query_pb2.QueryOracleUpgradeInfoResponse(oracle_upgrade_info=self.keeper.find_oracle_upgrade_info(ctx))

    def oracle_upgrades(self, ctx: Context, req: query_pb2.QueryOracleUpgradesRequest
                        ) -> query_pb2.QueryOracleUpgradesResponse:
        items, page = paginate(ctx.kv(STORE), upgrades_prefix(req.unique_id), page_request(req),
                               lambda _k, v: unmarshal_length_prefixed(v, oracle_pb2.OracleUpgrade))
        return query_pb2.QueryOracleUpgradesResponse(oracle_upgrades=items, pagination=page)

    def oracle_upgrade(self, ctx: Context, req: query_pb2.QueryOracleUpgradeRequest
                       ) -> query_pb2.QueryOracleUpgradeResponse:
        upgrade = self.keeper.get_oracle_upgrade(ctx, req.unique_id, req.oracle_address)
        return query_pb2.QueryOracleUpgradeResponse(oracle_upgrade=upgrade)

    def params(self, ctx: Context, _req: query_pb2.QueryOracleParamsRequest) -> query_pb2.QueryParamsResponse:
        return query_pb2.QueryParamsResponse(params=self.keeper.get_params(ctx))
