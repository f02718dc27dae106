"""A CAMT.054 notification of one booked entry, as a bank sends it over JetStream (tests, bench, demo)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from recon.camt.model import Entry, Statement, Transaction
from recon.camt.writer import camt_bytes

_CODES = {"CRDT": ("PMNT", "RCDT", "ESCT"), "DBIT": ("PMNT", "ICDT", "ESCT")}


def notification_bytes(iban: str, currency: str, amount: Decimal, direction: str, day: date, ref: str,
                       created_at: datetime, version: str = "001.02") -> bytes:
    entry = Entry(amount=amount, direction=direction, booking_date=day, value_date=day, acct_svcr_ref=ref,
                  entry_ref=ref, bank_tx_code=_CODES[direction],
                  transactions=[Transaction(end_to_end_id=f"E2E-{ref}", acct_svcr_ref=ref)])
    note = Statement(account_iban=iban, currency=currency, entries=[entry], statement_id=f"NTF-{ref}",
                     created_at=created_at, from_date=day, to_date=day)
    return camt_bytes([note], kind="054", version=version, msg_id=f"MSG-054-{ref}", created_at=created_at)
