"""Repayment matching: creditor reference first, then EndToEndId, amounts checked, timing respected."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import polars as pl

from recon.credit.repayments import BANK_SCHEMA, match_repayments
from recon.credit.tables import CREDIT_LINES, REPAYMENTS

DAY = date(2026, 3, 10)
D = Decimal


def _lines() -> pl.DataFrame:
    rows = [{"credit_line_id": "L1", "currency": "EUR", "outstanding_principal": D(1000), "target_ltv": D("0.5"),
             "status": "active", "creditor_reference": "RF18 5390 0754 7034",
             "updated_at": datetime(2026, 1, 1, tzinfo=UTC)},
            {"credit_line_id": "L2", "currency": "EUR", "outstanding_principal": D(1000), "target_ltv": D("0.5"),
             "status": "active", "creditor_reference": "RF71 0000 0000 0002",
             "updated_at": datetime(2026, 1, 1, tzinfo=UTC)}]
    return pl.DataFrame(rows, schema=CREDIT_LINES.columns)


def _repayment(rid: str, line: str, amount: str, day: date, ref: str | None = None, e2e: str | None = None,
               status: str = "booked") -> dict:
    return {"repayment_id": rid, "credit_line_id": line, "amount": D(amount), "currency": "EUR",
            "creditor_reference": ref, "end_to_end_id": e2e, "value_date": day,
            "booked_at": datetime(day.year, day.month, day.day, 12, tzinfo=UTC), "status": status}


def _bank(key: str, amount: str, day: date, ref: str | None = None, e2e: str | None = None) -> dict:
    return {"entry_key": key, "account": "DE01", "currency": "EUR", "amount": D(amount), "booking_date": day,
            "creditor_ref": ref, "end_to_end_id": e2e}


def _run(bank: list[dict], ledger: list[dict]):  # type: ignore[no-untyped-def]
    return match_repayments(pl.DataFrame(bank, schema=BANK_SCHEMA), pl.DataFrame(ledger, schema=REPAYMENTS.columns),
                            _lines(), DAY, window_days=2)


def test_line_reference_pairs_monthly_repayments_by_amount() -> None:
    # The borrower quotes the same line reference every month (spaces and case vary); amounts tell them apart.
    r = _run([_bank("B1", "100", date(2026, 3, 2), "rf1853900754 7034"),
              _bank("B2", "250", date(2026, 3, 3), "RF18539007547034")],
             [_repayment("R1", "L1", "250", date(2026, 3, 3)), _repayment("R2", "L1", "100", date(2026, 3, 2))])
    got = dict(zip(r.matches["entry_key"], r.matches["repayment_id"], strict=True))
    assert got == {"B1": "R2", "B2": "R1"}
    assert set(r.matches["match_key"]) == {"creditor_reference"}
    assert r.discrepancies() == []


def test_end_to_end_id_with_other_amount_is_a_mismatch_not_a_match() -> None:
    # Same payment id, 10 EUR apart: the bank and ledger disagree on what was repaid.
    r = _run([_bank("B1", "90", date(2026, 3, 2), None, "E2E-42")],
             [_repayment("R1", "L2", "100", date(2026, 3, 2), ref="RF-OTHER", e2e="E2E-42")])
    assert r.matches.height == 0
    [d] = r.discrepancies()
    assert (d.type, d.scope_id, d.amount) == ("amount_mismatch", "L2", D("-10"))


def test_unmatched_bank_credit_after_window_is_unmatched_repayment() -> None:
    # Borrower paid, ledger never booked it: debt overstated, which could trigger a wrong liquidation.
    r = _run([_bank("B9", "500", date(2026, 3, 5), "RF71 0000 0000 0002")], [])
    [d] = r.discrepancies()
    assert (d.type, d.scope_id, d.natural_key) == ("unmatched_repayment", "L2", "bank:B9")


def test_young_unmatched_items_are_in_transit() -> None:
    # Booked yesterday at the bank and today in the ledger with no common key yet: not reported.
    r = _run([_bank("B9", "500", date(2026, 3, 9), "RF71 0000 0000 0002")],
             [_repayment("R7", "L1", "70", DAY)])
    assert r.discrepancies() == []
    assert r.unmatched_bank().height == 1 and r.unmatched_ledger().height == 1


def test_ledger_repayment_without_bank_credit_is_unmatched() -> None:
    r = _run([], [_repayment("R3", "L1", "80", date(2026, 3, 1))])
    [d] = r.discrepancies()
    assert (d.type, d.natural_key) == ("unmatched_repayment", "ledger:R3")


def test_notprovided_never_matches_and_reversed_repayments_are_ignored() -> None:
    # NOTPROVIDED is a placeholder many banks send; a reversed ledger repayment never reached the bank.
    r = _run([_bank("B1", "100", date(2026, 3, 2), None, "NOTPROVIDED")],
             [_repayment("R1", "L9", "100", date(2026, 3, 2), ref="RF-X", e2e="NOTPROVIDED"),
              _repayment("R2", "L1", "100", date(2026, 3, 2), status="reversed")])
    assert r.pairs.height == 0
    assert r.bank.height == 0  # not a repayment at all: the general matcher owns it
    assert [d.natural_key for d in r.discrepancies()] == ["ledger:R1"]
