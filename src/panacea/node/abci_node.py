"""`panacead start --abci ADDR`: the chain App behind an ABCI socket for a real CometBFT, plus the REST API.

The REST API reaches the chain through CometBFT's JSON-RPC (``[abci] comet-rpc`` in app.toml), exactly as
a client would. Run directly with ``python -m panacea.node.abci_node --home H --abci tcp://127.0.0.1:26658``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import socket
import sys
from collections.abc import Iterator
from typing import Any

import uvicorn

from panacea.chain.app import App
from panacea.chain.store import Store
from panacea.node.abci_server import AbciServer, parse_address
from panacea.node.comet import HttpRpc
from panacea.node.home import Home, NodeConfig
from panacea.node.rpc_api import Rpc
from panacea.node.runtime import tune_gc


class _Uvicorn(uvicorn.Server):
    """uvicorn without its own signal handlers: this process stops everything from one place."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def create_rest(rpc: Rpc) -> Any | None:
    """REST API hook: `panacea.node.rest.create_rest_app(rpc)`; None (and one stderr line) when it fails.

    A broken REST layer must not take the validator down with it: ABCI keeps serving CometBFT."""
    try:
        from panacea.node.rest import create_rest_app  # type: ignore[import-not-found,unused-ignore]

        return create_rest_app(rpc)
    except Exception as e:  # the REST API is optional for consensus
        print(f"api: REST API unavailable ({type(e).__name__}: {e})", file=sys.stderr, flush=True)
        return None


def bind_tcp(host: str, port: int, *, what: str) -> socket.socket:
    """A listening socket, bound here so that a busy port is one clear OSError (uvicorn would sys.exit)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise OSError(f"{what} cannot listen on {host}:{port}: {e.strerror}") from None
    sock.listen(2048)
    sock.setblocking(False)
    return sock


def open_app(home: Home, config: NodeConfig) -> App:
    home.app_db.mkdir(parents=True, exist_ok=True)
    return App(Store(str(home.app_db)), min_gas_price=config.min_gas_price)


async def serve_abci_node(home: Home, abci_address: str, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set; prints one ``listening`` line per server (tests and scripts wait on them)."""
    config = home.load_config()
    app = open_app(home, config)
    server = AbciServer(app)
    rest: _Uvicorn | None = None
    rest_task: asyncio.Task[None] | None = None
    rpc = HttpRpc(config.comet_rpc)
    try:
        bound = await server.start(abci_address)
        print(f"abci: listening on {bound} (height {app.info().last_block_height})", flush=True)
        if config.api_enable:
            rest_app = create_rest(rpc)
            if rest_app is not None:
                api = parse_address(config.api_address)
                sock = bind_tcp(api.host, api.port, what="REST API")
                rest = _Uvicorn(uvicorn.Config(rest_app, log_level="warning"))
                rest_task = asyncio.create_task(rest.serve(sockets=[sock]))
                while not rest.started and not rest_task.done():
                    await asyncio.sleep(0.02)
                if rest_task.done():
                    rest_task.result()
                print(f"api: listening on http://{api.host}:{sock.getsockname()[1]}", flush=True)
        await stop.wait()
    finally:
        if rest is not None and rest_task is not None:
            rest.should_exit = True
            with contextlib.suppress(Exception):
                await rest_task
        await server.stop()
        await rpc.close()
        app.store.close()


def run_abci_node(home: Home, abci_address: str) -> None:
    """Blocking; SIGINT/SIGTERM stop it cleanly (the store is closed after the last committed block)."""
    parse_address(abci_address)  # a bad address fails before anything opens

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await serve_abci_node(home, abci_address, stop)

    tune_gc()
    asyncio.run(main())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m panacea.node.abci_node",
                                     description="Serve the Panacea app to CometBFT over ABCI")
    parser.add_argument("--home", required=True)
    parser.add_argument("--abci", default="tcp://127.0.0.1:26658")
    args = parser.parse_args(argv)
    try:
        run_abci_node(Home(args.home), args.abci)
    except (ValueError, OSError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
