"""A small bank world for tier 1 tests: two accounts with a camt.053 closing balance loaded the
ordinary way, a ledger that agrees, and helpers to publish notifications and run listeners."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import nats

from clients.folder_source import LocalFolderSource
from clients.nats_bus import NatsSettings
from recon.camt.model import Statement
from recon.camt.writer import camt_bytes
from recon.tier1.messages import notification_bytes
from services.tier1_listener import Listener
from stores.statement_days import load_business_date
from stores.tier1_store import Ledger
from stores.warehouse import Warehouse

EUR, GBP = "DE89370400440532013000", "GB29NWBK60161331926819"
CLOSED_ON = date(2026, 11, 13)
DAY = date(2026, 11, 16)
OPENING = {EUR: Decimal("1000000.00"), GBP: Decimal("500000.00")}
CCY = {EUR: "EUR", GBP: "GBP"}


def load_statements(wh: Warehouse, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for iban, balance in OPENING.items():
        stmt = Statement(account_iban=iban, currency=CCY[iban], opening_balance=balance, entries=[],
                         statement_id=f"STMT-{iban[:2]}", created_at=datetime(2026, 11, 14, 5, tzinfo=UTC),
                         from_date=CLOSED_ON, to_date=CLOSED_ON, closing_balance=balance, closing_date=CLOSED_ON,
                         electronic_seq=1, legal_seq=1)
        (folder / f"053_{iban[:2]}.xml").write_bytes(
            camt_bytes([stmt], kind="053", msg_id=f"MSG-053-{iban[:2]}", created_at=stmt.created_at))
    load_business_date(wh, LocalFolderSource(folder), CLOSED_ON)


def note(ref: str, amount: str = "100.00", iban: str = EUR, direction: str = "CRDT", minute: int = 0) -> bytes:
    at = datetime(2026, 11, 16, 9, tzinfo=UTC) + timedelta(minutes=minute)
    return notification_bytes(iban, CCY[iban], Decimal(amount), direction, DAY, ref, at)


class LedgerBook:
    """The ledger now, as a mutable mapping the listener reads once per batch."""

    def __init__(self) -> None:
        self.balances = {(iban, CCY[iban]): bal for iban, bal in OPENING.items()}

    def read(self) -> Ledger:
        return Ledger(dict(self.balances))


def settings(url: str, **kw: object) -> NatsSettings:
    return NatsSettings(url=url, **kw)  # type: ignore[arg-type]


async def publish(url: str, bodies: list[bytes], subject: str = "iso20022.camt.054") -> list[int]:
    nc = await nats.connect(url)
    js = nc.jetstream()
    from clients.nats_bus import ensure_streams

    await ensure_streams(js, settings(url))
    seqs = []
    futures = [await js.publish_async(subject, b) for b in bodies]
    for f in futures:
        seqs.append((await f).seq)
    await nc.close()
    return seqs


def listen(wh: Warehouse, s: NatsSettings, book: LedgerBook, n: int, timeout: float = 60) -> Listener:
    """Run one listener until it handled n messages (or timeout)."""
    lines: list[str] = []
    listener = Listener(wh, s, book.read, log=lines.append, status_every_s=0.5)
    listener.lines = lines  # type: ignore[attr-defined]

    async def go() -> None:
        await asyncio.wait_for(listener.run(asyncio.Event(), max_messages=n), timeout)

    asyncio.run(go())
    return listener


def count(wh: Warehouse, sql: str, **kw: object) -> int:
    return int(wh.rows(sql, **kw)[0]["n"])
