"""Each pass, table-driven: which key matched, with what confidence, and what is left a discrepancy."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import polars as pl
import pytest

from recon.matching import MatchConfig, match_transactions
from tests.unit.matching.builders import MON, bank, ledger

D = Decimal
CFG = MatchConfig(as_of=MON)


def run(b, lg, cfg=CFG):  # type: ignore[no-untyped-def]
    r = match_transactions(b, lg, cfg)
    return r, {(x["bank_entry_key"], x["ledger_txn_id"], x["match_key"], x["status"]) for x in
               r.matches.vstack(r.proposals).iter_rows(named=True)}, set(r.discrepancies["type"].to_list())


@pytest.mark.parametrize(("b", "lg", "pairs", "types"), [
    # UETR is case-insensitive (a UUID) and beats every weaker key on the same rows.
    (bank({"entry_key": "b", "amount": 10, "uetr": "ABC-1", "end_to_end_id": "x"}),
     ledger({"txn_id": "l", "amount": 10, "uetr": "abc-1", "end_to_end_id": "y"}),
     {("b", "l", "uetr", "confirmed")}, set()),
    # NOTPROVIDED is the pain.001 placeholder: two payments both carrying it must not match on it.
    (bank({"entry_key": "b", "amount": 10, "end_to_end_id": "NOTPROVIDED"}),
     ledger({"txn_id": "l", "amount": 11, "end_to_end_id": "NOTPROVIDED"}),
     set(), set()),  # both stay in transit
    (bank({"entry_key": "b", "amount": 10, "end_to_end_id": "E1"}),
     ledger({"txn_id": "l", "amount": 10, "end_to_end_id": "E1"}),
     {("b", "l", "end_to_end_id", "confirmed")}, set()),
    # The ledger keeps one bank reference; the bank may send it as AcctSvcrRef, InstrId or TxId.
    (bank({"entry_key": "b", "amount": 10, "tx_id": "TX9", "acct_svcr_ref": "ASR1"}),
     ledger({"txn_id": "l", "amount": 10, "bank_reference": "TX9"}),
     {("b", "l", "bank_reference", "confirmed")}, set()),
    # A key match with another amount is an amount_mismatch, never a match.
    (bank({"entry_key": "b", "amount": "10.00", "uetr": "u"}),
     ledger({"txn_id": "l", "amount": "10.01", "uetr": "u"}), set(), {"amount_mismatch"}),
    # Opposite directions under one key: the signed amounts differ.
    (bank({"entry_key": "b", "amount": 10, "uetr": "u", "direction": "DBIT"}),
     ledger({"txn_id": "l", "amount": 10, "uetr": "u"}), set(), {"amount_mismatch"}),
    # The same UETR twice at the bank: a duplicate booking.
    (bank({"entry_key": "b1", "amount": 10, "uetr": "u"}, {"entry_key": "b2", "amount": 10, "uetr": "u"}),
     ledger({"txn_id": "l", "amount": 10, "uetr": "u"}), set(), {"duplicate_txn"}),
    # No key: amount, direction and a 2-business-day window (Friday vs Monday is one business day).
    (bank({"entry_key": "b", "amount": 10}),
     ledger({"txn_id": "l", "amount": 10, "booking_date": MON - timedelta(days=3)}),
     {("b", "l", "amount_date", "confirmed")}, set()),
    # Two equal candidates: proposals for a person, not a guess.
    (bank({"entry_key": "b", "amount": 10}),
     ledger({"txn_id": "l1", "amount": 10}, {"txn_id": "l2", "amount": 10}),
     {("b", "l1", "amount_date", "proposed"), ("b", "l2", "amount_date", "proposed")}, set()),
    # One bank entry for a batch of ledger items (pain.001 PmtInf booked as one sum).
    (bank({"entry_key": "b", "amount": 30, "batch_id": "P1", "direction": "DBIT"}),
     ledger({"txn_id": "l1", "amount": 10, "batch_id": "P1", "direction": "DBIT"},
            {"txn_id": "l2", "amount": 20, "batch_id": "P1", "direction": "DBIT"}),
     {("b", "l1", "batch", "confirmed"), ("b", "l2", "batch", "confirmed")}, set()),
    # The reverse: one ledger item, several bank entries of one batch.
    (bank({"entry_key": "b1", "amount": 5, "batch_id": "P2"}, {"entry_key": "b2", "amount": 7, "batch_id": "P2"}),
     ledger({"txn_id": "l", "amount": 12, "batch_id": "P2"}),
     {("b1", "l", "batch", "confirmed"), ("b2", "l", "batch", "confirmed")}, set()),
    # A batch whose items do not add up.
    (bank({"entry_key": "b", "amount": 31, "batch_id": "P3"}),
     ledger({"txn_id": "l1", "amount": 10, "batch_id": "P3"}, {"txn_id": "l2", "amount": 20, "batch_id": "P3"}),
     set(), {"amount_mismatch"}),
    # A bank debit and its reversal (RvslInd) net out; the ledger never saw either.
    (bank({"entry_key": "o", "amount": 10, "direction": "DBIT", "acct_svcr_ref": "R1"},
          {"entry_key": "r", "amount": 10, "is_reversal": True, "acct_svcr_ref": "R1"}),
     ledger(), {("o", "", "reversal", "confirmed")}, set()),
    # A ledger reversal nets its original (reversal_of) when the bank never moved the money.
    (bank(), ledger({"txn_id": "o", "amount": 10}, {"txn_id": "r", "amount": 10, "direction": "DBIT",
                                                   "reversal_of": "o"}),
     {("", "o", "reversal", "confirmed")}, set()),
])
def test_pass(b, lg, pairs, types) -> None:  # type: ignore[no-untyped-def]
    r, got, found = run(b, lg)
    assert got == pairs
    assert found == types
    assert r.outcomes().group_by("side", "id").len()["len"].max() in (None, 1)


def test_tolerance_lets_a_rounding_difference_match() -> None:
    # A correspondent charging 0.01 on a 10,000 payment: within 0.01 absolute it is the same payment.
    cfg = MatchConfig(as_of=MON, tolerance_abs=D("0.01"))
    _, got, found = run(bank({"entry_key": "b", "amount": "10000.00", "uetr": "u"}),
                        ledger({"txn_id": "l", "amount": "9999.99", "uetr": "u"}), cfg)
    assert got == {("b", "l", "uetr", "confirmed")} and found == set()


@pytest.mark.parametrize(("age_days", "state"), [
    (0, "in_transit"),  # booked today: the ledger may book it tomorrow
    (2, "in_transit"),  # the timing window is 2 business days, inclusive
    (3, "missing_in_ledger"),  # past the window: missing
])
def test_timing_window(age_days: int, state: str) -> None:
    day = date(2026, 1, 9)  # a Friday: business days back are plain days
    r = match_transactions(bank({"entry_key": "b", "amount": 1, "booking_date": day - timedelta(days=age_days)}),
                           ledger(), MatchConfig(as_of=day))
    assert r.outcomes()["detail"].to_list() == [state]
    assert r.in_transit.height == (1 if state == "in_transit" else 0)


def test_chunked_inputs_match_like_contiguous_ones() -> None:
    # Frames read in batches arrive in several chunks; row ids are positions across all of them.
    b = bank(*[{"entry_key": f"b{i}", "amount": i + 1, "uetr": f"u{i}"} for i in range(6)])
    lg = ledger(*[{"txn_id": f"l{i}", "amount": i + 1, "uetr": f"U{i}"} for i in range(6)])
    chunked_b = pl.concat([b[:2], b[2:5], b[5:]], rechunk=False)
    chunked_l = pl.concat([lg[:4], lg[4:]], rechunk=False)
    assert chunked_b.n_chunks() == 3 and chunked_l.n_chunks() == 2
    _, got, found = run(chunked_b, chunked_l)
    assert got == {(f"b{i}", f"l{i}", "uetr", "confirmed") for i in range(6)} and found == set()
