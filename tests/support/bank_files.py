"""Bank files for tests, written with the project's own CAMT writer."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from recon.camt.model import Entry, Party, Statement, Transaction
from recon.camt.writer import write_camt

_BYTES_PER_ENTRY = 486  # what the writer spends on one entry below, measured


def new_account() -> str:
    return f"CH{uuid.uuid4().int % 10**19:019d}"


def credit(amount: str, ref: str, day: date) -> Entry:
    return Entry(Decimal(amount), "CRDT", day, acct_svcr_ref=ref, transactions=[
        Transaction(uetr=str(uuid.uuid4()), end_to_end_id=f"E2E-{ref}", counterparty=Party("Ada", "DE89"))])


def statement(account: str, day: date, amounts: list[str], sid: str = "STMT-1",
              created: datetime | None = None, seq: int = 1) -> Statement:
    entries = [credit(a, f"{sid}-{account}-{i}", day) for i, a in enumerate(amounts)]
    return Statement(account, "CHF", Decimal("100.00"), entries, servicer_bic="UBSWCHZH80A",
                     statement_id=sid, created_at=created or datetime(day.year, day.month, day.day, 18, tzinfo=UTC),
                     electronic_seq=seq, legal_seq=seq, closing_date=day)


def write_statement(path: Path, st: Statement, msg_id: str | None = None) -> Path:
    write_camt(path, [st], msg_id=msg_id or f"M-{uuid.uuid4().hex[:12]}")
    return path


def write_large_statement(path: Path, megabytes: int, account: str, day: date) -> int:
    """One statement of about `megabytes` MB, streamed: returns its number of entries."""
    n = megabytes * (1 << 20) // _BYTES_PER_ENTRY

    def entries() -> Iterator[Entry]:
        for i in range(n):
            yield Entry(Decimal("1.25"), "CRDT", day, acct_svcr_ref=f"BIG-{i}", transactions=[
                Transaction(end_to_end_id=f"E2E-BIG-{i}", counterparty=Party("Payer", "DE89370400440532013000"))])

    st = Statement(account, "CHF", Decimal(0), entries(), statement_id="BIG-1",
                   created_at=datetime(day.year, day.month, day.day, 18, tzinfo=UTC),
                   closing_balance=Decimal("1.25") * n, closing_date=day)
    write_camt(path, [st], msg_id=f"BIG-{account}")
    return n
