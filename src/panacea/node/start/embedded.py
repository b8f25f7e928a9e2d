"""`panacead start` (default mode): the embedded engine, its CometBFT JSON-RPC and the REST API in one loop.

Run directly with ``python -m panacea.node.start.embedded --home H``. One progress line per server on stderr
("JSON-RPC listening on …", "REST API on …") and "height N, app hash …" every few seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import TextIO

from panacea.node.bodylimit import default_max_body_bytes
from panacea.node.engine.engine import Engine, EngineError
from panacea.node.home import Home
from panacea.node.rpc.handlers import LocalRpc
from panacea.node.rpc.server import create_rpc_app
from panacea.node.runtime import tune_gc
from panacea.node.start.servers import HttpServer, create_rest, start_server, stop_on_signals
from panacea.types.cometbft.encoding import hexu

PROGRESS_SECONDS = 5.0


def _log(line: str, out: TextIO | None = None) -> None:
    print(line, file=out or sys.stderr, flush=True)


async def serve_embedded(home: Home, *, ready: asyncio.Event | None = None, stop: asyncio.Event | None = None,
                         log: TextIO | None = None) -> None:
    """Run the node until `stop` is set or the task is cancelled; `ready` is set once every server listens.

    Progress lines go to `log`, by default the stderr of the moment the node starts (a node running in a
    background thread must not write into whatever stream another piece of code swaps in later)."""
    out = log or sys.stderr
    engine = Engine(home)
    servers: list[HttpServer] = []
    progress: asyncio.Task[None] | None = None
    started = False
    try:
        await engine.start()
        started = True
        config = engine.config
        limit = config.max_body_bytes or default_max_body_bytes(engine.genesis.max_bytes)
        servers.append(await start_server(create_rpc_app(engine, limit), config.rpc_laddr, what="JSON-RPC",
                                          setting=f"[rpc] laddr in {home.app_toml}"))
        engine.listen["rpc"] = servers[-1].address
        _log(f"JSON-RPC listening on {servers[-1].address} (chain {engine.chain_id}, height {engine.height})", out)
        if config.api_enable:
            rest = create_rest(LocalRpc(engine), out, max_body_bytes=limit)
            if rest is not None:
                servers.append(await start_server(rest, config.api_address, what="REST API",
                                                  setting=f"[api] address in {home.app_toml}"))
                engine.listen["api"] = servers[-1].address
                _log(f"REST API on {servers[-1].address}", out)
        progress = asyncio.create_task(_progress(engine, out))
        if ready is not None:
            ready.set()
        await (stop.wait() if stop is not None else asyncio.Event().wait())
    finally:
        if progress is not None:
            progress.cancel()
        for server in servers:
            await server.stop()
        if started:
            await engine.stop()
            _log(f"stopped at height {engine.height}", out)
        else:
            engine.executor.shutdown(wait=True)
            engine.blocks.close()
            engine.store.close()


async def _progress(engine: Engine, out: TextIO) -> None:
    last = -1
    while True:
        await asyncio.sleep(PROGRESS_SECONDS)
        if engine.height != last:
            last = engine.height
            results = engine.blocks.results(last)
            app_hash = hexu(results.app_hash) if results else ""
            _log(f"height {last}, app hash {app_hash}, mempool {len(engine.mempool)} ({time.strftime('%H:%M:%S')})",
                 out)


def run_embedded_node(home: Home) -> None:
    """Blocking; SIGINT/SIGTERM stop it cleanly (after the block being executed is committed)."""

    async def main() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop)
        await serve_embedded(home, stop=stop)

    tune_gc()
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        asyncio.run(main())
    else:
        uvloop.run(main())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m panacea.node.start.embedded", description="Run the embedded node")
    parser.add_argument("--home", required=True)
    args = parser.parse_args(argv)
    try:
        run_embedded_node(Home(args.home))
    except (EngineError, ValueError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
