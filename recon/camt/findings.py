"""Findings of the bank side: a statement whose balances do not add up."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from recon.discrepancies import Discrepancy, discrepancy_frame
from recon.money import show


def unbalanced_statements(statements: pl.DataFrame) -> pl.DataFrame:
    """One `statement_unbalanced` per statement where opening + booked entries != closing."""
    found = []
    for s in statements.filter(pl.col("proof_ok") == False).iter_rows(named=True):  # noqa: E712
        expected = s["opening_balance"] + s["booked_total"]
        gap: Decimal = s["closing_balance"] - expected
        ccy = s["currency"]
        found.append(Discrepancy(
            type="statement_unbalanced", scope_type="account", scope_id=s["account"],
            natural_key=s["statement_key"], severity="significant", currency=s["currency"],
            amount=gap,
            summary=(f"statement {s['statement_id']} of {s['business_date']} does not balance: "
                     f"{s['opening_type']} {show(s['opening_balance'], ccy)} + booked "
                     f"{show(s['booked_total'], ccy)} = {show(expected, ccy)}, but CLBD is "
                     f"{show(s['closing_balance'], ccy)}"),
            details={"statement_id": s["statement_id"], "source_file": s["source_file"],
                     "business_date": s["business_date"], "message_type": s["message_type"]},
        ))
    return discrepancy_frame(found)
