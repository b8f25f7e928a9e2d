"""CometBFT 0.38 data types (blocks, headers, commits, votes, validators, genesis) and the encodings CometBFT
hashes and serves: shared by the embedded engine, the ABCI server and the RPC (``panacea.node``) and by the
light client (``panacea.client.light``), so they import only protobuf types."""
