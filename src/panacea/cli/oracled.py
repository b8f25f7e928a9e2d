"""`oracled` command line."""

from panacea.cli._stub import not_yet

main = not_yet("oracled", "the oracle daemon")
