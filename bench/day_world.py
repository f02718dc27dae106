"""A day of a real issuer's bank and ledger, built with the demo world's own machinery at scale.

The demo's Move, its CAMT entry shape (pipelines/demo/world_bank) and its ledger rows
(pipelines/demo/world_ledger) are used as they are; only the counts grow: N accounts in 6 currencies,
one camt.053 per account, camt.054 notifications of the corridor credits grouped per account and hour,
and the demo's anomaly kinds injected in proportion (missing on either side, duplicate, amount mismatch).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from pipelines.demo.scenario import COUNTERPARTIES, Account, Move, iban
from pipelines.demo.world_bank import _entry
from pipelines.demo.world_ledger import SCHEMA, reset_schema
from recon.camt.model import Statement
from recon.camt.writer import write_camt
from recon.ledger.tables import ACCOUNTS as ACCOUNTS_TABLE
from recon.ledger.tables import TRANSACTIONS
from stores.pg_writer import copy_frame

CURRENCIES = (("EUR", (1_000, 25_000)), ("USD", (1_000, 40_000)), ("GBP", (500, 20_000)),
              ("AED", (5_000, 60_000)), ("INR", (100_000, 1_500_000)), ("CHF", (1_000, 30_000)))
CORRIDORS = ("AED", "INR")  # their credits are also notified intraday (camt.054), as in the demo
ANOMALY_SHARE = 0.01  # each kind on about 1 % of the moves: the demo's proportion (4 kinds in ~110 moves)


@dataclass
class DayWorld:
    day: date
    accounts: list[Account]
    moves: list[Move]
    anomalies: dict[str, int] = field(default_factory=dict)

    def opening(self, a: Account) -> Decimal:
        return a.opening


def accounts(n: int) -> list[Account]:
    out = []
    for i in range(n):
        currency, flow = CURRENCIES[i % len(CURRENCIES)]
        out.append(Account(f"A{i:04d}", f"{currency} e-money {i}", iban("DE", f"{370400440000000000 + i:018d}"),
                           currency, "COBADEFFXXX", Decimal(flow[1]) * 10_000, flow,
                           version="001.02" if i % 10 == 9 else "001.08"))
    return out


def day_world(day: date, n_accounts: int, n_entries: int, seed: int = 17) -> DayWorld:
    rng = random.Random(seed)  # noqa: S311 - reproducible bench data
    accts = accounts(n_accounts)
    w = DayWorld(day, accts, [], {"missing_in_ledger": 0, "missing_at_bank": 0, "duplicate_txn": 0,
                                  "amount_mismatch": 0})
    for k in range(n_entries):
        a = accts[k % n_accounts]
        i = k // n_accounts
        direction = "CRDT" if rng.random() < 0.55 else "DBIT"
        amount = Decimal(rng.randint(a.flow[0] * 100, a.flow[1] * 100)) / 100
        uetr = str(uuid.UUID(int=rng.getrandbits(128), version=4)) if a.version == "001.08" else None
        extra: dict = {}
        kind = int(rng.random() / ANOMALY_SHARE)
        if kind == 0:
            extra, key = {"ledger_copies": 0}, "missing_in_ledger"
        elif kind == 1:
            extra, key = {"at_bank": False}, "missing_at_bank"
        elif kind == 2:
            extra, key = {"ledger_copies": 2}, "duplicate_txn"
        elif kind == 3:
            extra, key = {"ledger_amount": amount - Decimal("10.00")}, "amount_mismatch"
        else:
            key = ""
        if key:
            w.anomalies[key] += 1
        w.moves.append(Move(ref=f"B{a.key}{day:%y%m%d}{i:06d}", account=a.key, day=day, direction=direction,
                            amount=amount, end_to_end_id=f"E2E-{a.key}-{day:%m%d}-{i:06d}", uetr=uetr,
                            counterparty=rng.choice(COUNTERPARTIES),
                            notified=a.currency in CORRIDORS and direction == "CRDT", **extra))
    return w


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def write_files(w: DayWorld, folder: Path, openings: dict[str, Decimal] | None = None) -> dict[str, int]:
    """One camt.053 per account; the notified credits as camt.054, one file per account and hour.

    `openings` carries each account's closing balance from the day before (and is updated to this day's).
    """
    openings = {} if openings is None else openings
    folder.mkdir(parents=True, exist_ok=True)
    by_account: dict[str, list[Move]] = {}
    for m in w.moves:
        by_account.setdefault(m.account, []).append(m)
    statements = notifications = 0
    for a in w.accounts:
        moves = [m for m in by_account.get(a.key, []) if m.at_bank]
        opening = openings.get(a.key, a.opening)
        closing = opening + sum((m.signed for m in moves), Decimal(0))
        openings[a.key] = closing
        stmt = Statement(account_iban=a.iban, currency=a.currency, opening_balance=opening,
                         entries=(_entry(m) for m in moves), servicer_bic=a.bic,
                         statement_id=f"STMT-{a.key}-{w.day:%Y%m%d}", created_at=_at(w.day + timedelta(days=1), 5),
                         from_date=w.day, to_date=w.day, electronic_seq=1, legal_seq=1,
                         closing_balance=closing, closing_date=w.day)
        write_camt(folder / f"053_{w.day:%Y%m%d}_{a.key}.xml", [stmt], kind="053", version=a.version,
                   msg_id=f"MSG-053-{a.key}-{w.day:%Y%m%d}", created_at=stmt.created_at)
        statements += 1
        notified = [m for m in moves if m.notified]
        for hour in range(8):
            part = notified[hour::8]
            if part:
                notifications += write_notification(folder, a, w.day, part, _at(w.day, 9 + hour))
    return {"statements": statements, "notification_files": notifications,
            "notified_entries": sum(1 for m in w.moves if m.notified and m.at_bank)}


def write_notification(folder: Path, a: Account, day: date, moves: list[Move], sent: datetime) -> int:
    note = Statement(account_iban=a.iban, currency=a.currency, entries=[_entry(m) for m in moves],
                     servicer_bic=a.bic, statement_id=f"NTF-{a.key}-{sent:%Y%m%d%H%M}", created_at=sent,
                     from_date=day, to_date=day)
    write_camt(folder / f"054_{sent:%Y%m%d%H%M}_{a.key}.xml", [note], kind="054", version=a.version,
               msg_id=f"MSG-054-{a.key}-{sent:%Y%m%d%H%M}", created_at=sent)
    return 1


def _ledger_frame(worlds: list[DayWorld]) -> pl.DataFrame:
    by_key = {a.key: a for w in worlds for a in w.accounts}
    cols: dict[str, list] = {c: [] for c in TRANSACTIONS.columns}
    for n, m in enumerate(m for w in worlds for m in w.moves):
        a = by_key[m.account]
        for copy in range(m.ledger_copies):
            cols["txn_id"].append(f"TX-{m.ref}" + (f"-{copy + 1}" if copy else ""))
            cols["account_id"].append(a.ledger_id)
            cols["direction"].append(m.direction)
            cols["amount"].append(m.amount if m.ledger_amount is None else m.ledger_amount)
            cols["currency"].append(a.currency)
            cols["booked_at"].append(_at(m.day, 8) + timedelta(seconds=n % 36_000))
            cols["value_date"].append(m.day)
            cols["uetr"].append(m.uetr)
            cols["end_to_end_id"].append(m.end_to_end_id)
            cols["bank_reference"].append(m.ref if m.at_bank else None)
            cols["batch_id"].append(None)
            cols["reversal_of"].append(None)
            cols["status"].append("booked")
    return pl.DataFrame(cols, schema=TRANSACTIONS.columns)


def load_ledger(engine: sa.Engine, worlds: list[DayWorld], tables: list) -> dict[str, int]:
    """The ledger schema as the demo builds it, loaded with COPY (the demo's row inserts would take hours).

    One accounts row per account and day: the ledger's balance at 22:00, the bank's as of the day before.
    """
    reset_schema(engine, tables)
    txns = _ledger_frame(worlds)
    ledger: dict[str, Decimal] = {}
    bank: dict[str, Decimal] = {}
    rows = []
    for w in worlds:
        for a in w.accounts:
            bank_before = bank.get(a.key, a.opening)
            for m in (m for m in w.moves if m.account == a.key):
                ledger[a.key] = ledger.get(a.key, a.opening) + m.ledger_signed
                if m.at_bank:
                    bank[a.key] = bank.get(a.key, a.opening) + m.signed
            rows.append({"account_id": a.ledger_id, "iban": a.iban, "currency": a.currency,
                         "ledger_balance": ledger.get(a.key, a.opening), "bank_balance": bank_before,
                         "reserved_balance": None, "as_of": _at(w.day, 22)})
    accts = pl.DataFrame(rows, schema=ACCOUNTS_TABLE.columns)
    with engine.begin() as conn:
        copy_frame(conn, f"{SCHEMA}.{TRANSACTIONS.name}", txns)
        copy_frame(conn, f"{SCHEMA}.{ACCOUNTS_TABLE.name}", accts)
    return {"ledger_transactions": txns.height, "ledger_accounts": accts.height}
