"""`panacead start --abci ADDR`: the chain App behind an ABCI socket for a real CometBFT, plus the REST API.

The REST API reaches the chain through CometBFT's JSON-RPC (``[abci] comet-rpc`` in app.toml), exactly as
a client would. Run directly with ``python -m panacea.node.start.abci --home H --abci tcp://127.0.0.1:26658``
(the default: loopback, as CometBFT's ``proxy_app``; the ABCI socket carries no authentication).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from panacea.chain.app import App
from panacea.chain.store import Store
from panacea.node.abci.comet import HttpRpc
from panacea.node.abci.server import AbciServer, parse_address
from panacea.node.home import DEFAULT_ABCI, Home, NodeConfig
from panacea.node.runtime import tune_gc
from panacea.node.start.servers import HttpServer, create_rest, start_server, stop_on_signals


def open_app(home: Home, config: NodeConfig) -> App:
    home.app_db.mkdir(parents=True, exist_ok=True)
    return App(Store(str(home.app_db)), min_gas_price=config.min_gas_price)


async def serve_abci_node(home: Home, abci_address: str, stop: asyncio.Event) -> None:
    """Serve until ``stop`` is set; prints one ``listening`` line per server (tests and scripts wait on them)."""
    config = home.load_config()
    app = open_app(home, config)
    rpc = HttpRpc(config.comet_rpc)
    server = AbciServer(app, tx_index=rpc)
    rest: HttpServer | None = None
    try:
        bound = await server.start(abci_address)
        print(f"abci: listening on {bound} (height {app.info().last_block_height})", flush=True)
        if config.api_enable:
            rest_app = create_rest(rpc, prefix="api: ", max_body_bytes=config.max_body_bytes)
            if rest_app is not None:
                rest = await start_server(rest_app, config.api_address, what="REST API",
                                          setting=f"[api] address in {home.app_toml}")
                print(f"api: listening on http://{rest.host}:{rest.port}", flush=True)
        await stop.wait()
    finally:
        if rest is not None:
            await rest.stop()
        await server.stop()
        await rpc.close()
        height = app.store.version
        app.store.close()
    print(f"abci: stopped at height {height}", flush=True)


def run_abci_node(home: Home, abci_address: str) -> None:
    """Blocking; SIGINT/SIGTERM stop it cleanly (the store is closed after the last committed block)."""
    parse_address(abci_address)  # a bad address fails before anything opens

    async def main() -> None:
        stop = asyncio.Event()
        stop_on_signals(stop, sys.stdout, prefix="abci: ")
        await serve_abci_node(home, abci_address, stop)

    tune_gc()
    asyncio.run(main())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m panacea.node.start.abci",
                                     description="Serve the Panacea app to CometBFT over ABCI")
    parser.add_argument("--home", required=True)
    parser.add_argument("--abci", default=DEFAULT_ABCI)
    args = parser.parse_args(argv)
    try:
        run_abci_node(Home(args.home), args.abci)
    except (ValueError, OSError) as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
