"""Backfilling days of matching in any order gives the tables a serial run gives: a day reads only
what the days before it left (never a later day's findings). A small generated week on a real
Postgres: a match on the day, a late ledger booking, and one item missing on each side."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import sqlalchemy as sa

from assets.ledger import ledger_accounts, ledger_transactions
from assets.matching import transaction_matches
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores.identifiers import render
from stores.warehouse import Warehouse

ACCT = "AE950331234567890000042"
DAYS = ["2026-02-02", "2026-02-03", "2026-02-04", "2026-02-05", "2026-02-06"]  # Monday to Friday
ACCOUNTS = f"account_id,iban,currency,ledger_balance,as_of\nL-42,{ACCT},AED,0,2026-02-01T18:00:00Z\n"
TXNS = ("txn_id,account_id,direction,amount,currency,booked_at,uetr,end_to_end_id\n"
        "o-a,L-42,CRDT,100.00,AED,2026-02-02T09:00:00Z,u-o-a,\n"      # matched on Monday
        "o-c,L-42,CRDT,300.00,AED,2026-02-03T09:00:00Z,,\n"           # never at the bank
        "o-d,L-42,DBIT,400.00,AED,2026-02-06T09:00:00Z,u-o-d,\n")     # booked a day after the bank
BANK = [  # entry_key, business date, amount, direction, uetr
    ("o-e-a", "2026-02-02", "100.00", "CRDT", "u-o-a"),
    ("o-e-b", "2026-02-03", "200.00", "DBIT", None),                  # never in the ledger
    ("o-e-d", "2026-02-05", "400.00", "DBIT", "u-o-d"),
]
MATCHES = ("SELECT partition_key, bank_entry_key, ledger_txn_id, match_key, status FROM recon.transaction_matches "
           "WHERE account = :a ORDER BY 1, 2, 3")
TRANSIT = "SELECT partition_key, side, item_key FROM recon.transactions_in_transit WHERE account = :a ORDER BY 1, 2, 3"
FOUND = ("SELECT discrepancy_key, type, status, first_seen_partition FROM recon.discrepancies "
         "WHERE scope_id = :a AND detector = 'transaction_matching' ORDER BY 1")


def _reset(wh: Warehouse) -> None:
    with wh.engine.begin() as conn:
        for t in ("transaction_matches", "transactions_in_transit", "bank_entries", "bank_statements"):
            conn.execute(sa.text(render("DELETE FROM recon.{t} WHERE account = :a", t=t)), {"a": ACCT})
        conn.execute(sa.text("DELETE FROM recon.circuit_breakers WHERE scope_id = :a"), {"a": ACCT})
        conn.execute(sa.text("DELETE FROM recon.discrepancies WHERE scope_id = :a"), {"a": ACCT})
        for day in DAYS:
            conn.execute(sa.text(
                "INSERT INTO recon.bank_statements (statement_key, business_date, message_type, message_id, "
                "statement_id, account, currency, opening_balance, closing_balance, source_file, file_sha256) "
                "VALUES (:k, :d, 'camt.053.001.02', :k, :k, :a, 'AED', 0, 0, 'f', 'h')"),
                {"k": f"o-st-{day}", "d": day, "a": ACCT})
        for key, day, amount, direction, uetr in BANK:
            conn.execute(sa.text(
                "INSERT INTO recon.bank_entries (entry_key, statement_key, business_date, account, currency, "
                "amount, direction, booking_date, uetr, message_type) VALUES "
                "(:k, :s, :d, :a, 'AED', :m, :dir, :d, :u, 'camt.053.001.02')"),
                {"k": key, "s": f"o-st-{day}", "d": day, "a": ACCT, "m": amount, "dir": direction, "u": uetr})


def _tables(wh: Warehouse) -> dict[str, list[dict]]:
    return {name: wh.rows(sql, a=ACCT) for name, sql in (("matches", MATCHES), ("transit", TRANSIT),
                                                         ("found", FOUND))}


def test_days_rerun_in_reverse_order_give_the_serial_tables(warehouse: Warehouse, pg_server_url: str,
                                                            tmp_path: Path) -> None:
    _reset(warehouse)
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    (tmp_path / "transactions.csv").write_text(TXNS)
    resources = {"warehouse": WarehouseResource(database_url=pg_server_url),
                 "ledger": LedgerResource(kind="files", snapshot_dir=str(tmp_path),
                                          snapshot_home=str(tmp_path / "home"))}

    def run(day: str) -> None:
        dg.materialize([ledger_accounts, ledger_transactions, transaction_matches], partition_key=day,
                       resources=resources, raise_on_error=True)

    for day in DAYS:
        run(day)
    serial = _tables(warehouse)
    # The week holds what it should: a match on the day, a late booking matched, one missing each side.
    assert {(m["bank_entry_key"], m["ledger_txn_id"]) for m in serial["matches"]} == {
        ("o-e-a", "o-a"), ("o-e-d", "o-d")}
    assert {f["type"] for f in serial["found"]} == {"missing_in_ledger", "missing_at_bank"}

    for day in reversed(DAYS):
        run(day)
    assert _tables(warehouse) == serial
