"""Matching and balance assets on a real Postgres: idempotent re-runs, people's statuses, carry-over, breakers."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from assets.balances import balance_checks
from assets.ledger import ledger_accounts, ledger_transactions
from assets.matching import transaction_matches
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores import pg_discrepancies
from stores.identifiers import render
from stores.warehouse import Warehouse

ACCT = "AE070331234567890123456"
MON, TUE = "2026-01-05", "2026-01-06"
ACCOUNTS = f"account_id,iban,currency,ledger_balance,as_of\nL-AED,{ACCT},AED,{{bal}},2026-01-05T18:00:00Z\n"
TXNS = ("txn_id,account_id,direction,amount,currency,booked_at,uetr,end_to_end_id\n"
        "t1,L-AED,CRDT,5000000.00,AED,2026-01-05T09:00:00Z,u-1,\n"
        "t2,L-AED,DBIT,120.50,AED,2026-01-05T10:00:00Z,,E2E-2\n"
        "t3,L-AED,DBIT,75.00,AED,2025-12-30T10:00:00Z,,\n")
LATE = "t4,L-AED,CRDT,999.00,AED,2026-01-06T08:00:00Z,u-late,\n"


def _bank(wh: Warehouse) -> None:
    with wh.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM recon.bank_entries WHERE account = :a"), {"a": ACCT})
        conn.execute(sa.text("DELETE FROM recon.bank_statements WHERE account = :a"), {"a": ACCT})
        conn.execute(sa.text(
            "INSERT INTO recon.bank_statements (statement_key, business_date, message_type, message_id, "
            "statement_id, account, currency, opening_balance, closing_balance, source_file, file_sha256) "
            "VALUES ('st-mon', '2026-01-05', 'camt.053.001.02', 'm', 's', :a, 'AED', 0, 4999879.50, 'f', 'h'),"
            " ('st-tue', '2026-01-06', 'camt.053.001.02', 'm2', 's2', :a, 'AED', 0, 5000878.50, 'f', 'h')"),
            {"a": ACCT})
        conn.execute(sa.text(
            "INSERT INTO recon.bank_entries (entry_key, statement_key, business_date, account, currency, amount,"
            " direction, booking_date, uetr, end_to_end_id, message_type) VALUES "
            "('e1', 'st-mon', '2026-01-05', :a, 'AED', 5000000.00, 'CRDT', '2026-01-05', 'U-1', NULL, :m),"
            "('e2', 'st-mon', '2026-01-05', :a, 'AED', 120.50, 'DBIT', '2026-01-05', NULL, 'E2E-2', 'camt.053.001.02'),"
            "('e3', 'st-tue', '2026-01-06', :a, 'AED', 999.00, 'CRDT', '2026-01-05', 'u-late', NULL, :m)"),
            {"a": ACCT, "m": "camt.053.001.02"})


@pytest.fixture
def setup(warehouse: Warehouse, pg_server_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    _bank(warehouse)
    with warehouse.engine.begin() as conn:
        for t in ("transaction_matches", "transactions_in_transit", "balance_checks"):
            conn.execute(sa.text(render("DELETE FROM recon.{t} WHERE account = :a", t=t)), {"a": ACCT})
    (tmp_path / "accounts.csv").write_text(ACCOUNTS.format(bal="4999879.50"))
    (tmp_path / "transactions.csv").write_text(TXNS)
    resources = {"warehouse": WarehouseResource(database_url=pg_server_url),
                 "ledger": LedgerResource(kind="files", snapshot_dir=str(tmp_path),
                                          snapshot_home=str(tmp_path / "home"))}

    def run(partition: str) -> dg.ExecuteInProcessResult:
        return dg.materialize([ledger_accounts, ledger_transactions, transaction_matches, balance_checks],
                              partition_key=partition, resources=resources, raise_on_error=True)
    return run, tmp_path


def _counts(wh: Warehouse) -> dict[str, int]:
    q = {"matches": "SELECT count(*) FROM recon.transaction_matches WHERE account = :a",
         "transit": "SELECT count(*) FROM recon.transactions_in_transit WHERE account = :a",
         "found": "SELECT count(*) FROM recon.discrepancies WHERE scope_id = :a",
         "checks": "SELECT count(*) FROM recon.balance_checks WHERE account = :a",
         "flags": "SELECT count(*) FROM recon.circuit_breakers WHERE scope_id = :a"}
    with wh.engine.connect() as conn:
        return {k: conn.execute(sa.text(v), {"a": ACCT}).scalar_one() for k, v in q.items()}


def _status(wh: Warehouse, key: str) -> tuple[str, str | None]:
    with wh.engine.connect() as conn:
        return tuple(conn.execute(sa.text("SELECT status, resolution FROM recon.discrepancies "
                                          "WHERE discrepancy_key = :k"), {"k": key}).one())  # type: ignore[return-value]


def test_rerun_statuses_carry_over_and_breakers(setup, warehouse: Warehouse) -> None:  # type: ignore[no-untyped-def]
    run, tmp = setup
    result = run(MON)
    first = _counts(warehouse)
    assert first["matches"] == 2  # e1<->t1 by UETR (case-insensitive), e2<->t2 by EndToEndId
    missing = f"missing_at_bank|account|{ACCT}|ledger:t3"  # 4 business days old: past its window
    assert _status(warehouse, missing) == ("open", None)
    checks = result.get_asset_check_evaluations()
    assert [c.passed for c in checks] == [True]

    with warehouse.engine.begin() as conn:
        pg_discrepancies.set_status(conn, missing, "acknowledged", "ops@issuer", "chasing the bank")
    run(MON)
    assert _counts(warehouse) == first  # a re-run changes no row count
    assert _status(warehouse, missing) == ("acknowledged", None)  # the person's decision survives

    # Tuesday: the bank books e3 (dated Monday) and the ledger books its late twin t4: e3 matches.
    # t3 is still missing. The ledger now says 999 more than Monday, the bank 999 more: still OK.
    (tmp / "transactions.csv").write_text(TXNS + LATE)
    (tmp / "accounts.csv").write_text(ACCOUNTS.format(bal="5000878.50").replace("2026-01-05T18", "2026-01-06T18"))
    run(TUE)
    with warehouse.engine.connect() as conn:
        keys = {r[0] for r in conn.execute(sa.text(
            "SELECT bank_entry_key FROM recon.transaction_matches WHERE account = :a AND partition_key = :p "
            "AND status = 'confirmed'"), {"a": ACCT, "p": TUE})}
    assert keys == {"e3"}  # e1 and e2 were settled on Monday and are not matched twice
    assert _status(warehouse, missing) == ("acknowledged", None)


def test_critical_opens_one_breaker_that_only_a_person_clears(setup, warehouse: Warehouse) -> None:  # type: ignore[no-untyped-def]
    run, tmp = setup
    (tmp / "accounts.csv").write_text(ACCOUNTS.format(bal="5100000.00"))  # ledger far above the bank
    result = run(MON)
    check = result.get_asset_check_evaluations()[0]
    assert not check.passed and check.metadata["offending_accounts"].value == 1
    run(MON)
    with warehouse.engine.connect() as conn:
        flags = conn.execute(sa.text("SELECT breaker_id, kind, status FROM recon.circuit_breakers "
                                     "WHERE scope_id = :a AND status = 'open'"), {"a": ACCT}).all()
    assert [(k, s) for _, k, s in flags] == [("circuit_breaker", "open")]  # opened once, not stacked

    # The ledger is fixed and Tuesday is OK: the discrepancy clears by data, the breaker stays open.
    (tmp / "accounts.csv").write_text(ACCOUNTS.format(bal="5000878.50").replace("2026-01-05T18", "2026-01-06T18"))
    (tmp / "transactions.csv").write_text(TXNS + LATE)
    run(TUE)
    key = f"balance_mismatch|account|{ACCT}|balance:AED"
    assert _status(warehouse, key) == ("resolved", "cleared_by_data")
    with warehouse.engine.begin() as conn:
        assert conn.execute(sa.text("SELECT status FROM recon.circuit_breakers WHERE breaker_id = :i"),
                            {"i": flags[0][0]}).scalar_one() == "open"
        pg_discrepancies.clear_flag(conn, flags[0][0], "risk@issuer", "ledger corrected, verified")
        audit = conn.execute(sa.text("SELECT actor FROM recon.audit_log WHERE action = 'circuit_breaker_cleared' "
                                     "AND subject = :s"), {"s": f"account:{ACCT}"}).scalars().all()
    assert audit == ["risk@issuer"]
