"""The credit product's ledger tables, read through the generic ledger source."""

from __future__ import annotations

import polars as pl

from recon.ledger.tables import MONEY, TIMESTAMP, LedgerTable

CREDIT_LINES = LedgerTable(
    name="credit_lines",
    columns={
        "credit_line_id": pl.String(),
        "user_id": pl.String(),
        "currency": pl.String(),  # ISO 4217: debt, limit and collateral values are in it
        "credit_limit": MONEY,
        "outstanding_principal": MONEY,
        "accrued_interest": MONEY,
        "target_ltv": MONEY,  # a fraction: 0.5 means 50 %
        "status": pl.String(),  # active | frozen | closed
        "collateral_accounts": pl.String(),  # Stellar account ids holding the collateral, comma-separated
        "creditor_reference": pl.String(),  # the RF reference borrowers quote when they repay
        "updated_at": TIMESTAMP,
    },
    required=("credit_line_id", "currency", "outstanding_principal", "target_ltv", "status", "updated_at"),
    as_of_column="updated_at",
)

COLLATERAL_ESCROW = LedgerTable(
    name="collateral_escrow",
    columns={
        "credit_line_id": pl.String(),
        "asset": pl.String(),  # Stellar asset key: XLM, or CODE:ISSUER
        "contract_id": pl.String(),  # the Soroban contract holding it
        "escrowed_amount": MONEY,
        "accrued_yield": MONEY,  # yield earned and not yet claimed: the yield cushion
        "as_of": TIMESTAMP,
    },
    required=("credit_line_id", "asset", "escrowed_amount", "as_of"),
    as_of_column="as_of",
)

REPAYMENTS = LedgerTable(
    name="repayments",
    columns={
        "repayment_id": pl.String(),
        "credit_line_id": pl.String(),
        "amount": MONEY,
        "currency": pl.String(),
        "creditor_reference": pl.String(),
        "end_to_end_id": pl.String(),
        "value_date": pl.Date(),
        "booked_at": TIMESTAMP,
        "status": pl.String(),  # booked | reversed
    },
    required=("repayment_id", "credit_line_id", "amount", "currency", "booked_at"),
    as_of_column="booked_at",
)

# Collateral sold to liquidate a line (by the desk or on chain): the ledger's evidence of a liquidation.
COLLATERAL_SALES = LedgerTable(
    name="collateral_sales",
    columns={
        "sale_id": pl.String(),
        "credit_line_id": pl.String(),
        "asset": pl.String(),
        "quantity": MONEY,
        "proceeds": MONEY,
        "sold_at": TIMESTAMP,
        "tx_hash": pl.String(),
    },
    required=("sale_id", "credit_line_id", "asset", "quantity", "sold_at"),
    as_of_column="sold_at",
)

TABLES: dict[str, LedgerTable] = {t.name: t for t in (CREDIT_LINES, COLLATERAL_ESCROW, REPAYMENTS,
                                                        COLLATERAL_SALES)}
