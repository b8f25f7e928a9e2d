"""The embedded engine: one in-process validator that makes blocks on a timer, with its mempool, block
store, event bus and validator key."""
