"""One CAMT.054 message as tier 1 reads it: its identity (content hash) and the entries it notifies."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import polars as pl

from recon.camt.errors import CamtError
from recon.camt.reader import CamtReader


class UnreadableNotification(ValueError):
    """The message cannot be a bank notification; `str(exc)` is the quarantine reason."""


@dataclass(frozen=True)
class NotifiedEntry:
    entry_key: str
    statement_key: str
    entry_seq: int
    business_date: date
    account: str
    currency: str
    direction: str  # CRDT | DBIT
    amount: Decimal  # at the bank's scale, as sent
    status: str | None  # BOOK moves the bank position
    notified_at: datetime | None

    @property
    def booked(self) -> bool:
        return self.status == "BOOK"

    @property
    def signed(self) -> Decimal:
        return -self.amount if self.direction == "DBIT" else self.amount


@dataclass(frozen=True)
class Notification:
    sha256: str
    message_id: str
    message_type: str
    entries: tuple[NotifiedEntry, ...]


def content_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class _RowReader(CamtReader):
    """The CAMT reader keeping its validated rows as they are (text as sent), without building frames:
    a notification is a few entries, and building frames would cost more than reading it."""

    def __init__(self, body: bytes, name: str) -> None:
        super().__init__(name, source_file=name)
        self.path = _InMemory(body)  # type: ignore[assignment]
        self.rows: list[dict] = []

    def _stash(self) -> None:
        self.rows.extend(self._pending)
        self._pending = []

    def _flush(self) -> pl.DataFrame:
        self._stash()
        return _NO_FRAME


_NO_FRAME = pl.DataFrame()


class _InMemory:
    """What the reader opens: the message body, never written anywhere."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    def open(self, mode: str = "rb") -> io.BytesIO:
        return io.BytesIO(self.body)


def read_notification(body: bytes, name: str) -> Notification:
    """Parse a message body completely (no DTDs, no entities, no network), or raise UnreadableNotification."""
    if not body.strip():
        raise UnreadableNotification("empty message")
    reader = _RowReader(body, name)
    try:
        for _ in reader.entry_batches():
            pass
    except CamtError as exc:
        raise UnreadableNotification(exc.message) from None
    except Exception as exc:  # anything else the reader trips on is still this message's fault
        raise UnreadableNotification(f"unreadable: {type(exc).__name__}: {exc}") from None
    m = reader.message
    assert m is not None and reader.sha256 is not None
    if not m.message_type.startswith("camt.054"):
        raise UnreadableNotification(f"{m.message_type} is not a camt.054 notification")
    if not reader.rows:
        raise UnreadableNotification("the notification holds no entry")
    created = {st["statement_key"]: _when(st.get("statement_created_at") or st.get("created_at"))
               for st in reader.statements}
    firsts: dict[tuple[str, int], dict] = {}
    for r in sorted(reader.rows, key=lambda r: (r["statement_key"], r["entry_seq"], r["tx_seq"] or 0)):
        firsts.setdefault((r["statement_key"], r["entry_seq"]), r)
    return Notification(reader.sha256, m.message_id, m.message_type,
                        tuple(_entry(r, created.get(r["statement_key"])) for r in firsts.values()))


def _when(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _entry(r: dict, notified_at: datetime | None) -> NotifiedEntry:
    if r.get("entry_amount") is None or r.get("entry_direction") not in ("CRDT", "DBIT") or not r.get("account"):
        raise UnreadableNotification(f"entry {r.get('entry_seq')} has no amount, direction or account")
    day = r["business_date"]
    return NotifiedEntry(r["entry_key"], r["statement_key"], int(r["entry_seq"]),
                         day if isinstance(day, date) else date.fromisoformat(str(day)),
                         r["account"], r.get("entry_currency") or r["currency"], r["entry_direction"],
                         Decimal(str(r["entry_amount"])), r.get("status"), notified_at)


# ISO 4217 minor units where they are not 2.
_MINOR_UNITS = {"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3, "CLF": 4,
                "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
                "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0}


def at_bank_scale(amount: Decimal, currency: str | None) -> Decimal:
    """The currency's scale when that loses nothing, else every digit the bank sent (never rounded)."""
    places = _MINOR_UNITS.get(currency or "", 2)
    exact = amount.quantize(Decimal(1).scaleb(-places))
    if exact == amount:
        return exact
    return amount.normalize()  # finer than the currency's scale, so never in exponent form


def window_partition(at: datetime, timezone: str = "UTC") -> str:
    """The 30-minute intraday window holding `at`, named as the intraday partitions are (in the
    calendar's timezone)."""
    at = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(ZoneInfo(timezone))
    return at.replace(minute=at.minute - at.minute % 30, second=0, microsecond=0).strftime("%Y-%m-%d-%H:%M")


__all__ = ["Notification", "NotifiedEntry", "UnreadableNotification", "content_hash", "read_notification",
           "window_partition"]
