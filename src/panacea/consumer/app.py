"""The consumer service's HTTP API (oracle-reference §7 and issue 11), a Starlette app per worker process.

- ``POST /v0/deals/{deal_id}/data/{data_hash}``: an oracle (JWT of the shared oracle key) stores a ciphertext
  for an ACTIVE deal; atomic, idempotent (same bytes: 200 ``created: false``; other bytes: 409).
- ``GET /v0/deals/{deal_id}/data`` (``limit``, ``after``) and ``GET /v0/deals/{deal_id}/data/{data_hash}``:
  the deal's consumer (JWT of its account) lists and reads; any other caller gets the 404 of a missing deal.
Departure: the reference answers 200 ``success to store data`` in plain text and has no read endpoints; we
answer JSON and keep 200 for a new object too (reference oracles treat any other status as failure, §2.6).
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from panacea.client import AsyncChainClient, ChainClientError, NotFoundError
from panacea.consumer import routes
from panacea.consumer.config import ConsumerConfig, data_path, load_config, store_path
from panacea.consumer.openapi import OPENAPI
from panacea.consumer.storage import ConflictError, Storage, StorageError
from panacea.consumer.storage.fs import FileStorage
from panacea.consumer.storage.s3 import S3Storage
from panacea.service.auth import CHAIN_UNREACHABLE, Caller, JwtAuth, JwtPolicy
from panacea.service.chain import ChainView
from panacea.service.errors import ServiceError, check_declared_size, read_body
from panacea.service.http import build_app
from panacea.service.store import Store
from panacea.types.pb.panacea.datadeal.v2 import deal_pb2

HOME_ENV: Final = "CONSUMERD_HOME"
log = logging.getLogger("panacea.consumer")


@dataclass
class Services:
    """What a worker's handlers use, opened in the worker (lifespan) and closed with it."""

    config: ConsumerConfig
    auth: JwtAuth
    chain: ChainView
    storage: Storage


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def open_storage(home: Path, config: ConsumerConfig) -> Storage:
    """The configured backend."""
    if config.backend == "s3":
        return S3Storage(config.s3_settings())
    storage = FileStorage(data_path(home, config))
    storage.sweep_temp()
    return storage


async def _deal(chain: ChainView, deal_id: int) -> deal_pb2.Deal | None:
    try:
        return await chain.deal(deal_id)
    except NotFoundError:
        return None
    except ChainClientError:
        raise ServiceError(503, f"cannot query deal. {CHAIN_UNREACHABLE}") from None


async def _consumers_deal(services: Services, caller: Caller, deal_id: int) -> None:
    """The deal must exist and belong to the caller; both failures read the same (no hint of other deals)."""
    deal = await _deal(services.chain, deal_id)
    if deal is None or deal.consumer_address != caller.issuer:
        raise ServiceError(404, f"deal {deal_id} not found")


async def store_data(request: Request) -> Response:
    """An oracle uploads the re-encrypted data of a deal (§2.6, §7)."""
    services = _services(request)
    await services.auth.oracle_caller(request.headers.get("authorization"))
    data_hash = routes.data_hash(request.path_params["data_hash"])
    deal_id = routes.deal_id(request.path_params["deal_id"])
    limit = services.config.max_upload_bytes
    check_declared_size(request, limit)
    deal = await _deal(services.chain, deal_id)
    if deal is None:
        raise ServiceError(404, f"deal {deal_id} not found")
    if deal.status != deal_pb2.DEAL_STATUS_ACTIVE:
        raise ServiceError(409, f"cannot store data for {routes.status_name(deal.status)} deal")
    data = await read_body(request, limit)
    if not data:
        raise ServiceError(400, "request body is empty")
    try:
        result = await services.storage.put(deal_id, data_hash, data)
    except ConflictError as e:
        raise ServiceError(409, str(e)) from None
    except StorageError as e:
        log.error("deal %d: %s", deal_id, e)
        raise ServiceError(503, "storage unavailable") from None
    return JSONResponse({"deal_id": str(deal_id), "data_hash": data_hash, "size": str(result.size),
                         "created": result.created})


async def list_data(request: Request) -> Response:
    """The deal's consumer lists what was stored, a page at a time (``after`` = last hash of the page before)."""
    services = _services(request)
    caller = await services.auth.account_caller(request.headers.get("authorization"))
    deal_id = routes.deal_id(request.path_params["deal_id"])
    limit = routes.page_limit(request.query_params.get("limit"), services.config.max_page_size)
    after = routes.page_after(request.query_params.get("after"))
    await _consumers_deal(services, caller, deal_id)
    try:
        items = await services.storage.page(deal_id, after, limit + 1)
    except StorageError as e:
        log.error("deal %d: %s", deal_id, e)
        raise ServiceError(503, "storage unavailable") from None
    page = items[:limit]
    return JSONResponse({
        "deal_id": str(deal_id),
        "data": [{"data_hash": o.data_hash, "size": str(o.size)} for o in page],
        "next_after": page[-1].data_hash if len(items) > limit else "",
    })


async def get_data(request: Request) -> Response:
    """The deal's consumer fetches one ciphertext (to decrypt with the oracle's secret key, §2.2)."""
    services = _services(request)
    caller = await services.auth.account_caller(request.headers.get("authorization"))
    data_hash = routes.data_hash(request.path_params["data_hash"])
    deal_id = routes.deal_id(request.path_params["deal_id"])
    await _consumers_deal(services, caller, deal_id)
    try:
        data = await services.storage.get(deal_id, data_hash)
    except StorageError as e:
        log.error("deal %d: %s", deal_id, e)
        raise ServiceError(503, "storage unavailable") from None
    if data is None:
        raise ServiceError(404, "data not found")
    return Response(data, media_type="application/octet-stream", headers={"X-Content-Type-Options": "nosniff"})


async def openapi(_request: Request) -> Response:
    """The OpenAPI 3.1 document of this API."""
    return JSONResponse(OPENAPI)


def create_app(home: Path, config: ConsumerConfig | None = None) -> Starlette:
    """The app of one worker: state (LMDB store, chain client, storage) is opened in its lifespan."""
    cfg = load_config(home) if config is None else config

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = Store(store_path(home))
        client = AsyncChainClient(cfg.node, timeout=cfg.chain_timeout_seconds)
        chain = ChainView(client, refresh_seconds=cfg.chain_refresh_seconds)
        policy = JwtPolicy(cfg.jwt_legacy, cfg.jwt_max_lifetime_seconds, cfg.jwt_audience)
        storage = open_storage(home, cfg)
        app.state.services = Services(cfg, JwtAuth(chain, store, policy), chain, storage)
        try:
            yield
        finally:
            await storage.close()
            await client.close()
            store.close()

    return build_app([
        Route("/v0/deals/{deal_id}/data/{data_hash}", store_data, methods=["POST"]),
        Route("/v0/deals/{deal_id}/data/{data_hash}", get_data, methods=["GET"]),
        Route("/v0/deals/{deal_id}/data", list_data, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ], lifespan)


def app_from_env() -> Starlette:
    """uvicorn's factory in each worker process: the home comes from ``CONSUMERD_HOME``."""
    return create_app(Path(os.environ[HOME_ENV]))
