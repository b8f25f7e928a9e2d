"""CometBFT 0.38 data types shared by the engine, the RPC and the ABCI server: encodings, blocks,
results and their JSON, and the event query language."""
