"""A day of a real issuer's bank and ledger, built with the demo world's own machinery at scale.

The demo's Move, its CAMT entry shape (pipelines/demo/world_bank) and its ledger rows
(pipelines/demo/world_ledger) are used as they are; only the counts grow: N accounts in 6 currencies,
one camt.053 per account, camt.054 notifications of the corridor credits grouped per account and hour,
and the demo's anomaly kinds injected in proportion (missing on either side, duplicate, amount mismatch).
Besides single payments the bank books what a real day holds: batch payouts (one entry, its items in the
ledger under one payment-information id), reversals at the bank and in the ledger, returned payouts (with
a return reason) and credits converted from another currency (instructed amount and rate).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import sqlalchemy as sa

from pipelines.demo.scenario import COUNTERPARTIES, Account, Move, iban
from pipelines.demo.world_bank import _entry
from pipelines.demo.world_ledger import SCHEMA, reset_schema
from recon.camt.model import Entry, Statement
from recon.camt.writer import write_camt
from recon.ledger.tables import ACCOUNTS as ACCOUNTS_TABLE
from recon.ledger.tables import TRANSACTIONS
from stores.pg_writer import copy_frame

CURRENCIES = (("EUR", (1_000, 25_000)), ("USD", (1_000, 40_000)), ("GBP", (500, 20_000)),
              ("AED", (5_000, 60_000)), ("INR", (100_000, 1_500_000)), ("CHF", (1_000, 30_000)))
CORRIDORS = ("AED", "INR")  # their credits are also notified intraday (camt.054), as in the demo
ANOMALY_SHARE = 0.01  # each kind on about 1 % of the moves: the demo's proportion (4 kinds in ~110 moves)
# Share of the bank's entries of each shape other than a single payment (the rest are single payments).
SHAPES = (("batch", 0.01), ("bank_reversal", 0.01), ("ledger_reversal", 0.005), ("return", 0.01), ("fx", 0.03))
RETURN_REASON = "AC04"  # closed account
FX_RATES = {"EUR": Decimal("0.921659"), "USD": Decimal("1.000000"), "GBP": Decimal("0.787402"),
            "AED": Decimal("3.672500"), "INR": Decimal("84.210000"), "CHF": Decimal("0.884956")}


@dataclass
class DayWorld:
    day: date
    accounts: list[Account]
    moves: list[Move]
    anomalies: dict[str, int] = field(default_factory=dict)
    shapes: dict[str, int] = field(default_factory=dict)
    batches: dict[str, list[tuple[str, Decimal]]] = field(default_factory=dict)  # ref -> items (E2E, amount)
    reversals: set[str] = field(default_factory=set)  # refs of the bank's reversal entries
    returns: set[str] = field(default_factory=set)  # refs of returned payouts coming back
    fx: dict[str, tuple[Decimal, str, Decimal]] = field(default_factory=dict)  # ref -> instructed, currency, rate
    ledger_reversal_of: dict[str, str] = field(default_factory=dict)  # ref -> the ledger txn it reverses

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
    """n_entries bank entries (counted as the bank books them: a reversal pair is two) over n_accounts."""
    rng = random.Random(seed)  # noqa: S311 - reproducible bench data
    accts = accounts(n_accounts)
    w = DayWorld(day, accts, [], {"missing_in_ledger": 0, "missing_at_bank": 0, "duplicate_txn": 0,
                                  "amount_mismatch": 0}, {name: 0 for name, _ in SHAPES})
    k = entries = 0
    while entries < n_entries:
        a = accts[k % n_accounts]
        i = k // n_accounts
        k += 1
        ref, e2e = f"B{a.key}{day:%y%m%d}{i:06d}", f"E2E-{a.key}-{day:%m%d}-{i:06d}"
        amount = Decimal(rng.randint(a.flow[0] * 100, a.flow[1] * 100)) / 100
        uetr = str(uuid.UUID(int=rng.getrandbits(128), version=4)) if a.version == "001.08" else None
        base = Move(ref=ref, account=a.key, day=day, direction="CRDT" if rng.random() < 0.55 else "DBIT",
                    amount=amount, end_to_end_id=e2e, uetr=uetr, counterparty=rng.choice(COUNTERPARTIES))
        shape = _shape(rng.random())
        if shape:
            w.shapes[shape] += 1
            made = _shaped(w, rng, a, base, shape)
        else:
            made = [_with_anomaly(w, rng, a, base)]
        w.moves += made
        entries += sum(1 for m in made if m.at_bank)
    return w


def _shape(draw: float) -> str:
    for name, share in SHAPES:
        if draw < share:
            return name
        draw -= share
    return ""


def _with_anomaly(w: DayWorld, rng: random.Random, a: Account, m: Move) -> Move:
    extra: dict = {}
    kind = int(rng.random() / ANOMALY_SHARE)
    if kind == 0:
        extra, key = {"ledger_copies": 0}, "missing_in_ledger"
    elif kind == 1:
        extra, key = {"at_bank": False}, "missing_at_bank"
    elif kind == 2:
        extra, key = {"ledger_copies": 2}, "duplicate_txn"
    elif kind == 3:
        extra, key = {"ledger_amount": m.amount - Decimal("10.00")}, "amount_mismatch"
    else:
        key = ""
    if key:
        w.anomalies[key] += 1
    return replace(m, notified=a.currency in CORRIDORS and m.direction == "CRDT", **extra)


def _shaped(w: DayWorld, rng: random.Random, a: Account, m: Move, shape: str) -> list[Move]:
    """The moves of one entry of another shape; every one of them reconciles (no anomaly)."""
    if shape == "batch":  # a payout run: one debit at the bank, its items in the ledger
        items = [(f"{m.end_to_end_id}-{n:02d}", Decimal(rng.randint(a.flow[0] * 10, a.flow[1] * 10)) / 100)
                 for n in range(rng.randint(2, 12))]
        w.batches[m.ref] = items
        return [replace(m, direction="DBIT", amount=sum((x for _, x in items), Decimal(0)), uetr=None)]
    if shape == "bank_reversal":  # a credit the bank booked in error and reversed; the ledger has neither
        w.reversals.add(f"{m.ref}V")
        return [replace(m, direction="CRDT", ledger_copies=0),
                replace(m, ref=f"{m.ref}V", direction="DBIT", ledger_copies=0)]
    if shape == "ledger_reversal":  # a payout the ledger booked and reversed before the bank saw it
        w.ledger_reversal_of[f"{m.ref}V"] = f"TX-{m.ref}"
        return [replace(m, direction="DBIT", at_bank=False),
                replace(m, ref=f"{m.ref}V", direction="CRDT", at_bank=False, end_to_end_id=f"{m.end_to_end_id}V",
                        uetr=None)]
    if shape == "return":  # a payout, and the beneficiary's bank sending it back
        w.returns.add(f"{m.ref}T")
        return [replace(m, direction="DBIT"),
                replace(m, ref=f"{m.ref}T", direction="CRDT", end_to_end_id=f"{m.end_to_end_id}T", uetr=None)]
    # fx: a credit instructed in another currency and converted by the bank
    source = rng.choice([c for c in FX_RATES if c != a.currency])
    rate = (FX_RATES[a.currency] / FX_RATES[source]).quantize(Decimal("0.000001"))
    instructed = (m.amount / rate).quantize(Decimal("0.01"))
    w.fx[m.ref] = (instructed, source, rate)
    return [replace(m, direction="CRDT", amount=(instructed * rate).quantize(Decimal("0.01")))]


def bank_entry(w: DayWorld, m: Move) -> Entry:
    """The demo's entry for a move, in the shape the world gave it."""
    e = _entry(m)
    tx = e.transactions[0]
    if m.ref in w.batches:
        pmt = f"PMT-{m.ref}"
        return replace(e, bank_tx_code=("PMNT", "ICDT", "BOOK"), batch_pmt_inf_id=pmt, transactions=[
            replace(tx, end_to_end_id=e2e, uetr=None, pmt_inf_id=pmt, acct_svcr_ref=None, remittance=None)
            for e2e, _ in w.batches[m.ref]])
    if m.ref in w.reversals:
        return replace(e, reversal=True, bank_tx_code=("PMNT", "RCDT", "RRTN"))
    if m.ref in w.returns:
        return replace(e, bank_tx_code=("PMNT", "ICDT", "RRTN"),
                       transactions=[replace(tx, return_reason=RETURN_REASON)])
    if m.ref in w.fx:
        return replace(e, transactions=[replace(tx, instructed=w.fx[m.ref])])
    return e


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
                         entries=(bank_entry(w, m) for m in moves), servicer_bic=a.bic,
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

    def add(txn_id: str, a: Account, m: Move, amount: Decimal, booked: datetime, e2e: str | None,
            uetr: str | None, bank_ref: str | None, batch: str | None = None, reversal_of: str | None = None) -> None:
        for c, v in (("txn_id", txn_id), ("account_id", a.ledger_id), ("direction", m.direction), ("amount", amount),
                     ("currency", a.currency), ("booked_at", booked), ("value_date", m.day), ("uetr", uetr),
                     ("end_to_end_id", e2e), ("bank_reference", bank_ref), ("batch_id", batch),
                     ("reversal_of", reversal_of), ("status", "booked")):
            cols[c].append(v)

    n = 0
    for w in worlds:
        for m in w.moves:
            a, booked = by_key[m.account], _at(m.day, 8) + timedelta(seconds=n % 36_000)
            n += 1
            if m.ref in w.batches:  # the items of a payout run, under its payment-information id
                for item, (e2e, amount) in enumerate(w.batches[m.ref]):
                    add(f"TX-{m.ref}-{item:02d}", a, m, amount, booked, e2e, None, None, f"PMT-{m.ref}")
                continue
            for copy in range(m.ledger_copies):
                add(f"TX-{m.ref}" + (f"-{copy + 1}" if copy else ""), a, m,
                    m.amount if m.ledger_amount is None else m.ledger_amount, booked, m.end_to_end_id, m.uetr,
                    m.ref if m.at_bank else None, reversal_of=w.ledger_reversal_of.get(m.ref))
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
        by_account: dict[str, list[Move]] = {}
        for m in w.moves:
            by_account.setdefault(m.account, []).append(m)
        for a in w.accounts:
            bank_before = bank.get(a.key, a.opening)
            for m in by_account.get(a.key, []):
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
