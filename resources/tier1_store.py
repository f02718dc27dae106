"""Tier 1's Postgres side: each notification stored once, the account's bank position updated and
checked against the ledger, findings and flags recorded, all in one transaction per message."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from recon.balances import BalanceRules
from recon.tier1.notification import Notification, NotifiedEntry, at_bank_scale, window_partition
from recon.tier1.verdict import check_account
from resources import pg_discrepancies
from resources.bank_position import BOOKED_SINCE, LAST_CLOSING
from resources.warehouse import Warehouse, alerts_for

DETECTOR = "balance_tiers"  # the intraday and daily balance checks' detector: one lifecycle for all three


@dataclass(frozen=True)
class Delivery:
    """Where and when a message came from."""

    stream: str
    stream_seq: int
    subject: str
    published_at: datetime | None
    received_at: datetime
    body: bytes

    @property
    def name(self) -> str:
        return f"{self.stream}/{self.subject}#{self.stream_seq}"


@dataclass
class Ledger:
    """The ledger now: balance per (account, currency); `readable` False when the read failed."""

    balances: dict[tuple[str, str], Decimal]
    readable: bool = True
    error: str | None = None


@dataclass
class Outcome:
    status: str  # checked | duplicate | quarantined
    checks: list[dict[str, Any]] = field(default_factory=list)
    duplicate_of: str | None = None
    flags_opened: list[dict[str, Any]] = field(default_factory=list)


_INSERT_NOTIFICATION = """
INSERT INTO recon.notifications (sha256, message_id, message_type, stream, stream_seq, subject, published_at,
                                 received_at, size_bytes, body)
VALUES (:sha, :mid, :mtype, :stream, :seq, :subject, :pub, :recv, :size, :body)
ON CONFLICT (sha256) DO NOTHING RETURNING sha256
"""
_INSERT_ENTRY = """
INSERT INTO recon.notification_entries (entry_key, sha256, statement_key, entry_seq, business_date, account, currency,
                                        direction, amount, status, notified_at)
VALUES (:entry_key, :sha, :statement_key, :entry_seq, :business_date, :account, :currency, :direction, :amount,
        :status, :notified_at)
ON CONFLICT DO NOTHING RETURNING entry_key
"""
_LOCK_POSITION = """
INSERT INTO recon.bank_positions (account, currency) VALUES (:a, :c) ON CONFLICT DO NOTHING;
SELECT 1 FROM recon.bank_positions WHERE account = :a AND currency = :c FOR UPDATE
"""
_SAVE_POSITION = """
UPDATE recon.bank_positions SET closed_on = :closed_on, closing_balance = :closing, moved = :moved,
       balance = :balance, notifications = notifications + :n, last_entry_key = :last, updated_at = now()
WHERE account = :a AND currency = :c
"""
_OPEN_FLAGS = """
SELECT breaker_id, kind FROM recon.circuit_breakers
WHERE scope_type = 'account' AND scope_id = :a AND status = 'open'
ORDER BY (kind = 'circuit_breaker') DESC, breaker_id
"""
_INSERT_CHECK = """
INSERT INTO recon.notification_checks (entry_key, message_id, stream_seq, subject, account, currency, amount,
    direction, entry_status, partition_key, published_at, received_at, checked_at, bank_balance, ledger_balance,
    diff, pct, tier, action, reason, discrepancy_key, flag_id, flag_state)
VALUES (:entry_key, :message_id, :stream_seq, :subject, :account, :currency, :amount, :direction, :entry_status,
        :partition_key, :published_at, :received_at, clock_timestamp(), :bank_balance, :ledger_balance, :diff,
        :pct, :tier, :action, :reason, :discrepancy_key, :flag_id, :flag_state)
RETURNING checked_at
"""
_RECORD_FILE = """
INSERT INTO recon.ingested_files (file_sha256, file_name, source, status, reason, message_type, message_id,
    business_date, business_dates, size_bytes, duplicate_of, entries, quarantine_path, run_id)
VALUES (:sha, :name, :source, :status, :reason, :mtype, :mid, :bd, CAST(:bds AS date[]), :size, :dup, :entries,
        :qpath, :run)
ON CONFLICT (file_sha256, file_name) DO NOTHING
"""


class Tier1Store:
    def __init__(self, wh: Warehouse, rules: BalanceRules | None = None) -> None:
        self.wh = wh
        self.rules = rules or BalanceRules()

    def handle(self, note: Notification, d: Delivery, ledger: Ledger) -> Outcome:
        """Store, position, check and flag in one transaction; the caller acks only after this returns."""
        with self.wh.engine.begin() as conn:
            outcome = self._handle(conn, note, d, ledger)
        if outcome.flags_opened or any(c["tier"] == "critical" for c in outcome.checks):
            result = pg_discrepancies.RecordResult(flags_opened=outcome.flags_opened)
            self.wh.notifier.send(f"reserve-recon tier 1 {d.name}", alerts_for(result, f"tier1:{d.name}"))
        return outcome

    def _handle(self, conn: sa.Connection, note: Notification, d: Delivery, ledger: Ledger) -> Outcome:
        params = {"sha": note.sha256, "mid": note.message_id, "mtype": note.message_type, "stream": d.stream,
                  "seq": d.stream_seq, "subject": d.subject, "pub": d.published_at, "recv": d.received_at,
                  "size": len(d.body), "body": d.body}
        days = sorted({e.business_date for e in note.entries})
        file_row = {"sha": note.sha256, "name": d.name, "source": f"jetstream:{d.stream}", "mtype": note.message_type,
                    "mid": note.message_id, "bd": days[0], "bds": "{" + ",".join(map(str, days)) + "}",
                    "size": len(d.body), "entries": len(note.entries), "qpath": None, "run": f"tier1:{d.stream}"}
        if conn.execute(sa.text(_INSERT_NOTIFICATION), params).first() is None:
            first = conn.execute(sa.text("SELECT stream, subject, stream_seq FROM recon.notifications "
                                         "WHERE sha256 = :sha"), params).one()
            original = f"{first.stream}/{first.subject}#{first.stream_seq}"
            if original != d.name:  # a republished copy; a redelivery of the same sequence is not a new file
                conn.execute(sa.text(_RECORD_FILE), {**file_row, "status": "duplicate", "dup": original,
                                                     "reason": f"same content as {original}"})
            return Outcome("duplicate", duplicate_of=original)
        new = [e for e in note.entries
               if conn.execute(sa.text(_INSERT_ENTRY), {**e.__dict__, "sha": note.sha256}).first() is not None]
        conn.execute(sa.text(_RECORD_FILE), {
            **file_row, "status": "ingested", "dup": None,
            "reason": None if len(new) == len(note.entries) else
            f"{len(note.entries) - len(new)} entr(ies) already notified by another message"})
        if not new:
            return Outcome("duplicate", duplicate_of="its entries, notified by another message")
        outcome = Outcome("checked")
        for (account, currency), entries in _by_account(new).items():
            self._check(conn, account, currency, entries, note, d, ledger, outcome)
        return outcome

    def _check(self, conn: sa.Connection, account: str, currency: str, entries: list[NotifiedEntry],
               note: Notification, d: Delivery, ledger: Ledger, outcome: Outcome) -> None:
        conn.execute(sa.text(_LOCK_POSITION.split(";")[0]), {"a": account, "c": currency})
        conn.execute(sa.text(_LOCK_POSITION.split(";")[1]), {"a": account, "c": currency})
        day = max(e.business_date for e in entries)
        closing = [r for r in conn.execute(sa.text(LAST_CLOSING), {"d": day, "a": account}).mappings()
                   if r["currency"] == currency]
        bank = closed_on = closing_balance = None
        moved = Decimal(0)
        if closing:
            closed_on, closing_balance = closing[0]["closed_on"], closing[0]["balance"]
            end = datetime.max.replace(tzinfo=d.received_at.tzinfo)
            for m in conn.execute(sa.text(BOOKED_SINCE), {"d": day, "end": end, "a": account}).mappings():
                if m["currency"] == currency and m["business_date"] > closed_on:
                    moved += -m["amount"] if m["direction"] == "DBIT" else m["amount"]
            bank = at_bank_scale(closing_balance + moved, currency)
        ledger_balance = ledger.balances.get((account, currency)) if ledger.readable else None
        in_ledger = not ledger.readable or (account, currency) in ledger.balances
        verdict = check_account(account, currency, ledger_balance, bank, in_ledger, self.rules)
        at = entries[0].notified_at or d.received_at
        partition = window_partition(at)
        opened: list[dict[str, Any]] = []
        if verdict.found.height:
            recorded = pg_discrepancies.record(conn, DETECTOR, partition, verdict.found, f"tier1:{d.name}",
                                               complete=False)
            opened = recorded.flags_opened
            outcome.flags_opened += opened
        flags = conn.execute(sa.text(_OPEN_FLAGS), {"a": account}).first()
        flag_state = None if flags is None else ("opened" if any(f["breaker_id"] == flags.breaker_id
                                                                 for f in opened) else "already_open")
        conn.execute(sa.text(_SAVE_POSITION), {"closed_on": closed_on, "closing": closing_balance, "moved": moved,
                                               "balance": bank, "n": len(entries), "last": entries[-1].entry_key,
                                               "a": account, "c": currency})
        for e in entries:
            row = {"entry_key": e.entry_key, "message_id": note.message_id, "stream_seq": d.stream_seq,
                   "subject": d.subject, "account": account, "currency": currency, "amount": e.amount,
                   "direction": e.direction, "entry_status": e.status, "partition_key": partition,
                   "published_at": d.published_at, "received_at": d.received_at, "bank_balance": bank,
                   "ledger_balance": ledger_balance, "diff": verdict.diff, "pct": verdict.pct,
                   "tier": verdict.tier, "action": verdict.action, "reason": verdict.reason,
                   "discrepancy_key": verdict.discrepancy_key,
                   "flag_id": None if flags is None else flags.breaker_id, "flag_state": flag_state}
            row["checked_at"] = conn.execute(sa.text(_INSERT_CHECK), row).scalar_one()
            outcome.checks.append(row)


def _by_account(entries: list[NotifiedEntry]) -> dict[tuple[str, str], list[NotifiedEntry]]:
    out: dict[tuple[str, str], list[NotifiedEntry]] = {}
    for e in entries:
        out.setdefault((e.account, e.currency), []).append(e)
    return out


def quarantine(wh: Warehouse, sha256: str, d: Delivery, reason: str, dead_letter: str) -> None:
    """A message that cannot be read: accounted for as a quarantined input with its reason and where it went."""
    with wh.engine.begin() as conn:
        conn.execute(sa.text(_RECORD_FILE), {
            "sha": sha256, "name": d.name, "source": f"jetstream:{d.stream}", "status": "quarantined",
            "reason": reason, "mtype": None, "mid": None, "bd": None, "bds": None, "size": len(d.body),
            "dup": None, "entries": None, "qpath": dead_letter, "run": f"tier1:{d.stream}"})


def save_status(wh: Warehouse, row: dict[str, Any]) -> None:
    cols = list(row)
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in cols if c not in ("consumer", "instance"))
    with wh.engine.begin() as conn:
        conn.execute(sa.text(
            f"INSERT INTO recon.listener_status ({', '.join(cols)}, updated_at) "
            f"VALUES ({', '.join(':' + c for c in cols)}, now()) "
            f"ON CONFLICT (consumer, instance) DO UPDATE SET {sets}, updated_at = now()"), row)


def listener_status(wh: Warehouse) -> list[dict[str, Any]]:
    return wh.rows("SELECT * FROM recon.listener_status ORDER BY consumer, updated_at DESC")


__all__ = ["DETECTOR", "Delivery", "Ledger", "Outcome", "Tier1Store", "listener_status", "quarantine", "save_status"]
