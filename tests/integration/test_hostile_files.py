"""Every kind of hostile or odd bank file, dropped together into one folder of a real drop folder
and loaded into a real Postgres: each ends ingested or quarantined with its true reason, and none
stops the others."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from clients.folder_source import LocalFolderSource
from stores.statement_days import load_business_date
from stores.warehouse import Warehouse
from tests.support.bank_files import new_account, statement, write_large_statement, write_statement

DOCTYPE_XXE = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
DOCTYPE_LAUGHS = ('<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
                  '<!ENTITY x "&b;&b;&b;&b;&b;&b;&b;&b;">]>')
ROOT = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>'
DTD = "DTD/DOCTYPE not allowed"


def _hostile(decl: str, dtd: str, before: str = "") -> str:
    return f'<?xml version="1.0" encoding="{decl}"?>{before}{dtd}{ROOT}'


def drop_everything(folder: Path, day: date, large_mb: int) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Write every case; returns name -> (expected status, reason fragment), and the accounts."""
    acct = {k: new_account() for k in ("good", "spaces", "utf16", "bom", "large", "unknown", "cut")}
    good = write_statement(folder / "good.xml", statement(acct["good"], day, ["10.00", "5.00"]))
    text = good.read_text()
    write_statement(folder / "corrected resend.xml", statement(
        acct["good"], day, ["10.00", "7.50"], created=datetime(day.year, day.month, day.day, 20, tzinfo=UTC)))
    (folder / "good-copy.xml").write_bytes(good.read_bytes())
    write_statement(folder / "Kontoauszug März (ü) 01.xml", statement(acct["spaces"], day, ["1.00"]))
    utf16 = statement_text(acct["utf16"], day, folder).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    (folder / "utf16.xml").write_bytes(utf16.encode("utf-16"))  # with its BOM
    (folder / "utf8-bom.xml").write_bytes(b"\xef\xbb\xbf" + statement_text(acct["bom"], day, folder).encode())
    write_statement(folder / "unknown-account.xml", statement(acct["unknown"], day, ["3.00"]))
    write_large_statement(folder / "large.xml", large_mb, acct["large"], day)
    cut = statement_text(acct["cut"], day, folder).encode()
    (folder / "truncated.xml").write_bytes(cut[: len(cut) * 2 // 3])
    (folder / "xxe.xml").write_text(_hostile("UTF-8", DOCTYPE_XXE))
    (folder / "laughs.xml").write_text(_hostile("UTF-8", DOCTYPE_LAUGHS))
    (folder / "xxe-utf16-bom.xml").write_bytes(_hostile("UTF-16", DOCTYPE_XXE).encode("utf-16"))
    (folder / "laughs-utf16be.xml").write_bytes(_hostile("UTF-16", DOCTYPE_LAUGHS).encode("utf-16-be"))
    (folder / "xxe-utf8-bom.xml").write_bytes(b"\xef\xbb\xbf" + _hostile("UTF-8", DOCTYPE_XXE).encode())
    (folder / "pi-then-doctype.xml").write_text(_hostile("UTF-8", DOCTYPE_XXE, "<?note a < b > c?>"))
    (folder / "comment-then-doctype.xml").write_text(
        _hostile("UTF-8", DOCTYPE_LAUGHS, "<!-- <Document> is below > -->\n<?pi <x>?>"))
    (folder / "pi-then-doctype-utf16.xml").write_bytes(
        _hostile("UTF-16", DOCTYPE_XXE, "<?note <<>>?>").encode("utf-16-le"))
    (folder / "empty.xml").write_bytes(b"")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 64)
    (folder / "pain.xml").write_text(text.replace("camt.053.001.02", "pain.001.001.03"))
    (folder / "non-numeric.xml").write_text(text.replace(">10.00</Amt>", ">10,00</Amt>", 1))
    (folder / "negative.xml").write_text(text.replace(">10.00</Amt>", ">-10.00</Amt>", 1))
    (folder / "over-long.xml").write_text(text.replace(">10.00</Amt>", ">12345678901234567890.00</Amt>", 1))
    expected = {
        "good.xml": ("ingested", ""),
        "corrected resend.xml": ("ingested", ""),
        "good-copy.xml": ("duplicate", "same content as good.xml"),
        "Kontoauszug März (ü) 01.xml": ("ingested", ""),
        "utf16.xml": ("ingested", ""),
        "utf8-bom.xml": ("ingested", ""),
        "unknown-account.xml": ("ingested", ""),
        "large.xml": ("ingested", ""),
        "truncated.xml": ("quarantined", "malformed XML (the file ends early: truncated?)"),
        "xxe.xml": ("quarantined", DTD),
        "laughs.xml": ("quarantined", DTD),
        "xxe-utf16-bom.xml": ("quarantined", DTD),
        "laughs-utf16be.xml": ("quarantined", DTD),
        "xxe-utf8-bom.xml": ("quarantined", DTD),
        "pi-then-doctype.xml": ("quarantined", DTD),
        "comment-then-doctype.xml": ("quarantined", DTD),
        "pi-then-doctype-utf16.xml": ("quarantined", DTD),
        "empty.xml": ("quarantined", "empty file"),
        "binary.bin": ("quarantined", "not an XML file: binary content"),
        "pain.xml": ("quarantined", "unknown message: namespace 'urn:iso:std:iso:20022:tech:xsd:pain.001"),
        "non-numeric.xml": ("quarantined", "non-numeric amount '10,00'"),
        "negative.xml": ("quarantined", "negative amount '-10.00'"),
        "over-long.xml": ("quarantined", "amount '12345678901234567890.00' has 20 digits, at most 18 allowed"),
    }
    return expected, acct


def statement_text(account: str, day: date, folder: Path) -> str:
    path = write_statement(folder / ".scratch.partial", statement(account, day, ["2.00"]))
    text = path.read_text()
    path.unlink()
    return text


@pytest.mark.parametrize(("large_mb", "day"), [
    (4, date(2026, 5, 4)),
    pytest.param(200, date(2026, 5, 5), marks=pytest.mark.slow, id="200MB"),
])
def test_every_hostile_file_ends_ingested_or_quarantined_with_its_true_reason(
        warehouse: Warehouse, tmp_path: Path, large_mb: int, day: date) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    expected, acct = drop_everything(folder, day, large_mb)
    assert sorted(p.name for p in folder.iterdir()) == sorted(expected)

    load = load_business_date(warehouse, LocalFolderSource(folder), day, run_id="hostile")

    rows = {r["file_name"]: r for r in warehouse.rows(
        "SELECT file_name, status, reason, quarantine_path FROM recon.ingested_files WHERE source = :s",
        s=f"drop_folder:{folder.resolve()}")}
    assert sorted(rows) == sorted(expected)  # every file accounted for, once
    for name, (status, reason) in expected.items():
        assert rows[name]["status"] == status, (name, rows[name])
        assert reason in (rows[name]["reason"] or ""), (name, rows[name]["reason"])
    quarantined = {n for n, (s, _) in expected.items() if s == "quarantined"}
    assert {p.name for p in folder.iterdir() if p.is_file()} == set(expected) - quarantined
    assert {p.name for p in (folder / "quarantine").iterdir()
            if not p.name.endswith(".reason.txt")} == quarantined
    for name in quarantined:
        assert rows[name]["quarantine_path"] == str(folder.resolve() / "quarantine" / name)

    # The day holds every readable statement once; the corrected resend counts, not the first.
    by_account = {r["account"]: r for r in load.statements.iter_rows(named=True)}
    expected_accounts = {acct[k] for k in ("good", "spaces", "utf16", "bom", "large", "unknown")}
    assert set(by_account) == expected_accounts
    assert by_account[acct["good"]]["source_file"] == "corrected resend.xml"
    assert by_account[acct["good"]]["closing_balance"] == 117.5
    changed = load.findings.filter(load.findings["type"] == "statement_changed")
    assert changed["scope_id"].to_list() == [acct["good"]]
    large_rows = warehouse.rows("SELECT count(*) AS n FROM recon.bank_entries WHERE account = :a",
                                a=acct["large"])[0]["n"]
    assert large_rows == large_mb * (1 << 20) // 486
