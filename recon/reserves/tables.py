"""The redemption service's books as ledger tables, read through the ledger source like the ledger.

Amounts are Decimal(38, 18): USDT has 6 decimals, other tokens 18, and one type holds both exactly.
`test_mode` is text in the source (true/false, t/f, 1/0, yes/no) and parsed by `schemas.conform`.
"""

from __future__ import annotations

import polars as pl

from recon.ledger.tables import MONEY, TIMESTAMP, LedgerTable

# Per chain: the reserve the redemption service holds against its redemptions (a state table).
RESERVE_LEDGER = LedgerTable(
    name="reserve_ledger",
    columns={
        "chain_id": pl.Int64(),
        "total_reserve": MONEY,
        "last_updated": TIMESTAMP,
        "notes": pl.String(),
    },
    required=("chain_id", "total_reserve"),
    as_of_column=None,
)

# Every redemption the service logged; status "refused" rows were turned down and moved nothing.
REDEMPTIONS = LedgerTable(
    name="redemptions",
    columns={
        "redemption_id": pl.String(),
        "user_address": pl.String(),
        "amount": MONEY,
        "redeemed_at": TIMESTAMP,
        "chain_id": pl.Int64(),
        "tx_hash": pl.String(),
        "reserve_before": MONEY,
        "reserve_after": MONEY,
        "test_mode": pl.String(),
        "status": pl.String(),
    },
    required=("user_address", "amount", "redeemed_at", "chain_id", "reserve_before", "reserve_after"),
    as_of_column="redeemed_at",
)

# lock / release (paired by reference), top_up / withdrawal (change the total); a top_up carrying a
# chain_id also tops up that chain's reserve ledger. ttl_seconds: how long a lock may stay unreleased.
RESERVE_OPERATIONS = LedgerTable(
    name="reserve_operations",
    columns={
        "operation_id": pl.String(),
        "reserve_id": pl.String(),
        "operation": pl.String(),
        "amount": MONEY,
        "reference": pl.String(),
        "at": TIMESTAMP,
        "ttl_seconds": pl.Int64(),
        "chain_id": pl.Int64(),
    },
    required=("reserve_id", "operation", "amount", "reference", "at"),
    as_of_column="at",
)

# Reserve accounts per currency and type (crypto | fiat); reported_* are the service's own figures.
RESERVE_ACCOUNTS = LedgerTable(
    name="reserve_accounts",
    columns={
        "reserve_id": pl.String(),
        "currency": pl.String(),
        "reserve_type": pl.String(),
        "initial_total": MONEY,
        "reported_total": MONEY,
        "reported_locked": MONEY,
    },
    required=("reserve_id", "currency", "reserve_type", "initial_total"),
    as_of_column=None,
)

# Custodial users' off-chain balances, one row per user, chain and asset.
CUSTODIAL_BALANCES = LedgerTable(
    name="custodial_balances",
    columns={
        "user_id": pl.String(),
        "chain": pl.String(),
        "asset": pl.String(),
        "address": pl.String(),
        "balance": MONEY,
    },
    required=("user_id", "chain", "asset", "address", "balance"),
    as_of_column=None,
)

TABLES: dict[str, LedgerTable] = {
    t.name: t for t in (RESERVE_LEDGER, REDEMPTIONS, RESERVE_OPERATIONS, RESERVE_ACCOUNTS, CUSTODIAL_BALANCES)
}
OPERATIONS = ("lock", "release", "top_up", "withdrawal")
