"""One CAMT.054 message as tier 1 reads it: its identity (content hash) and the entries it notifies."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from recon.camt.errors import CamtError
from recon.camt.parsed import parse_file


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


def read_notification(body: bytes, name: str) -> Notification:
    """Parse a message body completely (no DTDs, no entities, no network), or raise UnreadableNotification."""
    if not body.strip():
        raise UnreadableNotification("empty message")
    with tempfile.TemporaryDirectory(prefix="recon-ntf-") as tmp:
        path = Path(tmp) / "message.xml"
        path.write_bytes(body)
        try:
            parsed = parse_file(path, name)
        except CamtError as exc:
            raise UnreadableNotification(exc.message) from None
        except Exception as exc:  # anything else the reader trips on is still this message's fault
            raise UnreadableNotification(f"unreadable: {type(exc).__name__}: {exc}") from None
    if not parsed.message_type.startswith("camt.054"):
        raise UnreadableNotification(f"{parsed.message_type} is not a camt.054 notification")
    if parsed.entries.is_empty():
        raise UnreadableNotification("the notification holds no entry")
    created = {r["statement_key"]: r["statement_created_at"] or r["created_at"]
               for r in parsed.statements.iter_rows(named=True)}
    firsts = parsed.entries.sort("statement_key", "entry_seq", "tx_seq").unique(
        ["statement_key", "entry_seq"], keep="first", maintain_order=True)
    return Notification(parsed.sha256, parsed.message_id, parsed.message_type,
                        tuple(_entry(r, created.get(r["statement_key"])) for r in firsts.iter_rows(named=True)))


def _entry(r: dict, notified_at: datetime | None) -> NotifiedEntry:
    if r["entry_amount"] is None or r["entry_direction"] not in ("CRDT", "DBIT") or not r["account"]:
        raise UnreadableNotification(f"entry {r['entry_seq']} has no amount, direction or account")
    if notified_at is not None and notified_at.tzinfo is None:
        notified_at = notified_at.replace(tzinfo=UTC)
    return NotifiedEntry(r["entry_key"], r["statement_key"], int(r["entry_seq"]), r["business_date"],
                         r["account"], r["entry_currency"] or r["currency"], r["entry_direction"],
                         at_bank_scale(Decimal(r["entry_amount"]), r["entry_currency"] or r["currency"]),
                         r["status"], notified_at)


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
    return amount.normalize() if amount.normalize().as_tuple().exponent < 0 else amount


def window_partition(at: datetime) -> str:
    """The 30-minute intraday window holding `at` (UTC), named as the intraday partitions are."""
    at = at.astimezone(UTC) if at.tzinfo else at.replace(tzinfo=UTC)
    return at.replace(minute=at.minute - at.minute % 30, second=0, microsecond=0).strftime("%Y-%m-%d-%H:%M")


__all__ = ["Notification", "NotifiedEntry", "UnreadableNotification", "content_hash", "read_notification",
           "window_partition"]
