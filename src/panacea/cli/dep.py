"""`dep` command line."""

from panacea.cli._stub import not_yet

main = not_yet("dep", "dep (devnet and demo)")
