"""The ABCI socket server that serves the App to a real CometBFT node, and the CometBFT process and
RPC client around it."""
