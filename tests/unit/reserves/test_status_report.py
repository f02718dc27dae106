"""`recon reserves status` from snapshot files: the figures the report shows, in text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from pipelines.cli import app


def write_books(folder: Path) -> None:
    pl.DataFrame({"chain_id": ["1", "8453"], "total_reserve": ["99650", "100000"],
                  "last_updated": ["2026-01-05T02:00:00Z", "2026-01-05T01:00:00Z"],
                  "notes": ["after two redemptions", "untouched"]}).write_csv(folder / "reserve_ledger.csv")
    pl.DataFrame({
        "redemption_id": ["r1", "t1", "r2"], "user_address": ["0xA", "0xA", "0xB"],
        "amount": ["100", "7", "250"], "redeemed_at": ["2026-01-05T00:10:00Z", "2026-01-05T00:12:00Z",
                                                      "2026-01-05T00:15:00Z"],
        "chain_id": ["1", "1", "1"], "tx_hash": ["0x1", "0x2", "0x3"],
        "reserve_before": ["100000", "99900", "99900"], "reserve_after": ["99900", "99900", "99650"],
        "test_mode": ["false", "true", "false"]}).write_csv(folder / "redemptions.csv")
    pl.DataFrame(schema={c: pl.String for c in ("reserve_id", "operation", "amount", "reference", "at")}) \
        .write_csv(folder / "reserve_operations.csv")


def write_config(folder: Path) -> str:
    chains = [{"chain": "ethereum", "chain_id": 1, "initial_reserve": "100000"},
              {"chain": "base", "chain_id": 8453, "initial_reserve": "100000"}]
    (folder / "reserves.json").write_text(json.dumps({"reserves": {"redemption_chains": chains}}))
    return str(folder / "reserves.json")


def test_status_json_and_text(tmp_path: Path) -> None:
    write_books(tmp_path)
    config = ["--reserves-config", write_config(tmp_path)]
    out = CliRunner().invoke(app, ["reserves", "status", "--ledger-dir", str(tmp_path), "--json", *config])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["total_reserve"] == "199650"
    eth = report["chains"][0]
    assert (eth["chain"], eth["reserve"], eth["notes"], eth["consistent"]) == (
        "ethereum", "99650", "after two redemptions", True)
    assert (eth["real_redemptions"], eth["real_amount"], eth["test_redemptions"], eth["users"]) == (2, "350", 1, 2)
    assert eth["utilization_pct"] == "0.35"  # 350 of 100000 redeemed
    assert report["totals"] == {"real_count": 2, "real_amount": "350", "test_count": 1, "test_amount": "7",
                                "refused_count": 0}
    assert [r["amount"] for r in report["recent_redemptions"]] == ["250", "7", "100"]  # newest first
    assert report["findings"] == [] and report["utilization"] is None  # no reserve accounts in these books
    text = CliRunner().invoke(app, ["reserves", "status", "--ledger-dir", str(tmp_path), *config]).output
    assert "99,900 -> 99,900" in text and "TEST" in text and "total" in text


def test_status_needs_a_source() -> None:
    out = CliRunner().invoke(app, ["reserves", "status"], env={"RECON_LEDGER_URL": "", "RECON_LEDGER_DIR": ""})
    assert out.exit_code == 2


def test_status_without_its_configuration_assumes_nothing(tmp_path: Path) -> None:
    # No made-up initial reserve: without the reserves configuration there is nothing to compare with.
    write_books(tmp_path)
    out = CliRunner().invoke(app, ["reserves", "status", "--ledger-dir", str(tmp_path)],
                             env={"RECON_RESERVES_CONFIG": ""})
    assert out.exit_code == 2
    assert "not configured" in out.output and "100000" not in out.output
