"""The node processes ``panacead start`` runs: the embedded engine, or the App behind ABCI, each with
its HTTP servers."""
