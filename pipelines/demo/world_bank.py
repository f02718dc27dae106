"""The bank's side of the demo: CAMT.053 statements per account and day, CAMT.054 notifications of
the corridor credits, a redelivered copy and a truncated file, written with the project's writer."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from pipelines.demo.scenario import BY_KEY, DAYS, INTRADAY_DAY, BankWorld, Move, bank_closing
from recon.camt.model import Entry, Party, Statement, Transaction
from recon.camt.writer import camt_bytes

_CREDIT_CODE, _DEBIT_CODE = ("PMNT", "RCDT", "ESCT"), ("PMNT", "ICDT", "ESCT")


def _entry(m: Move) -> Entry:
    party = Party(name=m.counterparty)
    tx = Transaction(end_to_end_id=m.end_to_end_id, uetr=m.uetr, acct_svcr_ref=m.ref, counterparty=party,
                     remittance=None if m.creditor_ref else f"Invoice {m.end_to_end_id[-8:]}",
                     creditor_ref=m.creditor_ref)
    return Entry(amount=m.amount, direction=m.direction, booking_date=m.day, value_date=m.day,
                 acct_svcr_ref=m.ref, entry_ref=m.ref,
                 bank_tx_code=_CREDIT_CODE if m.direction == "CRDT" else _DEBIT_CODE, transactions=[tx])


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _write(folder: Path, name: str, data: bytes, arrived: datetime) -> Path:
    path = folder / name
    path.write_bytes(data)
    stamp = arrived.timestamp()
    os.utime(path, (stamp, stamp))  # arrival order is mtime order; keep it the scenario's
    return path


def statement_files(w: BankWorld, folder: Path) -> list[Path]:
    out = []
    for i, day in enumerate(w.days):
        for key, a in BY_KEY.items():
            entries = [_entry(m) for m in w.booked if m.account == key and m.day == day and m.at_bank]
            opening = bank_closing(w, key, i - 1) if i else a.opening
            closing = bank_closing(w, key, i) + w.unbalanced.get((key, i), 0)
            stmt = Statement(account_iban=a.iban, currency=a.currency, opening_balance=opening, entries=entries,
                             servicer_bic=a.bic, statement_id=f"STMT-{key}-{day:%Y%m%d}",
                             created_at=_at(day + timedelta(days=1), 5), from_date=day, to_date=day,
                             electronic_seq=i + 1, legal_seq=i + 1, closing_balance=closing, closing_date=day)
            data = camt_bytes([stmt], kind="053", version=a.version, msg_id=f"MSG-053-{key}-{day:%Y%m%d}",
                              created_at=stmt.created_at, indent=True)
            out.append(_write(folder, f"053_{day:%Y%m%d}_{key}.xml", data, stmt.created_at))
    return out


def notification_files(moves: list[Move], folder: Path) -> list[Path]:
    """One camt.054 per notified credit, sent within minutes of the booking."""
    out = []
    for n, m in enumerate(m for m in moves if m.notified):
        a = BY_KEY[m.account]
        sent = _at(m.day, 9, n % 30) if m.day == INTRADAY_DAY else _at(m.day, 9 + n % 8, (7 * n) % 60)
        note = Statement(account_iban=a.iban, currency=a.currency, entries=[_entry(m)], servicer_bic=a.bic,
                         statement_id=f"NTF-{m.ref}", created_at=sent, from_date=m.day, to_date=m.day)
        data = camt_bytes([note], kind="054", version=a.version, msg_id=f"MSG-054-{m.ref}", created_at=sent)
        out.append(_write(folder, f"054_{m.day:%Y%m%d}_{m.account}_{m.ref}.xml", data, sent))
    return out


def report_files(w: BankWorld, folder: Path) -> list[Path]:
    """One camt.052 intraday report per account whose bank sends them: Friday's close plus the morning."""
    out = []
    for key in sorted({m.account for m in w.reported}):
        a, moves = BY_KEY[key], [m for m in w.reported if m.account == key]
        sent, friday = _at(INTRADAY_DAY, 9, 20), bank_closing(w, key, len(DAYS) - 1)
        report = Statement(account_iban=a.iban, currency=a.currency, opening_balance=friday,
                           entries=[_entry(m) for m in moves], servicer_bic=a.bic,
                           statement_id=f"RPT-{key}-{INTRADAY_DAY:%Y%m%d}-1", created_at=sent,
                           from_date=INTRADAY_DAY, to_date=INTRADAY_DAY)
        data = camt_bytes([report], kind="052", version=a.version, msg_id=f"MSG-052-{key}-{INTRADAY_DAY:%Y%m%d}-1",
                          created_at=sent)
        out.append(_write(folder, f"052_{INTRADAY_DAY:%Y%m%d}_{key}.xml", data, sent))
    return out


def bad_files(w: BankWorld, folder: Path) -> list[Path]:
    """A re-delivered statement (same bytes, new name) and a statement cut off mid-transfer."""
    tuesday = folder / f"053_{DAYS[1]:%Y%m%d}_AED.xml"
    copy = _write(folder, f"053_{DAYS[1]:%Y%m%d}_AED_resend.xml", tuesday.read_bytes(), _at(DAYS[2], 7))
    wednesday = (folder / f"053_{DAYS[2]:%Y%m%d}_GBP.xml").read_bytes()
    cut = _write(folder, w.quarantined[0], wednesday[: len(wednesday) // 2], _at(DAYS[3], 5, 30))
    return [copy, cut]


def write_drop_folder(w: BankWorld, folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    statements = statement_files(w, folder)
    notes = notification_files([m for m in w.moves + w.intraday + w.later if m.at_bank], folder)
    reports = report_files(w, folder)
    bad = bad_files(w, folder)
    return {"statements": len(statements), "notifications": len(notes), "reports": len(reports), "bad": len(bad),
            "intraday": sum(1 for m in w.intraday if m.day == INTRADAY_DAY)}
