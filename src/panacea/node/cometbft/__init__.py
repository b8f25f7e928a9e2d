"""CometBFT 0.38 shapes only the node serves: ABCI results and their JSON, and the event query language. The
block, commit and validator types shared with light clients are in ``panacea.types.cometbft``."""
