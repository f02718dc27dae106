"""The ledger read from files and from a real Postgres: exact Decimals, cut-offs, mapping, snapshots."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import sqlalchemy as sa

from recon.ledger.tables import ACCOUNTS, TRANSACTIONS
from recon.ledger.typed import typed_frame
from resources.ledger import LedgerError, LedgerResource, read_only
from stores.warehouse import Warehouse

CUTOFF = datetime(2026, 1, 2, 23, 59, 59, tzinfo=UTC)
TXN_CSV = """id,acct,direction,amount,currency,booked_at,value_date,uetr,end_to_end_id
t1,AE01,CRDT,5000000.12345678,AED,2026-01-02T09:00:00Z,2026-01-02,u-1,E2E-1
t2,AE01,DBIT,0.00000001,AED,2026-01-02 10:00:00+04,2026-01-02,,
t3,AE01,CRDT,7,AED,2026-01-03T00:00:00Z,2026-01-03,,
"""
MAPPING = {"transactions": {"txn_id": "id", "account_id": "acct"}}


def _files(tmp_path: Path, body: str = TXN_CSV) -> LedgerResource:
    (tmp_path / "txns.csv").write_text(body)
    return LedgerResource(kind="files", snapshot_dir=str(tmp_path), columns=MAPPING,
                          tables={"transactions": "txns"}, snapshot_home=str(tmp_path / "home"))


def test_csv_is_read_exactly_up_to_the_cutoff(tmp_path: Path) -> None:
    frame = _files(tmp_path).source().read(TRANSACTIONS, CUTOFF)
    assert frame.schema == TRANSACTIONS.schema
    assert frame["txn_id"].to_list() == ["t1", "t2"]  # t3 is booked after the cut-off
    assert frame["amount"].to_list() == [Decimal("5000000.12345678"), Decimal("0.00000001")]
    assert frame["booked_at"][1] == datetime(2026, 1, 2, 6, 0, tzinfo=UTC)  # +04 read as its UTC instant


def test_each_amount_keeps_the_decimals_its_source_sent(tmp_path: Path) -> None:
    # One Decimal(38, 18) column holds them all; the scale column says what each row was sent with.
    body = TXN_CSV.replace("5000000.12345678", "44069.6").replace("0.00000001", "250.00")
    frame = _files(tmp_path, body).source().read(TRANSACTIONS, CUTOFF.replace(day=3))
    assert frame["amount_scale"].to_list() == [1, 2, 0]
    parquet = pl.DataFrame({"amount": [Decimal("1.500")]}, schema={"amount": pl.Decimal(10, 3)})
    typed = typed_frame(TRANSACTIONS, parquet.with_columns(
        txn_id=pl.lit("p"), account_id=pl.lit("A"), direction=pl.lit("CRDT"), currency=pl.lit("EUR"),
        booked_at=pl.lit(CUTOFF)), "p.parquet")
    assert typed["amount_scale"].to_list() == [3]  # a decimal column's own scale


@pytest.mark.parametrize(("bad", "message"), [
    # A rounded amount would silently move money: refuse more decimals than the column holds.
    ("1.0000000000000000001", "column amount, row 1"),
    # Scientific notation is how spreadsheets corrupt references and amounts.
    ("1e6", "column amount, row 1"),
])
def test_a_bad_value_names_table_column_and_row(tmp_path: Path, bad: str, message: str) -> None:
    body = TXN_CSV.replace("5000000.12345678", bad)
    with pytest.raises(LedgerError, match=message):
        _files(tmp_path, body).source().read(TRANSACTIONS, CUTOFF)


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    body = "\n".join(",".join(line.split(",")[:3] + line.split(",")[4:]) for line in TXN_CSV.splitlines())
    with pytest.raises(LedgerError, match=r"transactions .*required column\(s\) \['amount'\] missing"):
        _files(tmp_path, body).source().read(TRANSACTIONS, CUTOFF)


def test_parquet_with_float_money_is_refused(tmp_path: Path) -> None:
    pl.DataFrame({"account_id": ["A"], "currency": ["EUR"], "ledger_balance": [0.1],
                  "as_of": [CUTOFF]}).write_parquet(tmp_path / "accounts.parquet")
    source = LedgerResource(kind="files", snapshot_dir=str(tmp_path)).source()
    with pytest.raises(LedgerError, match="ledger_balance is stored as float"):
        source.read(ACCOUNTS, CUTOFF)


def test_snapshot_is_taken_once_per_partition_and_reused(tmp_path: Path) -> None:
    resource = _files(tmp_path)
    first = resource.source().snapshot(TRANSACTIONS, CUTOFF, "2026-01-02")
    (tmp_path / "txns.csv").write_text(TXN_CSV.replace("t2,", "t9,"))  # the ledger changes afterwards
    again = resource.source().snapshot(TRANSACTIONS, CUTOFF, "2026-01-02")
    assert again.reused and again.sha256 == first.sha256
    assert again.frame["txn_id"].to_list() == ["t1", "t2"]
    assert again.frame["amount_scale"].to_list() == [8, 8]  # the decimals sent, pinned with the snapshot
    assert first.path == tmp_path / "home" / "ledger_snapshots" / "2026-01-02" / "transactions.parquet"
    retaken = resource.source().snapshot(TRANSACTIONS, CUTOFF, "2026-01-02", refresh=True)
    assert not retaken.reused and retaken.frame["txn_id"].to_list() == ["t1", "t9"]


def test_sql_source_reads_read_only_and_exact(warehouse: Warehouse, tmp_path: Path) -> None:
    with warehouse.engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS ledger_test")
        conn.exec_driver_sql("DROP TABLE IF EXISTS ledger_test.accounts")
        conn.exec_driver_sql("CREATE TABLE ledger_test.accounts (account_id text, iban text, currency text, "
                             "balance numeric(38, 8), as_of timestamptz)")
        conn.exec_driver_sql("INSERT INTO ledger_test.accounts VALUES "
                             "('IN01', 'IN-IBAN', 'INR', 100000000.00000001, '2026-01-02 18:00+05:30'), "
                             "('IN01', 'IN-IBAN', 'INR', 5, '2026-01-03 18:00+00')")
    url = warehouse.engine.url.render_as_string(hide_password=False)
    resource = LedgerResource(kind="sql", url=url, db_schema="ledger_test",
                              columns={"accounts": {"ledger_balance": "balance"}},
                              snapshot_home=str(tmp_path))
    frame = resource.source().read(ACCOUNTS, CUTOFF)
    assert frame.to_dicts() == [{
        "account_id": "IN01", "iban": "IN-IBAN", "currency": "INR",
        "ledger_balance": Decimal("100000000.00000001"), "bank_balance": None, "reserved_balance": None,
        "as_of": datetime(2026, 1, 2, 12, 30, tzinfo=UTC),
        # numeric(38, 8) sends its 8 decimals: stored as sent
        "ledger_balance_scale": 8, "bank_balance_scale": None, "reserved_balance_scale": None}]
    source = resource.source()
    with source.engine.connect() as conn:  # type: ignore[attr-defined]
        read_only(conn)
        with pytest.raises(sa.exc.InternalError, match="read-only transaction"):
            conn.exec_driver_sql("DELETE FROM ledger_test.accounts")


def test_a_read_after_a_date_returns_only_later_rows_from_sql_and_files(warehouse: Warehouse, tmp_path: Path) -> None:
    with warehouse.engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA IF NOT EXISTS ledger_after")
        conn.exec_driver_sql("DROP TABLE IF EXISTS ledger_after.transactions")
        conn.exec_driver_sql("CREATE TABLE ledger_after.transactions (txn_id text, account_id text, direction text, "
                             "amount numeric, currency text, booked_at timestamptz, value_date date)")
        conn.exec_driver_sql("INSERT INTO ledger_after.transactions VALUES "
                             "('t1', 'AE01', 'CRDT', 1, 'AED', '2026-01-02 09:00+00', '2026-01-02'), "
                             "('t2', 'AE01', 'DBIT', 2, 'AED', '2026-01-02 10:00+00', '2026-01-05'), "
                             "('t3', 'AE01', 'DBIT', 3, 'AED', '2026-01-03 10:00+00', '2026-01-05')")
    url = warehouse.engine.url.render_as_string(hide_password=False)
    sql = LedgerResource(kind="sql", url=url, db_schema="ledger_after", snapshot_home=str(tmp_path)).source()
    after = {"value_date": datetime(2026, 1, 2).date()}
    assert sql.read(TRANSACTIONS, CUTOFF, after=after)["txn_id"].to_list() == ["t2"]  # t3: booked after the cut-off
    files = _files(tmp_path).source().read(TRANSACTIONS, CUTOFF, after=after)
    assert files.height == 0  # t3 of the file is valued later but booked after the cut-off
