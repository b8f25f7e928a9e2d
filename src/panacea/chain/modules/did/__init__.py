"""x/did: DID documents on chain (did-reference §1-§6)."""
