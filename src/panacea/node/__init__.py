"""The node: runs the chain App as a validator and serves it to clients.

Parts, bottom up: ``cometbft`` (the CometBFT data types both engines share), ``engine`` (the embedded
one-validator engine), ``abci`` (the ABCI socket server for a real CometBFT), ``rpc`` (CometBFT JSON-RPC and
websocket over the engine), ``rest`` (the Cosmos LCD REST API over either), ``start`` (the processes
``panacead start`` runs) and ``localnet`` (several CometBFT validators on one machine); ``home`` holds the
node directory and its settings."""
