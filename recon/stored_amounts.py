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
    "intraday_positions": {c: "currency" for c in ("bank_balance", "bank_future_value", "ledger_balance",
                                                   "ledger_future_value", "value_diff", "baseline_diff", "drift")},
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
# Ratios kept at the digits they were computed or configured with (0.5, not 0.500000000000000000).
STORED_RATIOS: Mapping[str, tuple[str, ...]] = {
    "ltv_positions": ("ltv", "ltv_with_cushion", "target_ltv", "effective_target_ltv", "threshold_watch",
                      "threshold_margin_call", "threshold_partial_liquidation",
                      "threshold_full_liquidation"),
}


def at_source_scale(table: str, rows: pl.DataFrame) -> pl.DataFrame:
    """`rows` for recon.<table> with its Decimal money columns as exact text at their scale.

    A `<column>_scale` beside an amount (the scale its source sent, see recon.camt.schemas) wins
    over the currency's; it is consumed here, not stored.
    """
    spec = {**STORED_AMOUNTS.get(table, {}), **dict.fromkeys(STORED_RATIOS.get(table, ()))}
    exprs, used = [], []
    for c, unit in spec.items():
        dtype = rows.schema.get(c)
        if not isinstance(dtype, pl.Decimal):
            continue
        by_unit = exact_text(c, unit if unit in rows.columns else None)
        sent = f"{c}_scale"
        if sent in rows.columns:
            used.append(sent)
            by_unit = pl.when(pl.col(sent).is_null()).then(by_unit).otherwise(
                _at_scale(c, dtype.scale or 0, sent)).alias(c)
        exprs.append(by_unit)
    out = rows.with_columns(exprs) if exprs else rows
    return out.drop(used) if used else out


def _at_scale(column: str, column_scale: int, scale_column: str) -> pl.Expr:
    """Decimal text cut back from the column's scale to the row's (only zeros are cut: the value was
    read at that scale)."""
    text = pl.col(column).cast(pl.String)
    drop = pl.lit(column_scale, pl.Int32) - pl.col(scale_column).cast(pl.Int32)
    drop = drop + pl.when(pl.col(scale_column) == 0).then(1).otherwise(0) if column_scale else drop
    return text.str.slice(0, text.str.len_chars() - drop)
