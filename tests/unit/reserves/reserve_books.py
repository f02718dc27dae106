"""Small builders for the reserve books in tests: Decimal amounts, UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import polars as pl

from recon.reserves import schemas

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def D(text: str | int) -> Decimal:
    return Decimal(str(text))


def frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    return schemas.conform(pl.DataFrame(rows, schema={k: schema[k] for k in rows[0]} if rows else None),
                           schema, "test") if rows else pl.DataFrame(schema=schema)


def redemption(rid: str, amount: str, before: str, after: str, minute: int, chain_id: int = 1,
               tx: str | None = None, user: str = "0x" + "11" * 20, test: bool = False,
               status: str | None = None) -> dict:
    return {"redemption_id": rid, "user_address": user, "amount": D(amount), "redeemed_at": at(minute),
            "chain_id": chain_id, "tx_hash": tx or "0x" + rid.encode().hex().rjust(64, "0"),
            "reserve_before": D(before), "reserve_after": D(after), "test_mode": test, "status": status}


def ledger(*rows: tuple[int, str]) -> pl.DataFrame:
    return frame([{"chain_id": c, "total_reserve": D(t), "last_updated": at(999), "notes": "n"}
                  for c, t in rows], schemas.RESERVE_LEDGER)


def redemptions(*rows: dict) -> pl.DataFrame:
    return frame(list(rows), schemas.REDEMPTIONS)


def operations(*rows: dict) -> pl.DataFrame:
    return frame(list(rows), schemas.RESERVE_OPERATIONS)


def op(oid: str, reserve: str, kind: str, amount: str, ref: str, minute: int, ttl: int | None = None,
       chain_id: int | None = None) -> dict:
    return {"operation_id": oid, "reserve_id": reserve, "operation": kind, "amount": D(amount),
            "reference": ref, "at": at(minute), "ttl_seconds": ttl, "chain_id": chain_id}
