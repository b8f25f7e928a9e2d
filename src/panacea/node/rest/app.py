"""The Cosmos LCD REST API (SDK v0.45 grpc-gateway conventions, spec/cosmos-rest.md), served from the root.

Everything reaches the node through an ``Rpc``: module queries are ``abci_query`` calls with the request
protobuf (hex) on the gRPC path, answers are rendered as Cosmos protobuf JSON (original field names,
defaults emitted, u64 as strings, ``null`` for empty bytes and absent messages). Errors are
grpc-gateway status bodies ``{"code": <grpc code>, "message": ..., "details": []}``; ``abci_error`` is
the one place that maps ABCI error codes to gRPC codes and ``HTTP_STATUS`` maps those to HTTP statuses.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from panacea.node.bodylimit import BodyLimit, default_max_body_bytes
from panacea.node.rest.common import Handler, RestContext, RestError, log
from panacea.node.rest.queries import CUSTOM_ROUTES, QUERY_ROUTES, grpc_route
from panacea.node.rest.tendermint import TENDERMINT_ROUTES
from panacea.node.rest.tx import TX_ROUTES
from panacea.node.rpc.api import Rpc, RpcError
from panacea.types.cometbft.types import DEFAULT_MAX_BYTES
from panacea.types.grpc_status import INTERNAL, INVALID_ARGUMENT, NOT_FOUND, UNAVAILABLE, UNIMPLEMENTED, UNKNOWN


def _endpoint(ctx: RestContext, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            return JSONResponse(await handler(ctx, request))
        except RestError as e:
            return e.response()
        except RpcError as e:
            return RestError(UNKNOWN, str(e)).response()
        except OSError as e:
            return RestError(UNAVAILABLE, f"node unreachable: {e}").response()
        except Exception as e:  # a bug must answer 500, not drop the connection
            log.exception("REST %s %s failed", request.method, request.url.path)
            return RestError(INTERNAL, f"{type(e).__name__}: {e}").response()

    return endpoint


async def _http_error(_request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 405:
        return RestError(UNIMPLEMENTED, "Method Not Allowed").response()
    if status == 404:
        return RestError(NOT_FOUND, "Not Found").response()
    return RestError(UNKNOWN, str(getattr(exc, "detail", exc))).response()


def _too_large(message: str) -> ASGIApp:
    return RestError(INVALID_ARGUMENT, message).response(status=413)


def create_rest_app(rpc: Rpc, max_body_bytes: int = 0) -> ASGIApp:
    """The LCD at the server root (cosmpy drops any URL path); bodies past ``max_body_bytes`` are refused."""
    ctx = RestContext(rpc)
    endpoints = [*(grpc_route(path, grpc) for path, grpc in QUERY_ROUTES), *CUSTOM_ROUTES, *TX_ROUTES,
                 *TENDERMINT_ROUTES]
    routes = [Route(e.path, _endpoint(ctx, e.handler), methods=[e.method]) for e in endpoints]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.router.redirect_slashes = False
    return BodyLimit(app, max_body_bytes or default_max_body_bytes(DEFAULT_MAX_BYTES), _too_large)
