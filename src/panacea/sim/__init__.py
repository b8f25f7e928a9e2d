"""Seeded randomized simulation of the chain (run long ones with ``python -m panacea.sim``)."""
