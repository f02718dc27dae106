"""Which statement counts when a business day has more than one for an account.

Two rules, applied to the statements of one business date:

1. Versions. Statements with the same identity (message number, account, currency, statement id,
   page, business date) but other content are versions of one statement: a bank's corrected
   resend. The latest counts: by creation time (Stmt/CreDtTm, else GrpHdr/CreDtTm), then
   electronic sequence number, then legal sequence number. When the latest two cannot be told
   apart by those, none counts. Either way it is a `statement_changed` finding showing both.
2. One statement per account and day (camt.053 only: notifications and reports come many a day).
   Several distinct statements for one account and business day are never chosen between: none
   counts, the bank position of that account and day is unknown, and it is an `extra_statement`
   finding naming every file, until a person withdraws the wrong one (`recon camt withdraw`).
   So a stray file can never set an account's bank balance.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl

from recon.camt import schemas
from recon.discrepancies import Discrepancy

# What a statement says, as opposed to how and when it was sent.
_SENDING = {"statement_key", "entry_key", "position", "source_file", "file_sha256", "message_id",
            "created_at", "statement_created_at", "electronic_seq", "legal_seq", "message_type",
            "message_kind", "last_page", "proof_ok"}
_STATEMENT_CONTENT = [c for c in schemas.STATEMENTS if c not in _SENDING]
_BALANCE_CONTENT = [c for c in schemas.BALANCES if c not in _SENDING or c == "position"]
_ENTRY_CONTENT = [c for c in schemas.ENTRIES if c not in _SENDING]

CANDIDATE_COLUMNS = ["statement_key", "file_sha256", "source_file", "message_type", "account",
                     "currency", "statement_id", "page_number", "business_date", "created_at",
                     "statement_created_at", "electronic_seq", "legal_seq", "opening_balance",
                     "closing_balance", "content_sha256"]


def content_digests(statements: pl.DataFrame, balances: pl.DataFrame,
                    entries: pl.DataFrame) -> dict[str, str]:
    """statement_key -> sha256 of what the statement says (balances, entries, totals)."""
    bal = balances.partition_by("statement_key", as_dict=True) if balances.height else {}
    ent = entries.partition_by("statement_key", as_dict=True) if entries.height else {}
    out = {}
    for s in statements.select(["statement_key", *_STATEMENT_CONTENT]).iter_rows(named=True):
        key = s.pop("statement_key")
        h = hashlib.sha256(repr(sorted(s.items())).encode())
        b = bal.get((key,))
        if b is not None:
            h.update(b.sort("position").select(_BALANCE_CONTENT).write_csv().encode())
        h.update(b"\x1e")
        e = ent.get((key,))
        if e is not None:
            h.update(e.sort("position").select(_ENTRY_CONTENT).write_csv().encode())
        out[key] = h.hexdigest()
    return out


def _seq(value: str | None) -> tuple[int, int, str]:
    """Sequence numbers compare as numbers when they are numbers, else as text."""
    if value is None:
        return (0, 0, "")
    return (1, int(value), "") if value.isdigit() else (1, -1, value)


def _rank(c: dict[str, Any]) -> tuple[Any, ...]:
    created: datetime | None = c["statement_created_at"] or c["created_at"]
    return (created is not None, created or datetime.min, _seq(c["electronic_seq"]),
            _seq(c["legal_seq"]))


def _identity(c: dict[str, Any]) -> tuple[Any, ...]:
    return (c["message_type"][5:8], c["account"], c["currency"], c["statement_id"],
            c["page_number"], c["business_date"])


def choose(candidates: pl.DataFrame) -> tuple[pl.DataFrame, list[Discrepancy]]:
    """Decide for each candidate (CANDIDATE_COLUMNS) whether it counts, and why.

    Returns the candidates with `counted` and `rule`, and the findings.
    """
    rows = candidates.select(CANDIDATE_COLUMNS).to_dicts()
    findings: list[Discrepancy] = []
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for c in rows:
        groups.setdefault(_identity(c), []).append(c)
    for versions in groups.values():
        findings += _pick_version(versions)
    by_day: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for c in rows:
        if c["counted"] and c["message_type"].startswith("camt.053."):
            by_day.setdefault((c["account"], c["currency"], c["business_date"]), []).append(c)
    for same_day in by_day.values():
        if len({c["statement_id"] for c in same_day}) > 1:
            findings.append(_extra(same_day))
    schema = {**candidates.select(CANDIDATE_COLUMNS).schema, "counted": pl.Boolean(),
              "rule": pl.String()}
    decided = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    return decided, findings


def _pick_version(versions: list[dict[str, Any]]) -> list[Discrepancy]:
    versions.sort(key=lambda c: (_rank(c), c["source_file"]), reverse=True)
    top = versions[0]
    tie = len(versions) > 1 and _rank(versions[1]) == _rank(top) and (
        versions[1]["content_sha256"] != top["content_sha256"])
    for c in versions:
        if tie:
            c["counted"], c["rule"] = False, (
                "version tie: same creation time and sequence numbers as another version with "
                "other content; none counts until one file is withdrawn")
        elif c is top:
            c["counted"], c["rule"] = True, (
                "counts" if len(versions) == 1 else
                "latest version by creation time, then electronic and legal sequence number")
        else:
            same = c["content_sha256"] == top["content_sha256"]
            c["counted"], c["rule"] = False, (
                f"{'same content as' if same else 'superseded by'} {top['source_file']} "
                f"(created {_when(top)}, sequence {top['electronic_seq']}/{top['legal_seq']})")
    changed = [c for c in versions if c["content_sha256"] != top["content_sha256"]]
    if not changed:
        return []
    return [_changed(top, versions, tie)]


def _when(c: dict[str, Any]) -> str:
    created = c["statement_created_at"] or c["created_at"]
    return created.isoformat() if created else "unknown"


def _plain(d: Decimal | None) -> str | None:
    return None if d is None else format(d.normalize(), "f")


def _version(c: dict[str, Any]) -> dict[str, Any]:
    return {"file": c["source_file"], "file_sha256": c["file_sha256"],
            "content_sha256": c["content_sha256"], "created_at": _when(c),
            "electronic_seq": c["electronic_seq"], "legal_seq": c["legal_seq"],
            "opening_balance": _plain(c["opening_balance"]),
            "closing_balance": _plain(c["closing_balance"]), "counted": c["counted"]}


def _changed(top: dict[str, Any], versions: list[dict[str, Any]], tie: bool) -> Discrepancy:
    others = [c for c in versions if c is not top]
    old = others[-1]
    diff = None if top["closing_balance"] is None or old["closing_balance"] is None else (
        top["closing_balance"] - old["closing_balance"])
    verdict = ("none counts: the versions cannot be ordered by creation time or sequence"
               if tie else f"{top['source_file']} counts (latest)")
    return Discrepancy(
        type="statement_changed", scope_type="account", scope_id=top["account"],
        natural_key=f"{top['business_date']}|{top['statement_id']}|{top['page_number'] or ''}",
        severity="significant" if tie else "minor", currency=top["currency"], amount=diff,
        summary=(f"statement {top['statement_id']} of {top['business_date']} arrived "
                 f"{len(versions)} times with other content: {old['source_file']} closing "
                 f"{_plain(old['closing_balance'])}, {top['source_file']} closing "
                 f"{_plain(top['closing_balance'])}; {verdict}"),
        details={"statement_id": top["statement_id"], "business_date": str(top["business_date"]),
                 "versions": [_version(c) for c in versions]},
    )


def _extra(same_day: list[dict[str, Any]]) -> Discrepancy:
    same_day.sort(key=lambda c: (c["statement_id"], c["source_file"]))
    for c in same_day:
        c["counted"], c["rule"] = False, (
            f"{len(same_day)} distinct statements for this account and business day; none "
            "counts until the wrong file is withdrawn")
    first = same_day[0]
    files = ", ".join(f"{c['source_file']} ({c['statement_id']}, closing "
                      f"{_plain(c['closing_balance'])})" for c in same_day)
    return Discrepancy(
        type="extra_statement", scope_type="account", scope_id=first["account"],
        natural_key=f"{first['business_date']}|{first['currency'] or ''}",
        severity="significant", currency=first["currency"],
        summary=(f"{len(same_day)} statements for {first['account']} on "
                 f"{first['business_date']}: {files}; none counts, the bank position is "
                 "unknown until the wrong file is withdrawn"),
        details={"business_date": str(first["business_date"]),
                 "statements": [_version(c) for c in same_day]},
    )
