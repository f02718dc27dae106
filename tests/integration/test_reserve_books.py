"""The reserve books asset on real Postgres: each break and each unmatched movement lands as a finding,
movements carried by a bank entry or a chain transfer match, and `recon reserves analytics` (the installed
command) and recon.v_reserve_analytics count the operations the run recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import polars as pl
import sqlalchemy as sa

from assets.reserves_books import reserve_book_checks
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY = "2026-02-11"
TX = "0x" + "5e" * 32


def books(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"reserve_id": ["USD-FIAT", "USDT-CRYPTO"], "currency": ["USD", "USDT"],
                  "reserve_type": ["fiat", "crypto"], "initial_total": ["1000", "500"]}).write_csv(
        folder / "reserve_accounts.csv")
    ops = [("o1", "USD-FIAT", "top_up", "100", "BANK-IN-1", "2026-02-09T09:00:00Z"),   # bank credit BANK-IN-1
           ("o2", "USD-FIAT", "lock", "900", "P-1", "2026-02-09T10:00:00Z"),
           ("o3", "USD-FIAT", "withdrawal", "250", "BANK-OUT-1", "2026-02-09T11:00:00Z"),  # 200 available
           ("o4", "USD-FIAT", "release", "900", "P-1", "2026-02-09T12:00:00Z"),
           ("o5", "USDT-CRYPTO", "top_up", "7.5", TX.upper().replace("0X", "0x"), "2026-02-09T13:00:00Z"),
           ("o6", "USDT-CRYPTO", "top_up", "-1", "oops", "2026-02-10T13:00:00Z")]
    pl.DataFrame([dict(zip(("operation_id", "reserve_id", "operation", "amount", "reference", "at"), o, strict=True))
                  for o in ops]).write_csv(folder / "reserve_operations.csv")
    return folder


def movements(wh: Warehouse) -> None:
    with wh.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO recon.bank_entries (entry_key, statement_key, business_date, account, currency, amount, "
            "direction, acct_svcr_ref) VALUES ('e1', 's1', '2026-02-09', 'GB00TEST', 'USD', 100, 'CRDT', 'BANK-IN-1')"))
        conn.execute(sa.text(
            "INSERT INTO recon.chain_transfers (partition_key, chain, asset, block_number, tx_hash, log_index, "
            "from_address, to_address, amount_raw, amount) VALUES ('2026-02-09', 'ethereum', 'USDT', 5, :tx, 0, "
            "'0x1', '0x2', 7500000, 7.5)"), {"tx": TX})


def test_reserve_books_movements_and_analytics(fresh_warehouse: Warehouse, tmp_path: Path) -> None:
    wh, folder = fresh_warehouse, books(tmp_path / "books")
    movements(wh)
    url = wh.engine.url.render_as_string(hide_password=False)
    result = dg.materialize([reserve_book_checks], partition_key=DAY, resources={
        "warehouse": WarehouseResource(database_url=url),
        "ledger": LedgerResource(kind="files", snapshot_dir=str(folder), snapshot_home=str(folder / "home"))})
    assert result.success
    found = {(r["type"], r["scope_id"], r["natural_key"]): r for r in wh.rows(
        "SELECT type, scope_id, natural_key, severity, amount FROM recon.discrepancies WHERE status = 'open'")}
    assert set(found) == {
        ("reserve_book_invalid", "USD-FIAT", "withdrawal_over_available:withdrawal:o3"),
        ("reserve_book_invalid", "USDT-CRYPTO", "non_positive_top_up:top_up:o6"),
        ("reserve_movement_unmatched", "USD-FIAT", "withdrawal:o3")}  # o1 by reference, o5 by hash
    assert found[("reserve_book_invalid", "USD-FIAT", "withdrawal_over_available:withdrawal:o3")]["amount"] == 50
    breakers = wh.rows("SELECT scope_id, kind FROM recon.circuit_breakers WHERE status = 'open'")
    assert {(b["scope_id"], b["kind"]) for b in breakers} >= {("USD-FIAT", "circuit_breaker"),
                                                              ("USDT-CRYPTO", "payout_suspension")}

    view = {(r["operation"], r["currency"]): (r["operations"], r["volume"]) for r in wh.rows(
        "SELECT operation, currency, sum(operations) AS operations, sum(volume) AS volume "
        "FROM recon.v_reserve_analytics GROUP BY 1, 2")}
    assert view[("lock", "USD")] == (1, 900) and view[("top_up", "USDT")] == (2, 6.5)

    env = {**os.environ, "RECON_DATABASE_URL": url}
    cli = Path(sys.executable).parent / "recon"
    out = subprocess.run([str(cli), "reserves", "analytics", "--period-days", "3", "--until", "2026-02-11", "--json"],
                         capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = {(r["operation"], r["currency"]): (r["operations"], r["volume"]) for r in json.loads(out.stdout)["rows"]}
    assert rows[("withdrawal", "USD")] == (1, "250") and rows[("release", "USD")] == (1, "900")
    assert rows[("withdrawal", "USDT")] == (0, "0")  # every operation shown per currency, zero included
