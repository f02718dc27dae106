"""Notifications (054/052) linked to the statement entry that books them, and nothing else."""

from __future__ import annotations

from decimal import Decimal

import polars as pl

from recon.camt.linking import link_movements
from recon.camt.schemas import AMOUNT

COLS = ["entry_key", "account", "direction", "amount", "acct_svcr_ref", "entry_ref", "uetr",
        "end_to_end_id"]


def _frame(rows: list[tuple]) -> pl.DataFrame:
    schema = {c: pl.String for c in COLS} | {"amount": AMOUNT}
    return pl.DataFrame([dict(zip(COLS, r, strict=True)) for r in rows], schema=schema)


def _d(x: str) -> Decimal:
    return Decimal(x)


def test_link_passes_strongest_key_first() -> None:
    notes = _frame([
        ("n1", "A", "CRDT", _d("10"), "ASR1", None, None, None),    # bank reference
        ("n2", "A", "CRDT", _d("20"), None, "NR2", None, None),     # entry reference
        ("n3", "A", "DBIT", _d("30"), None, None, "U3", "E3"),      # UETR before E2E
        ("n4", "A", "DBIT", _d("40"), None, None, None, "E4"),      # EndToEndId last
    ])
    stmts = _frame([
        ("s1", "A", "CRDT", _d("10"), "ASR1", None, None, None),
        ("s2", "A", "CRDT", _d("20"), "OTHER", "NR2", None, None),
        ("s3", "A", "DBIT", _d("30"), None, None, "U3", "E3"),
        ("s4", "A", "DBIT", _d("40"), None, None, None, "E4"),
    ])
    links = link_movements(notes, stmts).sort("notification_entry_key")
    assert links.select("notification_entry_key", "statement_entry_key", "matched_on").rows() == [
        ("n1", "s1", "acct_svcr_ref"), ("n2", "s2", "entry_ref"), ("n3", "s3", "uetr"),
        ("n4", "s4", "end_to_end_id")]


def test_what_must_not_link() -> None:
    notes = _frame([
        ("n1", "A", "CRDT", _d("10"), None, None, None, "NOTPROVIDED"),  # placeholder
        ("n2", "A", "CRDT", _d("10"), "R2", None, None, None),           # other account
        ("n3", "A", "CRDT", _d("10"), "R3", None, None, None),           # direction differs
        ("n4", "A", "CRDT", _d("10"), "R4", None, None, None),           # amount differs
        ("n5", "A", "CRDT", _d("10"), "R5", None, None, None),           # R5 twice in statement
    ])
    stmts = _frame([
        ("s1", "A", "CRDT", _d("10"), None, None, None, "NOTPROVIDED"),
        ("s2", "B", "CRDT", _d("10"), "R2", None, None, None),
        ("s3", "A", "DBIT", _d("10"), "R3", None, None, None),
        ("s4", "A", "CRDT", _d("10.01"), "R4", None, None, None),
        ("s5", "A", "CRDT", _d("10"), "R5", None, None, None),
        ("s6", "A", "CRDT", _d("10"), "R5", None, None, None),
    ])
    assert link_movements(notes, stmts).is_empty()


def test_one_statement_entry_takes_one_notification() -> None:
    # The 053 entry already linked by AcctSvcrRef is not offered again to the E2E pass.
    notes = _frame([("n1", "A", "CRDT", _d("5"), "R1", None, None, "E"),
                    ("n2", "A", "CRDT", _d("5"), None, None, None, "E2")])
    stmts = _frame([("s1", "A", "CRDT", _d("5"), "R1", None, None, "E2")])
    links = link_movements(notes, stmts)
    assert links.select("notification_entry_key", "statement_entry_key").rows() == [("n1", "s1")]
