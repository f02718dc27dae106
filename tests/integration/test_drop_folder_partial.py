"""A drop folder read where some files could not be read is `partial`, the files named: a pipe and a folder
named like a statement (real faults, also as root), and a file removed between the listing and its read.
The files read are loaded; the day's verdicts that rest on the bank say unknown; the unread files are not
registered, so the next read takes them."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import dagster as dg
import sqlalchemy as sa

from assets.bank import bank_statement_tables
from assets.ledger import ledger_accounts, ledger_transactions
from assets.matching import transaction_matches
from clients.folder_source import LocalFolderSource
from resources.drop_folder import StatementsResource
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores.statement_files import scan_new_files
from stores.warehouse import Warehouse
from tests.support.bank_files import new_account, statement, write_statement

DAY = date(2026, 1, 14)


class _VanishingAfterListing(LocalFolderSource):
    """The folder as listed, then one file removed before it is read (another process took it)."""

    def list(self) -> list[str]:
        names = super().list()
        (self.root / "vanishing.xml").unlink()
        return names


def test_a_file_removed_between_listing_and_reading_is_named_and_not_registered(
        warehouse: Warehouse, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    write_statement(drop / "kept.xml", statement(new_account(), DAY, ["1.00"]))
    write_statement(drop / "vanishing.xml", statement(new_account(), DAY, ["2.00"]))
    reg = scan_new_files(warehouse, _VanishingAfterListing(drop))
    assert reg.ingested == ["kept.xml"]
    assert reg.unread == {"vanishing.xml": "vanished while the folder was read"}
    assert "vanishing.xml" not in {r["file_name"] for r in reg.records} and not reg.quarantined


def test_unreadable_entries_make_the_day_partial_and_its_verdicts_unknown(
        warehouse: Warehouse, pg_server_url: str, tmp_path: Path) -> None:
    account = new_account()
    drop, books = tmp_path / "drop", tmp_path / "books"
    drop.mkdir()
    books.mkdir()
    write_statement(drop / "good.xml", statement(account, DAY, ["40.00"], sid=f"G-{account}"))
    os.mkfifo(drop / "pipe.xml")  # never opened: a read would block
    (drop / "folder.xml").mkdir()
    (drop / "quarantine").mkdir()  # the suite's own subfolder is no fault
    (books / "accounts.csv").write_text("account_id,iban,currency,ledger_balance,as_of\n"
                                        f"L-{account},{account},CHF,140.00,2026-01-14T18:00:00Z\n")
    (books / "transactions.csv").write_text(
        "txn_id,account_id,direction,amount,currency,booked_at,uetr,end_to_end_id\n"
        f"g-{account},L-{account},CRDT,40.00,CHF,2026-01-14T11:00:00Z,,E2E-G-{account}-{account}-0\n")
    resources = {"warehouse": WarehouseResource(database_url=pg_server_url),
                 "statements": StatementsResource(drop_folder=str(drop)),
                 "ledger": LedgerResource(kind="files", snapshot_dir=str(books), snapshot_home=str(tmp_path / "home"))}

    result = dg.materialize([bank_statement_tables, ledger_accounts, ledger_transactions, transaction_matches],
                            partition_key=str(DAY), resources=resources, raise_on_error=True)

    with warehouse.engine.connect() as conn:
        sources = conn.execute(sa.text("SELECT sources -> 'drop_folder' FROM recon.runs WHERE run_id = :r"),
                               {"r": result.run_id}).scalar_one()
        entries = conn.execute(sa.text("SELECT count(*) FROM recon.bank_entries WHERE account = :a"),
                               {"a": account}).scalar_one()
        matched = conn.execute(sa.text("SELECT count(*) FROM recon.transaction_matches WHERE account = :a"),
                               {"a": account}).scalar_one()
        finding = conn.execute(sa.text(
            "SELECT severity, summary FROM recon.discrepancies WHERE type = 'source_unavailable' AND "
            "scope_id = 'drop_folder' AND last_seen_partition = :p AND status = 'open'"), {"p": str(DAY)}).one()
        registered = conn.execute(sa.text("SELECT file_name FROM recon.ingested_files WHERE source = :s"),
                                  {"s": f"drop_folder:{drop.resolve()}"}).scalars().all()
    assert sources["state"] == "partial" and sources["missing"] == ["folder.xml", "pipe.xml"]
    assert "pipe.xml: not a regular file" in sources["reason"] and "folder.xml: a folder named" in sources["reason"]
    assert finding.severity == "unknown" and "pipe.xml" in finding.summary
    assert entries == 1  # what could be read is loaded ...
    assert matched == 0  # ... but nothing is matched or cleared on a partial read
    check = result.get_asset_check_evaluations()[0]
    assert check.check_name == "statements_balance" and not check.passed
    matching = result.asset_materializations_for_node("transaction_matches")[0].metadata
    assert matching["drop_folder"].value == "partial"
    assert registered == ["good.xml"]  # the pipe and the folder are read again next time, not quarantined
