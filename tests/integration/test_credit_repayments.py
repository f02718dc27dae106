"""Repayments from recon.bank_entries matched to the ledger's repayment records on real Postgres: one
matched by creditor reference, one by EndToEndId, one bank credit unmatched."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import polars as pl

from assets.credit import credit_repayments
from resources.credit import CreditResource
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY = "2026-01-09"
LINES = """credit_line_id,currency,outstanding_principal,target_ltv,status,creditor_reference,updated_at
CL1,EUR,1000,0.5,active,RF18 5390 0754 7034,2026-01-01T00:00:00Z
CL2,EUR,1000,0.5,active,RF71 0000 0000 0002,2026-01-01T00:00:00Z
"""
REPAYMENTS = """repayment_id,credit_line_id,amount,currency,creditor_reference,end_to_end_id,value_date,booked_at,status
P1,CL1,150.00,EUR,,,2026-01-05,2026-01-05T10:00:00Z,booked
P2,CL2,75.50,EUR,,E2E-CL2-7,2026-01-06,2026-01-06T10:00:00Z,booked
"""


def _bank(wh: Warehouse) -> None:
    rows = pl.DataFrame({
        "entry_key": ["crd-b1", "crd-b2", "crd-b3"], "statement_key": ["crd-s"] * 3,
        "business_date": [date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 5)],
        "account": ["DE89370400440532013000"] * 3, "currency": ["EUR"] * 3,
        "amount": ["150.00", "75.50", "300.00"], "direction": ["CRDT"] * 3,
        "booking_date": [date(2026, 1, 5), date(2026, 1, 6), date(2026, 1, 5)],
        # b1 quotes CL1's reference (with different spacing), b2 only the EndToEndId, b3 CL2's reference
        # for a repayment the ledger never booked.
        "creditor_ref": ["RF1853900754 7034", None, "RF71 0000 0000 0002"],
        "end_to_end_id": ["NOTPROVIDED", "E2E-CL2-7", "NOTPROVIDED"],
    }).with_columns(pl.col("amount").cast(pl.Decimal(38, 2)))
    with wh.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM recon.bank_entries WHERE entry_key LIKE 'crd-%%'")
        conn.exec_driver_sql("DELETE FROM recon.discrepancies WHERE detector = 'credit_repayments'")
    wh.write("bank_entries", rows, ["entry_key"])


def test_repayments_matched_and_unmatched(warehouse: Warehouse, tmp_path: Path) -> None:
    _bank(warehouse)
    try:
        _check(warehouse, tmp_path)
    finally:  # other suites read bank_entries of these days too
        with warehouse.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM recon.bank_entries WHERE entry_key LIKE 'crd-%%'")


def _check(warehouse: Warehouse, tmp_path: Path) -> None:
    (tmp_path / "credit_lines.csv").write_text(LINES)
    (tmp_path / "repayments.csv").write_text(REPAYMENTS)
    resources = {
        "warehouse": WarehouseResource(database_url=warehouse.engine.url.render_as_string(hide_password=False)),
        "ledger": LedgerResource(kind="files", snapshot_dir=str(tmp_path), snapshot_home=str(tmp_path / "home")),
        "credit": CreditResource(),
    }
    for _ in range(2):  # a re-run changes nothing
        result = dg.materialize([credit_repayments], partition_key=DAY, resources=resources)
        assert result.success
    matches = warehouse.query("SELECT bank_entry_key, repayment_id, match_key FROM recon.repayment_matches "
                              "WHERE partition_key = :p ORDER BY 1", p=DAY).rows()
    assert matches == [("crd-b1", "P1", "creditor_reference"), ("crd-b2", "P2", "end_to_end_id")]
    found = warehouse.query("SELECT discrepancy_key, severity, scope_id, amount FROM recon.discrepancies "
                            "WHERE detector = 'credit_repayments'").rows()
    assert [(k, s, c) for k, s, c, _ in found] == [
        ("unmatched_repayment|credit_line|CL2|bank:crd-b3", "significant", "CL2")]
    assert found[0][3] == 300
    meta = result.asset_materializations_for_node("credit_repayments")[0].metadata
    assert (meta["matched"].value, meta["unmatched_repayments"].value) == (2, 1)
