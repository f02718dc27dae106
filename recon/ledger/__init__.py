"""The issuer's internal ledger: canonical tables and exact, typed reading of its rows."""
