"""Chain side of the reconciliation, pure: units, ABI helpers, block pinning, row shapes."""
