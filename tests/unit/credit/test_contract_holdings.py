"""Escrow in a Soroban contract counts what the chain says the contract holds, never the ledger's figure."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

import polars as pl

from recon.credit.inputs import contract_holdings, holdings
from recon.credit.model import CreditLine
from recon.credit.tables import COLLATERAL_ESCROW

LINES = [CreditLine("L1", "EUR", D(100), D(0), D("0.4")), CreditLine("L2", "EUR", D(100), D(0), D("0.4"))]
AT = datetime(2026, 1, 5, 12, tzinfo=UTC)


def escrow(*rows: tuple[str, str | None, str]) -> pl.DataFrame:
    frame = pl.DataFrame([{"credit_line_id": line, "asset": "native", "contract_id": contract,
                           "escrowed_amount": D(amount), "accrued_yield": D(1), "as_of": AT}
                          for line, contract, amount in rows])
    return frame.select([pl.col(c).cast(t) for c, t in COLLATERAL_ESCROW.columns.items()])


NO_BALANCES = pl.DataFrame(schema={"account": pl.String(), "asset": pl.String(), "balance": pl.Decimal(38, 7)})


def test_contract_balance_replaces_the_ledgers_figure() -> None:
    frame = escrow(("L1", "CA", "9999"), ("L2", None, "500"))
    assert contract_holdings(frame) == {"L1": [("CA", "native")]}  # L2's escrow is the ledger's own
    held = holdings(LINES, NO_BALANCES, frame, contract_balances={("CA", "native"): D("5000.0000000")})
    assert (held["L1"][0].escrowed, held["L1"][0].yield_accrued) == (D("5000.0000000"), D(1))
    assert held["L2"][0].escrowed == D(500)


def test_a_contract_not_read_adds_nothing() -> None:
    # Its line is made unknown by the book (the read error); the ledger's 9999 is never a stand-in.
    held = holdings(LINES, NO_BALANCES, escrow(("L1", "CA", "9999")), contract_balances={})
    assert held["L1"][0].escrowed == 0
