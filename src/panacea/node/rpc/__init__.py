"""CometBFT-compatible JSON-RPC (HTTP and websocket) over the embedded engine, and the ``Rpc`` interface
other parts reach a node through."""
