"""The oracle's HTTP API (oracle-reference §1.5, issue 11), a Starlette app per uvicorn worker process.

- ``POST /v0/data-deal/deals/{deal_id}/data``: ValidateData (§2), answered with the certificate;
- ``GET /v0/data-deal/secret-key?deal_id=N&data_hash=H``: GetSecretKey (§3) for the deal's consumer;
- ``GET /v0/status``: the account address and enclave identity; ``GET /openapi.json``.

Auth (§1.7): a missing or non-bearer ``Authorization`` header leaves the request unauthenticated (the cores
then answer "failed to get request address…"); a bearer token must verify (secure profile, ``aud`` = this
oracle's account). The rate limit (panacea.oracle.ratelimit) comes first on the three API paths, as the
reference's interceptor does (``/openapi.json`` is a static document, not limited). Departure: ``/v0/status``
reads no token (it is public, and reading one would spend its jti).
Errors are ``{"code","message"}`` with the status of :class:`panacea.oracle.errors.OracleError` (one table).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from panacea.client import AsyncChainClient, ChainClientError, NotFoundError
from panacea.crypto.keys import PrivateKey
from panacea.oracle import wire
from panacea.oracle.cache import CachedReader
from panacea.oracle.chain import OpenChainReader, open_chain_reader
from panacea.oracle.config import OracleConfig
from panacea.oracle.enclave import EnclaveIdentity, EnclaveKey
from panacea.oracle.errors import Category, OracleError
from panacea.oracle.follower import read_status
from panacea.oracle.home import OracleHome
from panacea.oracle.interfaces import ChainReader
from panacea.oracle.openapi import OPENAPI
from panacea.oracle.ratelimit import Clock, RateLimiter
from panacea.oracle.schemas import SchemaRegistry
from panacea.oracle.secretkey import SecretKeyService
from panacea.oracle.ssrf import AddressPolicy, GuardedHttp
from panacea.oracle.upload import ConsumerUploader
from panacea.oracle.validate import DataValidator
from panacea.oracle.vp import (
    DefaultPresentationValidator,
    DIDKeyResolver,
    DIDResolver,
    MethodResolver,
    PanaceaDIDResolver,
)
from panacea.service.auth import JwtAuth, JwtPolicy
from panacea.service.errors import ServiceError, read_json
from panacea.service.http import build_app
from panacea.service.store import Store
from panacea.types.pb.panacea.oracle.v2 import genesis_pb2

HOME_ENV: Final = "ORACLE_HOME"
CHAIN_TIMEOUT: Final = 10.0
REQUEST_TIMEOUT: Final = "the request took too long. please retry later"
TOO_BUSY: Final = "too many requests in progress. please retry later"
Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class Identity:
    """What a worker is: the unsealed oracle key, its enclave identity and its account (opened once)."""

    key: EnclaveKey
    enclave: EnclaveIdentity
    address: str


@dataclass
class Services:
    """What a worker's handlers use, opened in the worker (lifespan) and closed with it."""

    config: OracleConfig
    identity: Identity
    auth: JwtAuth
    validator: DataValidator
    secret_keys: SecretKeyService
    limiter: RateLimiter
    reader: OpenChainReader
    cached: CachedReader
    data_dir: Path
    in_flight: int = 0


class _ReaderKeys:
    """JwtAuth's keys through the oracle's own reads (verified in light-client mode), with the client's errors."""

    def __init__(self, reader: ChainReader) -> None:
        self.reader = reader

    async def account_pubkey(self, address: str) -> bytes | None:
        try:
            return await self.reader.account_public_key(address)
        except OracleError as e:
            if e.category is Category.NOT_FOUND:
                raise NotFoundError("", 0, "", e.message) from None
            raise ChainClientError(e.message) from None

    async def oracle_params(self) -> genesis_pb2.Params:
        try:
            return await self.reader.oracle_params()
        except OracleError as e:
            raise ChainClientError(e.message) from None


def open_identity(home: OracleHome, account: PrivateKey | None = None) -> Identity:
    """Open the enclave, unseal the oracle key and load the account: the checks ``oracled start`` makes first."""
    enclave = home.open_enclave()
    key = home.oracle_key(enclave)
    address = (home.oracle_account() if account is None else account).bech32()
    return Identity(key, enclave.identity(), address)


async def _latest_height(client: AsyncChainClient) -> int:
    """The node's latest height (the cache key of the cores' reads); a 503 when the node cannot be reached."""
    try:
        return (await client.status()).latest_height
    except ChainClientError:
        raise OracleError("cannot reach the chain node", Category.UNAVAILABLE) from None


def _presentations(reader: CachedReader) -> DefaultPresentationValidator:
    """VP validation resolving did:key and did:panacea (from the chain, through the worker's cached reads)."""
    resolvers: dict[str, DIDResolver] = {"key": DIDKeyResolver(), "panacea": PanaceaDIDResolver(reader)}
    return DefaultPresentationValidator(MethodResolver(resolvers))


def store_path(home: OracleHome, config: OracleConfig | None = None) -> Path:
    """The LMDB store the workers share (JWT replay cache, rate-limit counters), in ``config``'s data dir."""
    return OracleConfig.path(home.root, (home.config if config is None else config).data_dir) / "api-store"


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def _oracle_errors(handler: Handler) -> Handler:
    """Bound the requests in flight (``api.max-connections`` per worker, then a 503), rate-limit the request
    (before auth, §1.4), then answer an OracleError with its status and message; a request that takes longer
    than ``api.write-timeout`` is answered 503."""

    async def wrapped(request: Request) -> Response:
        services = _services(request)
        if services.in_flight >= services.config.api.max_connections:
            raise ServiceError(503, TOO_BUSY)
        services.in_flight += 1
        try:
            await services.limiter.wait(request.client.host if request.client else "")
            async with asyncio.timeout(services.config.api.write_timeout.seconds):
                return await handler(request)
        except OracleError as e:
            raise ServiceError(e.status, e.message) from None
        except TimeoutError:
            raise ServiceError(503, REQUEST_TIMEOUT) from None
        finally:
            services.in_flight -= 1

    wrapped.__doc__ = handler.__doc__
    return wrapped


async def _caller(services: Services, request: Request) -> str | None:
    """§1.7 steps 1-3: no bearer header is no caller (not an error); a bearer token must verify."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    return (await services.auth.account_caller(f"Bearer {token}")).issuer


@_oracle_errors
async def validate_data(request: Request) -> Response:
    """ValidateData: the provider's encrypted data in, a certificate out (after the upload succeeded)."""
    services = _services(request)
    deal_id = wire.u64(request.path_params["deal_id"], "deal_id")
    api = services.config.api
    body = await read_json(request, api.max_request_body_size, api.read_timeout.seconds)
    data_request = wire.validate_request(deal_id, body)
    caller = await _caller(services, request)
    certificate = await services.validator.validate(data_request, caller)
    return JSONResponse(wire.certificate_json(certificate))


@_oracle_errors
async def secret_key(request: Request) -> Response:
    """GetSecretKey: the per-data secret, encrypted for the deal's consumer."""
    services = _services(request)
    deal_id, data_hash = wire.secret_key_query(request.query_params)
    caller = await _caller(services, request)
    encrypted = await services.secret_keys.encrypted_secret_key(deal_id, data_hash, caller)
    return JSONResponse(wire.secret_key_json(encrypted))


@_oracle_errors
async def status(request: Request) -> Response:
    """GetStatus (no auth): the reference's fields, plus how chain reads are verified, the event follower's
    progress and this oracle's state on chain (null when the chain cannot be read now)."""
    services = _services(request)
    doc = wire.status_json(services.identity.address, services.config.api.listen_addr, services.identity.enclave)
    reader = services.reader
    trusted = reader.trusted_height
    doc["chain"] = {"verification": reader.mode, "description": reader.description,
                    "trusted_height": None if trusted is None else str(trusted)}
    follower = read_status(services.data_dir)
    doc["follower"] = None if follower is None else follower.to_json()
    doc["oracle"] = await _on_chain(services)
    return JSONResponse(doc)


async def _on_chain(services: Services) -> dict[str, object] | None:
    """Whether this oracle is registered, and whether its version is the chain's active unique ID."""
    try:
        params = await services.cached.oracle_params()
        try:
            oracle = await services.reader.oracle(services.identity.address)
        except OracleError as e:
            if e.category is not Category.NOT_FOUND:
                raise
            return {"registered": False, "active_unique_id": params.unique_id,
                    "active": False}
    except OracleError:
        return None
    own = services.identity.enclave.unique_id_hex
    return {"registered": True, "active_unique_id": params.unique_id, "active": params.unique_id == own,
            "endpoint": oracle.endpoint}


async def openapi(_request: Request) -> Response:
    """The OpenAPI 3.1 document of this API."""
    return JSONResponse(OPENAPI)


def create_app(root: str | Path, config: OracleConfig | None = None, account: PrivateKey | None = None, *,
               clock: Clock = time.monotonic_ns) -> Starlette:
    """The app of one worker: key and identity now (fail fast), connections and store in its lifespan."""
    home = OracleHome(root, config)
    cfg = home.config
    identity = open_identity(home, account)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = Store(store_path(home, cfg))
        client = AsyncChainClient(cfg.panacea.rpc_addr, cfg.panacea.chain_id or None, timeout=CHAIN_TIMEOUT)
        http = GuardedHttp(AddressPolicy(cfg.ssrf.allow))
        try:
            chain_reader = await open_chain_reader(home, client)
        except BaseException:
            await client.close()
            store.close()
            raise
        reader = CachedReader(chain_reader, lambda: _latest_height(client))
        registry = SchemaRegistry(home.schemas_dir, http=http, fetch=cfg.schemas.fetch,
                                  max_size=cfg.schemas.max_size, timeout=cfg.schemas.timeout.seconds)
        uploader = ConsumerUploader(http, identity.key, identity.address, timeout=cfg.consumer.timeout.seconds,
                                    deadline=cfg.consumer.upload_deadline.seconds)
        validator = DataValidator(key=identity.key, identity=identity.enclave, oracle_address=identity.address,
                                  chain=reader, schemas=registry, uploader=uploader,
                                  presentations=_presentations(reader))
        policy = JwtPolicy(cfg.jwt.legacy_jwt, int(cfg.jwt.max_lifetime.seconds), identity.address)
        limiter = RateLimiter(store, cfg.api.rate_limits, int(cfg.api.rate_limit_wait_timeout),
                              cfg.api.rate_limit_caller_percent, clock=clock)
        app.state.services = Services(cfg, identity, JwtAuth(_ReaderKeys(reader), store, policy), validator,
                                      SecretKeyService(key=identity.key, chain=reader), limiter, chain_reader, reader,
                                      home.data_dir)
        try:
            yield
        finally:
            await http.close()
            await chain_reader.close()
            await client.close()
            store.close()

    return build_app([
        Route("/v0/data-deal/deals/{deal_id}/data", validate_data, methods=["POST"]),
        Route("/v0/data-deal/secret-key", secret_key, methods=["GET"]),
        Route("/v0/status", status, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
    ], lifespan)


def app_from_env() -> Starlette:
    """uvicorn's factory in each worker process: the home comes from ``ORACLE_HOME``."""
    return create_app(Path(os.environ[HOME_ENV]))
