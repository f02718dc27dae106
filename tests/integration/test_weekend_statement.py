"""A statement dated a Saturday (some banks send one) is loaded with Monday's partition, where the ledger's
Saturday bookings are matched too: the daily assets (drop folder, ledger snapshots, matching) for Friday,
then Monday, with a real camt.053 file in the drop folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import sqlalchemy as sa

from assets.bank import bank_statement_tables
from assets.ledger import ledger_accounts, ledger_transactions
from assets.matching import transaction_matches
from resources.drop_folder import StatementsResource
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse
from tests.support.bank_files import new_account, statement, write_statement

FRI, SAT, MON = date(2026, 1, 9), date(2026, 1, 10), date(2026, 1, 12)


def _rows(wh: Warehouse, sql: str, **params: object) -> list[dict]:
    with wh.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.text(sql), params)]


def test_a_saturday_statement_is_loaded_and_matched_with_monday(
        warehouse: Warehouse, pg_server_url: str, tmp_path: Path) -> None:
    account = new_account()
    drop, books = tmp_path / "drop", tmp_path / "books"
    drop.mkdir()
    books.mkdir()
    write_statement(drop / "saturday.xml", statement(account, SAT, ["250.00"], sid=f"SAT-{account}"))
    write_statement(drop / "friday.xml", statement(account, FRI, [], sid=f"FRI-{account}"))
    (books / "accounts.csv").write_text("account_id,iban,currency,ledger_balance,as_of\n"
                                        f"L-{account},{account},CHF,350.00,2026-01-10T18:00:00Z\n")
    (books / "transactions.csv").write_text(
        "txn_id,account_id,direction,amount,currency,booked_at,uetr,end_to_end_id\n"
        f"sat-{account},L-{account},CRDT,250.00,CHF,2026-01-10T11:00:00Z,,E2E-SAT-{account}-{account}-0\n")
    resources = {"warehouse": WarehouseResource(database_url=pg_server_url),
                 "statements": StatementsResource(drop_folder=str(drop)),
                 "ledger": LedgerResource(kind="files", snapshot_dir=str(books), snapshot_home=str(tmp_path / "home"))}
    daily = [bank_statement_tables, ledger_accounts, ledger_transactions, transaction_matches]

    for day in (FRI, MON, MON):  # Monday twice: a re-run neither loses nor repeats the Saturday rows
        assert dg.materialize(daily, partition_key=str(day), resources=resources, raise_on_error=True).success

    entries = _rows(warehouse, "SELECT business_date, amount FROM recon.bank_entries WHERE account = :a", a=account)
    assert [(r["business_date"], str(r["amount"])) for r in entries] == [(SAT, "250.00")]
    matched = _rows(warehouse, "SELECT partition_key, ledger_txn_id, match_key FROM recon.transaction_matches "
                               "WHERE account = :a", a=account)
    assert [(r["partition_key"], r["ledger_txn_id"]) for r in matched] == [(str(MON), f"sat-{account}")]
    found = _rows(warehouse, "SELECT type FROM recon.discrepancies WHERE scope_id = :a AND status = 'open'",
                  a=account)
    assert found == []  # neither side of the Saturday payment is reported missing
    files = _rows(warehouse, "SELECT file_name, business_dates FROM recon.ingested_files WHERE file_name = "
                             "'saturday.xml' AND source = :s", s=f"drop_folder:{drop.resolve()}")
    assert [(f["file_name"], f["business_dates"]) for f in files] == [("saturday.xml", [SAT])]
