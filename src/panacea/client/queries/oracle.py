"""Queries of ``panacea.oracle.v2`` (the one place their paths are spelled in the client)."""

from __future__ import annotations

from panacea.client.queries.base import PagedQuery, Query
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2, oracle_pb2
from panacea.types.pb.panacea.oracle.v2 import query_pb2 as q

_Q = "/panacea.oracle.v2.Query/"


def oracle(address: str) -> Query[q.QueryOracleResponse, oracle_pb2.Oracle]:
    """The oracle at ``address``."""
    return Query(_Q + "Oracle", q.QueryOracleRequest(oracle_address=address), q.QueryOracleResponse, lambda r: r.oracle)


def oracles() -> PagedQuery[q.QueryOraclesResponse, oracle_pb2.Oracle]:
    """Every oracle."""
    return PagedQuery(_Q + "Oracles", lambda p: q.QueryOraclesRequest(pagination=p), q.QueryOraclesResponse,
                      lambda r: list(r.oracles))


def oracle_registration(unique_id: str, address: str) -> Query[q.QueryOracleRegistrationResponse,
                                                                oracle_pb2.OracleRegistration]:
    """The registration of ``address`` for ``unique_id``."""
    return Query(_Q + "OracleRegistration",
                 q.QueryOracleRegistrationRequest(unique_id=unique_id, oracle_address=address),
                 q.QueryOracleRegistrationResponse, lambda r: r.oracle_registration)


def oracle_registrations(unique_id: str) -> PagedQuery[q.QueryOracleRegistrationsResponse,
                                                       oracle_pb2.OracleRegistration]:
    """The registrations for ``unique_id``."""
    return PagedQuery(_Q + "OracleRegistrations",
                      lambda p: q.QueryOracleRegistrationsRequest(unique_id=unique_id, pagination=p),
                      q.QueryOracleRegistrationsResponse, lambda r: list(r.oracle_registrations))


def oracle_upgrade(unique_id: str, address: str) -> Query[q.QueryOracleUpgradeResponse, oracle_pb2.OracleUpgrade]:
    """The upgrade of ``address`` to ``unique_id``."""
    return Query(_Q + "OracleUpgrade", q.QueryOracleUpgradeRequest(unique_id=unique_id, oracle_address=address),
                 q.QueryOracleUpgradeResponse, lambda r: r.oracle_upgrade)


def oracle_upgrades(unique_id: str) -> PagedQuery[q.QueryOracleUpgradesResponse, oracle_pb2.OracleUpgrade]:
    """The upgrades to ``unique_id``."""
    return PagedQuery(_Q + "OracleUpgrades", lambda p: q.QueryOracleUpgradesRequest(unique_id=unique_id, pagination=p),
                      q.QueryOracleUpgradesResponse, lambda r: list(r.oracle_upgrades))


def _upgrade_info(r: q.QueryOracleUpgradeInfoResponse) -> oracle_pb2.OracleUpgradeInfo | None:
    return r.oracle_upgrade_info if r.HasField("oracle_upgrade_info") else None


def upgrade_info() -> Query[q.QueryOracleUpgradeInfoResponse, oracle_pb2.OracleUpgradeInfo | None]:
    """The scheduled upgrade; ``None`` when none is (the chain answers with an empty response)."""
    return Query(_Q + "OracleUpgradeInfo", q.QueryOracleUpgradeInfoRequest(), q.QueryOracleUpgradeInfoResponse,
                 _upgrade_info)


def oracle_params() -> Query[q.QueryParamsResponse, genesis_pb2.Params]:
    """The oracle module params (oracle public key, remote report, active unique ID)."""
    return Query(_Q + "Params", q.QueryOracleParamsRequest(), q.QueryParamsResponse, lambda r: r.params)
