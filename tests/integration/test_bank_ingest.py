"""Drop-folder ingest into a real Postgres: every file accounted for, partitions exact, links kept."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from clients.folder_source import LocalFolderSource
from recon.camt.model import Entry, Party, Statement, Transaction
from recon.camt.writer import write_camt
from stores.statement_days import load_business_date
from stores.warehouse import Warehouse

# Each test owns its business dates: a partition load replaces the whole date.
DAY = date(2026, 3, 2)
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&lol2;</Document>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>"""


def _account() -> str:
    return f"CH{uuid.uuid4().int % 10**19:019d}"


def _statement(account: str, entries: list[Entry], sid: str = "STMT-1", day: date = DAY,
               opening: Decimal = Decimal("100.00")) -> Statement:
    return Statement(account, "CHF", opening, entries, servicer_bic="UBSWCHZH80A",
                     statement_id=sid, created_at=datetime(day.year, day.month, day.day, 18,
                                                           tzinfo=UTC),
                     electronic_seq=1, closing_date=day)


def _credit(amount: str, asr: str, uetr: str, day: date = DAY) -> Entry:
    return Entry(Decimal(amount), "CRDT", day, acct_svcr_ref=asr, transactions=[
        Transaction(uetr=uetr, end_to_end_id=f"E2E-{asr}", counterparty=Party("Ada", "DE89"))])


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


def _count(wh: Warehouse, sql: str, **params: object) -> int:
    return int(wh.rows(sql, **params)[0]["n"])


def test_statement_and_notification_become_one_linked_movement(
        warehouse: Warehouse, drop: Path) -> None:
    acct = _account()
    uetr = str(uuid.uuid4())
    entries = [_credit("250.12345", "ASR-1", uetr), Entry(Decimal("40"), "DBIT", DAY)]
    write_camt(drop / "a.054.xml", [_statement(acct, entries[:1], sid="N-1")], kind="054",
               version="001.08", msg_id=f"N-{acct}")
    write_camt(drop / "a.053.xml", [_statement(acct, entries)], version="001.08",
               msg_id=f"S-{acct}")

    load = load_business_date(warehouse, LocalFolderSource(drop), DAY, run_id="t1")

    assert sorted(load.registration.ingested) == ["a.053.xml", "a.054.xml"]
    stmt = warehouse.rows("SELECT * FROM recon.bank_statements WHERE account = :a "
                          "AND message_kind = 'statement'", a=acct)[0]
    assert stmt["proof_ok"] is True
    assert stmt["closing_balance"] == Decimal("310.12345")  # 5 decimals kept exactly
    assert _count(warehouse, "SELECT count(*) AS n FROM recon.bank_balances b JOIN "
                  "recon.bank_statements s USING (statement_key) WHERE s.account = :a",
                  a=acct) == 2
    links = warehouse.rows("SELECT * FROM recon.bank_entry_links WHERE account = :a", a=acct)
    assert [r["matched_on"] for r in links] == ["acct_svcr_ref"]
    movements = _count(warehouse, "SELECT count(*) AS n FROM recon.v_bank_movements "
                       "WHERE account = :a", a=acct)
    assert movements == 2  # the notified credit is the booked one, not a third movement

    again = load_business_date(warehouse, LocalFolderSource(drop), DAY, run_id="t2")
    assert again.registration.ingested == []
    assert again.writes["bank_entries"].changed == 0


def test_duplicates_and_reused_statement_id(warehouse: Warehouse, drop: Path) -> None:
    acct, day = _account(), date(2026, 3, 3)
    stmt = _statement(acct, [_credit("10", f"R-{acct}", str(uuid.uuid4()), day)], day=day)
    write_camt(drop / "day1.xml", [stmt], msg_id="M1")
    (drop / "day1-copy.xml").write_bytes((drop / "day1.xml").read_bytes())
    # the same statement sent again inside a new message: other bytes, same statement
    write_camt(drop / "day1-resent.xml", [stmt], msg_id="M1-RESENT")
    next_year = date(2027, 3, 3)
    write_camt(drop / "next-year.xml", [_statement(acct, [], day=next_year)], msg_id="M2")

    load = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert sorted(load.registration.ingested) == ["day1.xml", "next-year.xml"]
    assert sorted(load.registration.duplicates) == ["day1-copy.xml", "day1-resent.xml"]
    dup = warehouse.rows("SELECT * FROM recon.ingested_files WHERE file_name = 'day1-resent.xml' "
                         "AND status = 'duplicate' AND duplicate_of = 'day1.xml'")
    assert len(dup) == 1
    assert load.statements.height == 1
    later = load_business_date(warehouse, LocalFolderSource(drop), next_year)
    assert later.statements["statement_id"].to_list() == ["STMT-1"]  # same id, its own row


def test_bad_files_are_quarantined_and_the_rest_still_loads(
        warehouse: Warehouse, drop: Path) -> None:
    acct, day = _account(), date(2026, 3, 4)
    good = _statement(acct, [_credit("5", f"G-{acct}", str(uuid.uuid4()), day)], day=day)
    write_camt(drop / "good.xml", [good], msg_id=f"G-{acct}")
    (drop / "laughs.xml").write_bytes(BILLION_LAUGHS + acct.encode())
    (drop / "xxe.xml").write_bytes(XXE + acct.encode())
    (drop / "broken.xml").write_bytes((drop / "good.xml").read_bytes()[:-40])
    text = (drop / "good.xml").read_text()
    (drop / "no-amount.xml").write_text(text.replace('<Amt Ccy="CHF">5</Amt>', "", 1)
                                        .replace(f"G-{acct}", f"NA-{acct}"))
    (drop / "nan.xml").write_text(text.replace('">5</Amt>', '">5,00</Amt>', 1)
                                  .replace(f"G-{acct}", f"NN-{acct}"))
    (drop / "pain.xml").write_text(text.replace("camt.053.001.02", "pain.001.001.03")
                                   .replace(f"G-{acct}", f"P-{acct}"))

    load = load_business_date(warehouse, LocalFolderSource(drop), day)

    q = load.registration.quarantined
    assert load.registration.ingested == ["good.xml"]
    assert "DTD" in q["laughs.xml"] and "DTD" in q["xxe.xml"]
    assert q["broken.xml"].startswith("malformed XML")
    assert "missing mandatory element Amt at /Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt" in (
        q["no-amount.xml"])
    assert "non-numeric amount '5,00' at /Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt" in (
        q["nan.xml"])
    assert q["pain.xml"].startswith("unknown message")
    assert sorted(p.name for p in drop.iterdir() if p.is_file()) == ["good.xml"]
    moved = sorted(p.name for p in (drop / "quarantine").iterdir()
                   if not p.name.endswith(".reason.txt"))
    assert moved == sorted(q)
    rows = warehouse.rows("SELECT file_name, reason FROM recon.ingested_files "
                          "WHERE status = 'quarantined' AND quarantine_path LIKE :p",
                          p=f"{drop}%")
    assert {r["file_name"] for r in rows} == set(q)

    # The same bad file dropped again: moved aside again, still one record.
    (drop / "nan.xml").write_bytes((drop / "quarantine" / "nan.xml").read_bytes())
    again = load_business_date(warehouse, LocalFolderSource(drop), day)
    assert again.registration.quarantined == {}
    assert (drop / "quarantine" / "nan.xml.1").is_file() and not (drop / "nan.xml").exists()
    assert _count(warehouse, "SELECT count(*) AS n FROM recon.ingested_files WHERE "
                  "file_name = 'nan.xml' AND quarantine_path LIKE :p", p=f"{drop}%") == 1


def test_unbalanced_statement_is_a_finding_not_a_crash(warehouse: Warehouse, drop: Path) -> None:
    acct, day = _account(), date(2026, 3, 5)
    stmt = _statement(acct, [_credit("7", f"U-{acct}", str(uuid.uuid4()), day)], day=day)
    stmt.closing_balance = Decimal("999.99")
    write_camt(drop / "unbalanced.xml", [stmt], msg_id=f"U-{acct}")

    load = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert load.registration.ingested == ["unbalanced.xml"]
    found = load.findings.filter(load.findings["scope_id"] == acct)
    assert found["type"].to_list() == ["statement_unbalanced"]
    assert found["amount"].to_list() == [Decimal("892.99")]


def test_dagster_asset_writes_the_partition_with_metadata(
        warehouse: Warehouse, drop: Path) -> None:
    import dagster as dg

    from assets.bank import bank_statement_tables
    from resources.drop_folder import StatementsResource
    from resources.warehouse_resource import WarehouseResource

    acct, day = _account(), date(2026, 3, 6)
    stmt = _statement(acct, [_credit("12.5", f"D-{acct}", str(uuid.uuid4()), day)], day=day)
    write_camt(drop / "dagster.xml", [stmt], msg_id=f"D-{acct}")
    url = warehouse.engine.url.render_as_string(hide_password=False)

    result = dg.materialize(
        [bank_statement_tables], partition_key=str(day),
        resources={"statements": StatementsResource(drop_folder=str(drop)),
                   "warehouse": WarehouseResource(database_url=url)})

    assert result.success
    meta = {m.asset_key.path[-1]: m.metadata
            for m in result.get_asset_materialization_events()
            for m in [m.event_specific_data.materialization]}
    assert meta["bank_statements"]["statements"].value == 1
    assert meta["bank_entries"]["totals_by_currency"].value == {"CHF": "12.5"}
    checks = result.get_asset_check_evaluations()
    assert [c.passed for c in checks] == [True]
