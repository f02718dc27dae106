"""Corrected resends and extra statements: a rule decides which statement counts, records why,
and says so as a finding; a person withdraws a wrong file with `recon camt withdraw`."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from clients.folder_source import LocalFolderSource
from stores.statement_days import load_business_date
from stores.warehouse import Warehouse
from tests.support.bank_files import new_account, statement, write_statement

RECON = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "recon"


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _choices(wh: Warehouse, account: str, day: date) -> list[dict]:
    return wh.rows("SELECT source_file, counted, rule FROM recon.bank_statement_choices "
                   "WHERE account = :a AND business_date = :d ORDER BY source_file", a=account, d=day)


def test_a_corrected_resend_counts_by_creation_time_and_shows_both(warehouse: Warehouse, tmp_path: Path) -> None:
    day, acct = date(2026, 8, 3), new_account()
    drop = tmp_path / "drop"
    drop.mkdir()
    write_statement(drop / "first.xml", statement(acct, day, ["10.00", "5.00"], created=_at(day, 18)))
    load_business_date(warehouse, LocalFolderSource(drop), day)
    # The bank's correction: the same statement id, one amount and so the closing balance changed.
    write_statement(drop / "correction.xml", statement(acct, day, ["10.00", "6.00"], created=_at(day, 21)))

    load = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert load.registration.ingested == ["correction.xml"]  # not filed as a duplicate
    assert load.statements["closing_balance"].to_list() == [Decimal("116.00")]
    assert [(c["source_file"], c["counted"]) for c in _choices(warehouse, acct, day)] == [
        ("correction.xml", True), ("first.xml", False)]
    found = load.findings.filter(load.findings["type"] == "statement_changed").row(0, named=True)
    assert found["amount"] == Decimal("1") and found["severity"] == "minor"
    versions = {v["file"]: v for v in json.loads(found["details"])["versions"]}
    assert versions["first.xml"]["closing_balance"] == "115" and versions["correction.xml"]["closing_balance"] == "116"
    assert versions["first.xml"]["file_sha256"] != versions["correction.xml"]["file_sha256"]


def test_versions_that_cannot_be_ordered_count_neither(warehouse: Warehouse, tmp_path: Path) -> None:
    day, acct = date(2026, 8, 4), new_account()
    drop = tmp_path / "drop"
    drop.mkdir()
    # Same creation time and sequence numbers, other content: the rule cannot tell, so it does not guess.
    write_statement(drop / "a.xml", statement(acct, day, ["1.00"]))
    write_statement(drop / "b.xml", statement(acct, day, ["2.00"]))

    load = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert load.statements.filter(load.statements["account"] == acct).height == 0
    assert [c["counted"] for c in _choices(warehouse, acct, day)] == [False, False]
    assert load.findings.filter(load.findings["type"] == "statement_changed")["severity"].to_list() == ["significant"]


def test_a_stray_statement_never_sets_the_balance_and_a_withdrawal_settles_it(
        warehouse: Warehouse, tmp_path: Path) -> None:
    day, acct = date(2026, 8, 5), new_account()
    drop = tmp_path / "drop"
    drop.mkdir()
    write_statement(drop / "real.xml", statement(acct, day, ["10.00"], sid="STMT-REAL"))
    assert load_business_date(warehouse, LocalFolderSource(drop), day).statements.height == 1
    # A test statement for the same account and day, created later: it must not win.
    write_statement(drop / "stray test.xml", statement(acct, day, ["99999.00"], sid="TEST-9", created=_at(day, 23)))

    load = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert load.statements.height == 0  # the bank position of that account and day is unknown
    extra = load.findings.filter(load.findings["type"] == "extra_statement").row(0, named=True)
    assert "real.xml" in extra["summary"] and "stray test.xml" in extra["summary"]

    env = {**os.environ, "RECON_DATABASE_URL": warehouse.engine.url.render_as_string(hide_password=False)}
    out = subprocess.run([str(RECON), "camt", "withdraw", "stray test.xml", "--by", "ops-ana",
                          "--reason", "test file sent to production"],
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert f"recon run daily --date {day}" in out.stdout
    audit = warehouse.rows("SELECT actor, details FROM recon.audit_log WHERE action = 'camt_withdraw' "
                           "AND subject = 'file:stray test.xml' ORDER BY audit_id DESC LIMIT 1")[0]
    assert audit["actor"] == "ops-ana" and audit["details"]["reason"] == "test file sent to production"

    after = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert after.statements["source_file"].to_list() == ["real.xml"]
    assert after.findings.filter(after.findings["type"] == "extra_statement").height == 0
    assert (drop / "stray test.xml").is_file()  # withdrawn, not moved or deleted
