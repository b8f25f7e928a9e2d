"""Building and serving a DEP service's Starlette app the same way for the oracle and the consumer service.

``build_app`` wires the one error mapping (``panacea.service.errors``); ``serve`` runs it under uvicorn with N
worker processes, each building its own app from a factory (so LMDB, HTTP sessions and caches are opened after
the fork, never shared across processes).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from panacea.service.errors import EXCEPTION_HANDLERS, ErrorBoundary

Lifespan = Callable[[Starlette], AbstractAsyncContextManager[None]] | Callable[[Starlette], AsyncIterator[None]]


def build_app(routes: Sequence[BaseRoute], lifespan: Any = None) -> Starlette:
    """A Starlette app whose every failure is a JSON ``{"code","message"}`` answer (never a traceback)."""
    return Starlette(routes=list(routes), exception_handlers=dict(EXCEPTION_HANDLERS),
                     middleware=[Middleware(ErrorBoundary)], lifespan=lifespan)


def worker_count(configured: int) -> int:
    """Workers to start: the configured number, 0 meaning one per CPU core."""
    return configured if configured > 0 else (os.cpu_count() or 1)


def serve(factory: str, host: str, port: int, workers: int, *, log_level: str = "info",
          keep_alive_seconds: float = 5.0) -> None:
    """Run ``factory`` (``module:function`` returning the app) under uvicorn until SIGINT/SIGTERM; idle
    keep-alive connections close after ``keep_alive_seconds``. (uvicorn's own ``limit_concurrency`` is not used:
    it answers in plain text; the apps bound their requests in flight themselves, with a JSON 503.)"""
    uvicorn.run(factory, factory=True, host=host, port=port, workers=worker_count(workers), log_level=log_level,
                server_header=False, date_header=False, timeout_graceful_shutdown=10,
                timeout_keep_alive=max(1, int(keep_alive_seconds)), proxy_headers=False)
