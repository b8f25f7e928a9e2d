"""``python -m panacea.sim --seed 7 --blocks 10000``: a long simulation run with progress output."""

from __future__ import annotations

import sys
import tempfile
import time

import click

from panacea import _native
from panacea.sim.harness import Simulation, SimulationError


@click.command()
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--blocks", type=click.IntRange(1), default=5000, show_default=True)
@click.option("--digest", type=click.Choice(["sha256", "legacy"]), default="sha256", show_default=True)
def main(seed: int, blocks: int, digest: str) -> None:
    """Run the simulation, checking every invariant after every block."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="panacea-sim-") as home:
        sim = Simulation(seed, home, digest=digest)
        try:
            sim.run(blocks, lambda h: click.echo(f"height {h}", err=True) if h % 500 == 0 else None)
        except SimulationError as e:
            click.echo(f"FAILED: {e}", err=True)
            sys.exit(1)
        finally:
            sim.close()
    elapsed = time.perf_counter() - started
    click.echo(f"seed {seed}: {blocks} blocks in {elapsed:.1f}s, final app hash {sim.hashes[-1].hex()}, "
               f"results hash {sim.result_hashes[-1].hex()} ({_native.STATUS.describe()})")
    for name, n in sorted(sim.stats.items()):
        click.echo(f"  {name:20} {n}")


if __name__ == "__main__":
    main()
