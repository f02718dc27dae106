"""The rule that decides which statement counts, case by case (pure: no files, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from recon.camt import schemas
from recon.camt.versions import CANDIDATE_COLUMNS, choose

DAY = date(2026, 3, 2)


def cand(file: str, digest: str, *, sid: str = "S1", account: str = "A1", hour: int | None = 18,
         stmt_hour: int | None = None, eseq: str | None = "1", kind: str = "053",
         closing: str = "100") -> dict[str, Any]:
    def at(h):
        return (None if h is None else datetime(2026, 3, 2, h, tzinfo=UTC))
    return {"statement_key": f"k-{sid}-{file}", "file_sha256": f"sha-{file}", "source_file": file,
            "message_type": f"camt.{kind}.001.02", "account": account, "currency": "CHF",
            "statement_id": sid, "page_number": None, "business_date": DAY, "created_at": at(hour),
            "statement_created_at": at(stmt_hour), "electronic_seq": eseq, "legal_seq": None,
            "opening_balance": Decimal("0"), "closing_balance": Decimal(closing), "content_sha256": digest}


def decide(*rows: dict[str, Any]) -> tuple[dict[str, bool], list[str]]:
    schema = {**schemas.STATEMENTS, "content_sha256": pl.String(), "source_file": pl.String()}
    frame = pl.DataFrame(list(rows), schema={c: schema[c] for c in CANDIDATE_COLUMNS})
    decided, findings = choose(frame)
    return dict(zip(decided["source_file"], decided["counted"], strict=True)), [f.type for f in findings]


@pytest.mark.parametrize(("rows", "counted", "types"), [
    # One statement: it counts, nothing to say.
    ([cand("a", "x")], {"a": True}, []),
    # A correction created later wins, and is a finding showing both.
    ([cand("a", "x", hour=18), cand("b", "y", hour=20)], {"a": False, "b": True}, ["statement_changed"]),
    # The statement's own CreDtTm outranks the message's.
    ([cand("a", "x", hour=23, stmt_hour=17), cand("b", "y", hour=18)], {"a": False, "b": True},
     ["statement_changed"]),
    # Same time: the electronic sequence decides, as a number (10 after 9), not as text.
    ([cand("a", "x", eseq="10"), cand("b", "y", eseq="9")], {"a": True, "b": False}, ["statement_changed"]),
    # Nothing tells them apart: neither counts; never a coin toss.
    ([cand("a", "x"), cand("b", "y")], {"a": False, "b": False}, ["statement_changed"]),
    # The same content sent again later: one counts, no finding.
    ([cand("a", "x", hour=18), cand("b", "x", hour=19)], {"a": False, "b": True}, []),
    # Two different statements for one account and day: neither counts, one finding names both.
    ([cand("a", "x", sid="S1"), cand("b", "y", sid="S2", hour=23)], {"a": False, "b": False},
     ["extra_statement"]),
    # Notifications come many a day: no extra-statement rule for them.
    ([cand("a", "x", sid="N1", kind="054"), cand("b", "y", sid="N2", kind="054")], {"a": True, "b": True}, []),
    # Other accounts do not compete.
    ([cand("a", "x", account="A1"), cand("b", "y", account="A2")], {"a": True, "b": True}, []),
])
def test_the_rule(rows: list[dict[str, Any]], counted: dict[str, bool], types: list[str]) -> None:
    assert decide(*rows) == (counted, types)
