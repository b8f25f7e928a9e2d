"""HTTP servers of a node process: uvicorn without its own signal handlers, on a socket bound here so that
a busy port is one line naming the address and the setting that changes it."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlparse

import uvicorn

from panacea.node.rpc.api import Rpc


class QuietUvicorn(uvicorn.Server):
    """uvicorn without its own signal handlers: the node stops everything from one place."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def parse_laddr(address: str) -> tuple[str, int]:
    """``tcp://host:port`` (or ``host:port``) → (host, port)."""
    text = address if "://" in address else "tcp://" + address
    u = urlparse(text)
    if u.scheme not in ("tcp", "http") or not u.hostname or u.port is None:
        raise ValueError(f"invalid listen address {address!r} (want tcp://host:port)")
    return u.hostname, u.port


def bind_tcp(host: str, port: int, *, what: str, setting: str = "") -> socket.socket:
    """A listening socket, bound here so that a busy port is one clear OSError (uvicorn would sys.exit)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        hint = f" (change {setting})" if setting else ""
        raise OSError(f"{what} cannot listen on {host}:{port}: {e.strerror}{hint}") from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


@dataclass
class HttpServer:
    """A running uvicorn server and the address it really listens on (a configured port 0 resolved)."""

    server: QuietUvicorn
    task: asyncio.Task[None]
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"tcp://[{self.host}]:{self.port}" if ":" in self.host else f"tcp://{self.host}:{self.port}"

    async def stop(self) -> None:
        self.server.should_exit = True
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await self.task


async def start_server(app: Any, address: str, *, what: str, setting: str = "") -> HttpServer:
    """Serve `app` on `address` in a task; returns once it listens (OSError when it cannot)."""
    host, port = parse_laddr(address)
    sock = bind_tcp(host, port, what=what, setting=setting)
    port = int(sock.getsockname()[1])
    sock.close()  # the probe: uvicorn binds the port itself (its own listening socket serves faster)
    server = QuietUvicorn(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="off", loop="asyncio",
                                         access_log=False, proxy_headers=False,
                                         ws="websockets-sansio", ws_ping_interval=27.0, ws_ping_timeout=30.0))
    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.01)
    if task.done():
        task.result()
        raise OSError(f"{what} cannot listen on {address}")
    return HttpServer(server, task, host, port)


def stop_on_signals(stop: asyncio.Event, out: TextIO | None = None, *, prefix: str = "") -> None:
    """SIGINT/SIGTERM set ``stop`` and log one line (the first signal; the node then stops once)."""
    loop = asyncio.get_running_loop()

    def handle(sig: signal.Signals) -> None:
        if not stop.is_set():
            print(f"{prefix}{sig.name} received, stopping", file=out or sys.stderr, flush=True)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, handle, sig)


def create_rest(rpc: Rpc, out: TextIO | None = None, *, prefix: str = "", max_body_bytes: int = 0) -> Any | None:
    """The REST API app over `rpc`; None (and one line) when it fails: it must not take consensus down."""
    try:
        from panacea.node.rest.app import create_rest_app

        return create_rest_app(rpc, max_body_bytes)
    except Exception as e:  # the REST API is optional for consensus
        print(f"{prefix}REST API unavailable ({type(e).__name__}: {e})", file=out or sys.stderr, flush=True)
        return None
