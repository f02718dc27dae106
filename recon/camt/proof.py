"""The balance proof of a statement, and which business date it belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

OPENING_TYPES = ("OPBD", "PRCD")  # PRCD (previously closed booked) stands in for a missing OPBD
CLOSING_TYPE = "CLBD"
BOOKED_STATUSES = (None, "BOOK")  # a statement entry without status is a booked entry


def first_balance(balances: Sequence[dict[str, Any]], kind: str) -> dict[str, Any] | None:
    for b in balances:
        if b.get("balance_type") == kind and not b.get("type_proprietary"):
            return b
    return None


def prove(balances: Sequence[dict[str, Any]], booked_total: Decimal) -> dict[str, Any]:
    """opening (OPBD, else PRCD) + booked entries = closing (CLBD); None when not provable."""
    opening = next((b for t in OPENING_TYPES if (b := first_balance(balances, t))), None)
    closing = first_balance(balances, CLOSING_TYPE)
    result: dict[str, Any] = {
        "opening_balance": opening["signed_amount"] if opening else None,
        "opening_type": opening["balance_type"] if opening else None,
        "closing_balance": closing["signed_amount"] if closing else None,
        "booked_total": str(booked_total),
        "proof_ok": None,
    }
    if opening and closing:
        expected = Decimal(opening["signed_amount"]) + booked_total
        result["proof_ok"] = expected == Decimal(closing["signed_amount"])
        result["proof_expected_closing"] = str(expected)
    return result


def business_date(head: dict[str, Any], message_created: str | None) -> str | None:
    """The booking day a statement closes: CLBD date, else period end, else its creation day.

    Dates are taken as the bank wrote them (the account's local day), never shifted to UTC.
    """
    closing = first_balance(head["balances"], CLOSING_TYPE)
    for candidate in (
        closing.get("balance_date") if closing else None,
        head.get("period_to"),
        head.get("statement_created_at"),
        message_created,
    ):
        if candidate:
            return str(candidate)[:10]
    return None
