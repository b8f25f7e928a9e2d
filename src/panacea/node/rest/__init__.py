"""The Cosmos SDK LCD REST API (``/cosmos/...``, ``/panacea/...``) over any ``Rpc``: the embedded engine
or a real CometBFT."""
