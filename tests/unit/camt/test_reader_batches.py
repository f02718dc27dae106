"""Large statements: rows are framed in chunks and batches, and nothing shifts between them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from recon.camt import schemas
from recon.camt.errors import CamtError
from recon.camt.model import Entry, Party, Statement, Transaction
from recon.camt.reader import CamtReader, read_all
from recon.camt.writer import camt_bytes

DAY = date(2026, 3, 2)
ODD_DAY = date(2026, 3, 3)  # marks the one entry whose date a test spoils
N = 2500  # spans several internal chunks of rows and two batches


def _entries() -> list[Entry]:
    out = []
    for i in range(1, N + 1):
        if i == 2300:  # the only reversal, return reason and party: columns of one late row
            out.append(Entry(Decimal("7.5"), "DBIT", ODD_DAY, reversal=True, transactions=[
                Transaction(counterparty=Party("Late Payer"), return_reason="AC04")]))
        else:
            out.append(Entry(Decimal(i), "CRDT", DAY, entry_ref=f"N{i}"))
    return out


def _file(tmp_path, data: bytes | None = None):
    path = tmp_path / "big.xml"
    stmt = Statement("CH9300762011623852957", "CHF", entries=_entries(), closing_date=DAY)
    doc = camt_bytes([stmt])
    path.write_bytes(data(doc) if data else doc)
    return path


def test_rows_keep_their_values_across_chunks_and_batches(tmp_path) -> None:
    path = _file(tmp_path)
    reader = CamtReader(path, batch_rows=2000)
    batches = list(reader.entry_batches())
    assert [b.height for b in batches] == [2000, N - 2000]
    assert all(b.schema == schemas.ENTRIES for b in batches)

    _, rows = read_all(path)
    assert rows["position"].to_list() == list(range(1, N + 1))
    assert rows["entry_key"].n_unique() == N
    late = rows.row(2299, named=True)
    assert (late["reversal"], late["return_reason"], late["counterparty_name"]) == (
        True, "AC04", "Late Payer")
    assert late["amount"] == Decimal("7.5") and late["entry_ref"] is None
    assert rows["return_reason"].null_count() == N - 1
    assert rows.row(2300, named=True)["entry_ref"] == "N2301"


def test_bad_value_in_a_late_chunk_names_its_row(tmp_path) -> None:
    path = _file(tmp_path, lambda doc: doc.replace(b"2026-03-03", b"2026-02-30"))
    with pytest.raises(CamtError, match=r"2026-02-30.*position 2300"):
        read_all(path)
