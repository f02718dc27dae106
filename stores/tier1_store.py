"""Tier 1's Postgres side: each notification stored once, the account's bank position updated and
checked against the ledger, findings and flags recorded, in one transaction per batch of messages
already fetched (a group commit); the listener acknowledges them only after it commits."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from recon.balances import BalanceRules
from recon.discrepancies import discrepancy_frame
from recon.sql import postgres_sql
from recon.tier1.notification import Notification, NotifiedEntry, at_bank_scale, window_partition
from recon.tier1.verdict import check_account
from settings.calendar import business_calendar
from stores import pg_discrepancies
from stores.bank_position import BOOKED_SINCE, LAST_CLOSING
from stores.identifiers import ident, names, render
from stores.warehouse import Warehouse, alerts_for

_LAST_DAY = date(9999, 12, 31)
_END = datetime(9999, 12, 31, tzinfo=UTC)
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


def _rows_json(rows: list[dict[str, Any]]) -> str:
    """Rows for jsonb_to_recordset: exact Decimal text, ISO dates, bytes as hex (one round trip a batch)."""
    def value(v: Any) -> Any:
        if isinstance(v, Decimal):
            return str(v)
        if isinstance(v, (date, datetime)):
            return v.isoformat()
        if isinstance(v, bytes):
            return v.hex()
        return v
    return json.dumps([{k: value(v) for k, v in r.items()} for r in rows])


_INSERT_NOTIFICATIONS = postgres_sql("insert_notifications")
_FIRST_SEEN = postgres_sql("select_first_seen_notifications")
_INSERT_ENTRIES = postgres_sql("insert_notification_entries")
_RECORD_FILES = postgres_sql("upsert_notification_files")
_INSERT_CHECKS = postgres_sql("insert_notification_checks")
_LOCK_POSITION = postgres_sql("lock_bank_position")
_SAVE_POSITION = postgres_sql("update_bank_position")
_OPEN_FLAGS = postgres_sql("select_open_account_flags")


class Tier1Store:
    def __init__(self, wh: Warehouse, rules: BalanceRules | None = None) -> None:
        self.wh = wh
        self.rules = rules or BalanceRules()

    def handle(self, note: Notification, d: Delivery, ledger: Ledger) -> Outcome:
        """Store, position, check and flag in one transaction; the caller acks only after this returns."""
        return self.handle_batch([(note, d)], ledger)[0]

    def handle_batch(self, items: list[tuple[Notification, Delivery]], ledger: Ledger) -> list[Outcome]:
        """Messages already fetched, committed together (a group commit); the caller acks them after."""
        with self.wh.engine.begin() as conn:
            outcomes = self._batch(conn, items, ledger)
        for outcome, (_, d) in zip(outcomes, items, strict=True):
            if outcome.flags_opened or any(c["tier"] == "critical" for c in outcome.checks):
                result = pg_discrepancies.RecordResult(flags_opened=outcome.flags_opened)
                self.wh.notifier.send(f"reserve-recon tier 1 {d.name}", alerts_for(result, f"tier1:{d.name}"))
        return outcomes

    def _batch(self, conn: sa.Connection, items: list[tuple[Notification, Delivery]], ledger: Ledger) -> list[Outcome]:
        # Positions locked in one order up front: two listeners never wait on each other in a cycle.
        batch = {key: _Position(self._lock(conn, *key))
                 for key in sorted({(e.account, e.currency) for note, _ in items for e in note.entries})}
        new_shas = set(conn.execute(sa.text(_INSERT_NOTIFICATIONS), {"rows": _rows_json([
            {"sha256": n.sha256, "message_id": n.message_id, "message_type": n.message_type, "stream": d.stream,
             "stream_seq": d.stream_seq, "subject": d.subject, "published_at": d.published_at,
             "received_at": d.received_at, "size_bytes": len(d.body), "body": d.body} for n, d in items])}).scalars())
        first_seen = {r.sha256: r.name for r in conn.execute(sa.text(_FIRST_SEEN),
                                                              {"shas": [n.sha256 for n, _ in items]})}
        fresh: list[tuple[int, Notification, Delivery]] = []
        outcomes: dict[int, Outcome] = {}
        files: list[dict[str, Any]] = []
        for i, (n, d) in enumerate(items):
            row = _file_row(n, d)
            if n.sha256 in new_shas and first_seen.get(n.sha256) == d.name:
                fresh.append((i, n, d))
                continue
            original = first_seen.get(n.sha256, "?")
            if original != d.name:  # a republished copy; a redelivery of the same sequence is not a new file
                files.append({**row, "status": "duplicate", "dup": original, "reason": f"same content as {original}"})
            outcomes[i] = Outcome("duplicate", duplicate_of=original)
        entries = [{**e.__dict__, "sha256": n.sha256} for _, n, _ in fresh for e in n.entries]
        new_keys = set(conn.execute(sa.text(_INSERT_ENTRIES), {"rows": _rows_json(entries)}).scalars()) \
            if entries else set()
        checks: list[dict[str, Any]] = []
        pending = {(e["statement_key"], e["entry_seq"]) for e in entries if e["entry_key"] in new_keys}
        for i, n, d in fresh:
            new = [e for e in n.entries if e.entry_key in new_keys]
            repeated = len(n.entries) - len(new)
            files.append({**_file_row(n, d), "status": "ingested", "dup": None, "reason": None if not repeated
                          else f"{repeated} entr(ies) already notified by another message"})
            if not new:
                outcomes[i] = Outcome("duplicate", duplicate_of="its entries, notified by another message")
                continue
            outcome = outcomes[i] = Outcome("checked")
            for (account, currency), mine in _by_account(new).items():
                self._check(conn, batch[(account, currency)], account, currency, mine, n, d, ledger, outcome,
                            pending)
            checks += outcome.checks
        for (account, _), pos in batch.items():
            self._record(conn, account, pos)
        if files:
            conn.execute(sa.text(_RECORD_FILES), {"rows": _rows_json(files)})
        if checks:
            conn.execute(sa.text(_INSERT_CHECKS), {"rows": _rows_json(checks)})
        for (account, currency), pos in batch.items():
            if pos.n:
                conn.execute(sa.text(_SAVE_POSITION), {
                    "closed_on": pos.closed_on, "closing": pos.closing_balance, "moved": pos.moved,
                    "balance": pos.balance, "n": pos.n, "last": pos.last_entry_key, "a": account, "c": currency})
        return [outcomes[i] for i in range(len(items))]

    @staticmethod
    def _record(conn: sa.Connection, account: str, pos: _Position) -> None:
        """The account's finding as of the last notification of the batch: what the transaction commits.
        Positions in between were never visible to anyone (their verdicts stay in notification_checks);
        a breaker or suspension opens on the committed position, at once."""
        if pos.last is None:
            return
        verdict, partition, d, outcome = pos.last
        opened: list[dict[str, Any]] = []
        if verdict.finding is not None:
            recorded = pg_discrepancies.record(conn, DETECTOR, partition, discrepancy_frame([verdict.finding]),
                                               f"tier1:{d.name}", complete=False)
            opened = recorded.flags_opened
            outcome.flags_opened += opened
        flag = conn.execute(sa.text(_OPEN_FLAGS), {"a": account}).first()
        if flag is None:
            return
        state = "opened" if any(f["breaker_id"] == flag.breaker_id for f in opened) else "already_open"
        for row in pos.rows:
            row["flag_id"], row["flag_state"] = flag.breaker_id, state

    @staticmethod
    def _lock(conn: sa.Connection, account: str, currency: str) -> sa.RowMapping:
        conn.execute(sa.text(_LOCK_POSITION.split(";")[0]), {"a": account, "c": currency})
        return conn.execute(sa.text(_LOCK_POSITION.split(";")[1]), {"a": account, "c": currency}).mappings().one()

    def _check(self, conn: sa.Connection, pos: _Position, account: str, currency: str,
               entries: list[NotifiedEntry], note: Notification, d: Delivery, ledger: Ledger,
               outcome: Outcome, pending: set[tuple[str, int]]) -> None:
        pending.difference_update((e.statement_key, e.entry_seq) for e in entries)
        day = max(e.business_date for e in entries)
        if day not in pos.closings:
            pos.closings[day] = next((r for r in conn.execute(sa.text(LAST_CLOSING), {"d": day, "a": account})
                                      .mappings() if r["currency"] == currency), None)
        closing = pos.closings[day]
        if closing is None:
            pos.closed_on = pos.closing_balance = pos.balance = None
            pos.moved = Decimal(0)
        elif (pos.balance is not None and pos.closed_on == closing["closed_on"]
              and pos.closing_balance == closing["balance"]):
            # Same statement as last time: add what this message booked after it.
            pos.moved += sum((e.signed for e in entries if e.booked and e.business_date > pos.closed_on), Decimal(0))
        else:  # first notification since a statement: every booked notification after its date
            pos.closed_on, pos.closing_balance, pos.moved = closing["closed_on"], closing["balance"], Decimal(0)
            params = {"d": _LAST_DAY, "end": _END, "a": account, "after": None}
            for m in conn.execute(sa.text(BOOKED_SINCE), params).mappings():
                # Entries of this batch not applied yet are already in the table: each is added in its turn.
                if (m["currency"] == currency and m["business_date"] > pos.closed_on
                        and (m["statement_key"], m["entry_seq"]) not in pending):
                    pos.moved += -m["amount"] if m["direction"] == "DBIT" else m["amount"]
        if pos.closing_balance is not None:
            pos.balance = at_bank_scale(pos.closing_balance + pos.moved, currency)
        pos.n += len(entries)
        pos.last_entry_key = entries[-1].entry_key
        bank = pos.balance
        ledger_balance = ledger.balances.get((account, currency)) if ledger.readable else None
        in_ledger = not ledger.readable or (account, currency) in ledger.balances
        verdict = check_account(account, currency, ledger_balance, bank, in_ledger, self.rules)
        partition = window_partition(entries[0].notified_at or d.received_at, business_calendar().timezone)
        # Findings and flags follow the position this transaction commits (see _record).
        pos.last = (verdict, partition, d, outcome)
        for e in entries:
            row = {"entry_key": e.entry_key, "message_id": note.message_id, "stream_seq": d.stream_seq,
                   "subject": d.subject, "account": account, "currency": currency, "amount": e.amount,
                   "direction": e.direction, "entry_status": e.status, "partition_key": partition,
                   "published_at": d.published_at, "received_at": d.received_at, "bank_balance": bank,
                   "ledger_balance": ledger_balance, "diff": verdict.diff, "pct": verdict.pct,
                   "tier": verdict.tier, "action": verdict.action, "reason": verdict.reason,
                   "discrepancy_key": verdict.discrepancy_key,
                   "flag_id": None, "flag_state": None}
            row["checked_at"] = datetime.now(UTC)
            outcome.checks.append(row)
            pos.rows.append(row)


class _Position:
    """One account's position while a batch is in its transaction (row locked), saved at the end."""

    def __init__(self, held: sa.RowMapping) -> None:
        self.closed_on = held["closed_on"]
        self.closing_balance = held["closing_balance"]
        self.moved: Decimal = held["moved"]
        self.balance = held["balance"]
        self.n = 0
        self.last_entry_key: str | None = None
        self.closings: dict[Any, Any] = {}
        self.last: tuple[Any, str, Delivery, Outcome] | None = None  # the last verdict in this batch
        self.rows: list[dict[str, Any]] = []


def _by_account(entries: list[NotifiedEntry]) -> dict[tuple[str, str], list[NotifiedEntry]]:
    out: dict[tuple[str, str], list[NotifiedEntry]] = {}
    for e in entries:
        out.setdefault((e.account, e.currency), []).append(e)
    return out


def _file_row(n: Notification, d: Delivery) -> dict[str, Any]:
    days = sorted({e.business_date for e in n.entries})
    return {"sha": n.sha256, "name": d.name, "source": f"jetstream:{d.stream}", "mtype": n.message_type,
            "mid": n.message_id, "bd": days[0], "bds": "{" + ",".join(map(str, days)) + "}", "size": len(d.body),
            "entries": len(n.entries), "qpath": None, "run": f"tier1:{d.stream}"}


def quarantine(wh: Warehouse, sha256: str, d: Delivery, reason: str, dead_letter: str) -> None:
    """A message that cannot be read: accounted for as a quarantined input with its reason and where it went."""
    with wh.engine.begin() as conn:
        conn.execute(sa.text(_RECORD_FILES), {"rows": _rows_json([{
            "sha": sha256, "name": d.name, "source": f"jetstream:{d.stream}", "status": "quarantined",
            "reason": reason, "mtype": None, "mid": None, "bd": None, "bds": None, "size": len(d.body),
            "dup": None, "entries": None, "qpath": dead_letter, "run": f"tier1:{d.stream}"}])})


def save_status(wh: Warehouse, row: dict[str, Any]) -> None:
    cols = list(row)
    changing = [c for c in cols if c not in ("consumer", "instance")]
    upsert = render(postgres_sql("upsert_listener_status"), columns=names(cols),
                    values=", ".join(":" + ident(c) for c in cols), changing=names(changing),
                    incoming=names(changing, "excluded"))
    with wh.engine.begin() as conn:
        conn.execute(sa.text(upsert), row)


def listener_status(wh: Warehouse) -> list[dict[str, Any]]:
    return wh.rows(postgres_sql("select_listener_status"))


__all__ = ["DETECTOR", "Delivery", "Ledger", "Outcome", "Tier1Store", "listener_status", "quarantine", "save_status"]
