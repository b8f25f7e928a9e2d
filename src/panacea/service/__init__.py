"""What the oracle and the consumer service share: HTTP error conventions, request bounds, JWT auth with a
replay store shared by worker processes. Imports neither service (nor the node or the chain)."""
