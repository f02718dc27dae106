"""Which columns of the output tables hold money, and the column naming each row's unit.

The writer stores these at each value's source scale (`recon.money.exact_text`) instead of the
frame's fixed Decimal scale. A unit of None: the value's own digits (reserve books, aggregates
across chains whose tokens differ in decimals). Chain tables are absent: their frames are already
at the token's decimals, raw units beside them.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from recon.money import exact_text

STORED_AMOUNTS: Mapping[str, Mapping[str, str | None]] = {
    "bank_statements": {c: "currency" for c in ("opening_balance", "closing_balance",
                                                "booked_total", "signed_entry_total")},
    "bank_balances": {"amount": "currency"},
    "bank_entries": {"amount": "currency", "entry_amount": "entry_currency",
                     "instructed_amount": "instructed_currency",
                     "counter_value_amount": "counter_value_currency",
                     "charges_amount": "charges_currency"},
    "balance_checks": {c: "currency" for c in ("ledger_balance", "bank_balance", "diff")},
    "discrepancies": {"amount": "currency"},
    "transaction_matches": {"bank_amount": "currency", "ledger_amount": "currency"},
    "transactions_in_transit": {"amount": "currency"},
    "repayment_matches": {"bank_amount": "currency", "ledger_amount": "currency"},
    "backing_checks": {"circulating": None, "reserves": None, "shortfall": None},
    "reserve_status": {c: "currency" for c in ("total", "locked", "available")},
    "reserve_ledger_audit": {c: None for c in ("initial_reserve", "top_ups", "real_amount",
                                               "test_amount", "expected_reserve",
                                               "ledger_reserve")},
    "redemption_audit": {c: None for c in ("amount", "reserve_before", "reserve_after")},
    "ltv_positions": {c: "currency" for c in (
        "debt", "collateral_value", "principal", "accrued_interest", "market_value",
        "yield_cushion_value", "collateral_value_with_cushion", "liquidation_value",
        "topup_value")},
}


def at_source_scale(table: str, rows: pl.DataFrame) -> pl.DataFrame:
    """`rows` for recon.<table> with its Decimal money columns as exact text at their scale."""
    spec = STORED_AMOUNTS.get(table, {})
    exprs = [exact_text(c, u if u in rows.columns else None) for c, u in spec.items()
             if c in rows.columns and isinstance(rows.schema[c], pl.Decimal)]
    return rows.with_columns(exprs) if exprs else rows
