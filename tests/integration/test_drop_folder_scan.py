"""A scan reads only what is new: a registered file still there unchanged (name, size, modification
time) is not read again, and one whose modification time moved is hashed and recognised by content."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from clients.folder_source import LocalFolderSource
from recon.camt.model import Entry, Statement, Transaction
from recon.camt.writer import write_camt
from stores.statement_files import record_registration, scan_new_files
from stores.warehouse import Warehouse

DAY = date(2026, 3, 16)


def _file(folder: Path, name: str) -> Path:
    account = f"CH{uuid.uuid4().int % 10**19:019d}"
    entry = Entry(Decimal("10.00"), "CRDT", DAY, acct_svcr_ref="R-1", transactions=[Transaction(end_to_end_id="E1")])
    write_camt(folder / name, [Statement(account, "CHF", Decimal("1.00"), [entry], statement_id="S-1",
                                         created_at=datetime(2026, 3, 16, 18, tzinfo=UTC), closing_date=DAY)],
               msg_id=f"M-{account}")
    return folder / name


def test_a_registered_file_is_not_read_again_unless_it_changed(warehouse: Warehouse, tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    path = _file(folder, "one.xml")
    source = LocalFolderSource(folder)
    first = scan_new_files(warehouse, source)
    assert first.ingested == ["one.xml"]
    with warehouse.engine.begin() as conn:
        record_registration(conn, first)

    # Bytes replaced behind the scan's back, size and modification time put back as they were: the scan
    # takes the file for the one registered (it is not read), which is what makes a scan cost what is new.
    stat = path.stat()
    data = path.read_bytes()
    path.write_bytes(data.replace(b"10.00", b"90.00"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert scan_new_files(warehouse, source).records == []

    # Touched (same bytes as registered, a new modification time): read, hashed, and known by content.
    path.write_bytes(data)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert scan_new_files(warehouse, source).records == []
    # Other bytes under a new modification time: a new file.
    path.write_bytes(data.replace(b"10.00", b"90.00"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert [r["file_name"] for r in scan_new_files(warehouse, source).records] == ["one.xml"]
