"""The intraday window's bank position uses what tier 1 stored, files for what it does not hold, and
counts a notification that came both ways once."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from assets.intraday_bank import bank_position, tier1_movements
from clients.folder_source import LocalFolderSource
from recon.tier1.notification import read_notification
from stores.statement_days import load_business_date
from stores.tier1_store import Delivery, Tier1Store
from stores.warehouse import Warehouse
from tests.integration.tier1_world import DAY, EUR, GBP, OPENING, LedgerBook, load_statements, note

WINDOW_END = datetime(2026, 11, 16, 10, 30, tzinfo=UTC)


def test_intraday_position_takes_tier1_notifications_and_counts_each_once(fresh_warehouse: Warehouse,
                                                                           tmp_path: Path) -> None:
    wh, drop = fresh_warehouse, tmp_path / "drop"
    load_statements(wh, drop)
    both, only_stream, only_file = note("I1", "100.00"), note("I2", "40.00"), note("I3", "7.25", iban=GBP)
    at = datetime(2026, 11, 16, 9, 1, tzinfo=UTC)
    for seq, body in enumerate((both, only_stream), start=1):
        d = Delivery("BANK_NOTIFICATIONS", seq, "iso20022.camt.054", at, at, body)
        Tier1Store(wh).handle(read_notification(body, d.name), d, LedgerBook().read())
    (drop / "054_I1.xml").write_bytes(both)  # the bank also dropped one of them as a file
    (drop / "054_I3.xml").write_bytes(only_file)
    load_business_date(wh, LocalFolderSource(drop), DAY)

    position, moves = bank_position(wh, DAY, WINDOW_END)
    balances = {r["account"]: r["balance"] for r in position.iter_rows(named=True)}
    assert balances[EUR] == OPENING[EUR] + Decimal("140.00")  # I1 once, I2 from tier 1
    assert balances[GBP] == OPENING[GBP] + Decimal("7.25")  # files for what tier 1 does not hold
    assert moves == 3
    assert tier1_movements(wh, DAY, WINDOW_END) == 2
