"""Small canonical frames for matching tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from recon.matching import BANK_SCHEMA, LEDGER_SCHEMA

MON = date(2026, 1, 5)


def bank(*rows: dict[str, Any]) -> pl.DataFrame:
    base = {"account": "AE01", "currency": "AED", "direction": "CRDT", "booking_date": MON}
    full = [{**base, **r, "amount": Decimal(str(r["amount"]))} for r in rows]
    return pl.DataFrame(full, schema=BANK_SCHEMA) if full else pl.DataFrame(schema=BANK_SCHEMA)


def ledger(*rows: dict[str, Any]) -> pl.DataFrame:
    base = {"account": "AE01", "currency": "AED", "direction": "CRDT", "booking_date": MON}
    full = [{**base, **r, "amount": Decimal(str(r["amount"]))} for r in rows]
    return pl.DataFrame(full, schema=LEDGER_SCHEMA) if full else pl.DataFrame(schema=LEDGER_SCHEMA)
