"""A file read in two parts at once gives exactly what reading it whole gives, or is read whole.

`parallel=True` cuts any file near its middle (large files are cut by default); every case
compares the rows, statements, balances, warnings and errors with the whole read's.
"""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from recon.camt.errors import CamtError
from recon.camt.model import Entry, Party, Statement, Transaction
from recon.camt.reader import CamtReader
from recon.camt.writer import camt_bytes

DAY = date(2026, 3, 2)


def _entries(n: int, start: int) -> list[Entry]:
    out = []
    for i in range(start, start + n):
        party = Party(f"Payer {i}", f"CH93007620116238{i:05d}", "UBSWCHZH80A")
        if i % 7 == 0:  # a batch of three items, each its own row
            txs = [Transaction(Decimal(i) + k, end_to_end_id=f"B{i}-{k}", counterparty=party)
                   for k in range(3)]
            out.append(Entry(sum((t.amount for t in txs), Decimal(0)), "DBIT", DAY,
                             transactions=txs, batch_pmt_inf_id=f"P{i}"))
        else:
            out.append(Entry(Decimal(f"{i}.{i % 100:02d}"), "CRDT" if i % 3 else "DBIT", DAY,
                             entry_ref=f"N{i}", acct_svcr_ref=f"A{i}", transactions=[Transaction(
                                 uetr=f"{i:08x}-0000-4000-8000-{i:012x}", end_to_end_id=f"E{i}",
                                 counterparty=party, remittance=f"Invoice {i}")]))
    return out


def _document() -> bytes:
    """Three statements; the middle one is the largest, so the cut falls inside it."""
    statements = [Statement(f"CH93007620116238529{k}", "CHF", Decimal("1000.00"),
                            entries=_entries(n, k * 1000), statement_id=f"S{k}")
                  for k, n in ((1, 60), (2, 300), (3, 60))]
    return camt_bytes(statements, kind="053", version="001.08")


def _read(path, parallel: bool):
    """(reader, rows, error message)."""
    reader = CamtReader(path, batch_rows=100, parallel=parallel, keep_uetrs=True)
    try:
        rows = pl.concat(list(reader.entry_batches()))
    except CamtError as exc:
        return reader, None, exc.message
    return reader, rows, None


def _same_as_whole(path) -> CamtReader:
    whole, whole_rows, whole_error = _read(path, parallel=False)
    spools = set(Path(tempfile.gettempdir()).glob("camt-part-*"))
    parts, part_rows, part_error = _read(path, parallel=True)
    assert set(Path(tempfile.gettempdir()).glob("camt-part-*")) <= spools  # nothing left behind
    assert part_error == whole_error
    if part_error:
        assert "negative amount" in part_error or "ends early" in part_error
    if whole_error is None:
        assert_frame_equal(part_rows, whole_rows)
        assert (parts.statements, parts.balances) == (whole.statements, whole.balances)
        assert (parts.sha256, parts.size) == (whole.sha256, whole.size)
    assert parts.warnings == whole.warnings
    return parts


def _second_half(doc: bytes, old: bytes, new: bytes) -> bytes:
    at = doc.index(old, len(doc) * 3 // 4)
    return doc[:at] + new + doc[at + len(old):]


def test_two_parts_join_into_the_whole_read(tmp_path) -> None:
    path = tmp_path / "three.xml"
    path.write_bytes(_document())
    reader = _same_as_whole(path)
    assert reader.parts == 2
    assert [s["entries"] for s in reader.statements] == [60, 300, 60]
    assert all(s["proof_ok"] for s in reader.statements)


@pytest.mark.parametrize(("old", "new", "why"), [
    # A refused amount after the cut: the whole read's reason, path and line.
    (b"<Amt Ccy=\"CHF\">", b"<Amt Ccy=\"CHF\">-", "negative amount"),
    # An optional field malformed after the cut: the whole read's warning and rows.
    (b"<ValDt><Dt>2026-03-02</Dt>", b"<ValDt><Dt>2026-02-30</Dt>", "warning"),
    # A statement that does not balance, cut in two: one proof over both parts.
    (b">1000.00<", b">1000.01<", "unbalanced"),
])
def test_what_the_second_part_finds_is_what_the_whole_read_finds(tmp_path, old, new, why) -> None:
    doc = _document()
    path = tmp_path / "odd.xml"
    path.write_bytes(_second_half(doc, old, new) if why != "unbalanced" else _middle(doc, old, new))
    reader = _same_as_whole(path)
    if why == "unbalanced":
        assert reader.parts == 2
        assert [s["proof_ok"] for s in reader.statements] == [True, False, True]
        assert "does not balance" in reader.warnings[0]
    if why == "warning":
        assert "invalid value date '2026-02-30'" in reader.warnings[0]


def _middle(doc: bytes, old: bytes, new: bytes) -> bytes:
    """The second statement's opening balance changed."""
    at = doc.index(old, doc.index(b"<Id>S2</Id>"))
    return doc[:at] + new + doc[at + len(old):]


def test_a_file_cut_short_after_the_middle_fails_as_the_whole_read_does(tmp_path) -> None:
    path = tmp_path / "short.xml"
    path.write_bytes(_document()[:-2000])
    reader = _same_as_whole(path)
    assert reader.parts == 1


def test_a_comment_before_the_statements_keeps_the_file_whole(tmp_path) -> None:
    doc = _document().replace(b"<GrpHdr>", b"<!-- <Stmt> --><GrpHdr>", 1)
    path = tmp_path / "comment.xml"
    path.write_bytes(doc)
    assert _same_as_whole(path).parts == 1
