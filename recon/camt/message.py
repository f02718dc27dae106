"""Which message a file holds (from its namespace), and the running state of one statement."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from recon.camt import values as v
from recon.camt.errors import CamtError
from recon.camt.proof import BOOKED_STATUSES, business_date, prove
from recon.camt.statement import parse_head

_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\.001\.(\d{2})")
# message type -> (message root element, statement element, kind)
KINDS = {
    "052": ("BkToCstmrAcctRpt", "Rpt", "report"),
    "053": ("BkToCstmrStmt", "Stmt", "statement"),
    "054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn", "notification"),
}
VERSIONS = range(2, 14)  # .001.02 up to .001.13


@dataclass(frozen=True)
class Message:
    message_type: str  # camt.053.001.02
    number: str  # 053
    version: int
    ns: str
    message_id: str
    created_at: str | None
    page_number: str | None
    last_page: bool | None

    @cached_property  # read per entry
    def ns_len(self) -> int:
        return len(self.ns) + 2

    @property
    def kind(self) -> str:
        return KINDS[self.number][2]

    @property
    def statement_tag(self) -> str:
        return KINDS[self.number][1]

    @cached_property  # read per entry
    def statement_full_tag(self) -> str:
        return f"{{{self.ns}}}{self.statement_tag}"

    @cached_property  # read per entry
    def ntry_tag(self) -> str:
        return f"{{{self.ns}}}Ntry"

    @property
    def root_path(self) -> str:
        return f"/Document/{KINDS[self.number][0]}"


def identify(grp_hdr: Any) -> Message:
    """The message from GrpHdr's parent: namespace gives type and version, its name must agree."""
    parent = grp_hdr.getparent()
    qname = etree_qname(parent.tag if parent is not None else grp_hdr.tag)
    ns, local = qname
    m = _NAMESPACE.fullmatch(ns)
    if not m:
        raise CamtError(f"unknown message: namespace {ns or '(none)'!r}, element {local}",
                        f"/Document/{local}", grp_hdr.sourceline)
    number, version = m.group(1), int(m.group(2))
    if version not in VERSIONS or KINDS[number][0] != local:
        raise CamtError(f"unknown message: camt.{number}.001.{m.group(2)} with element {local}",
                        f"/Document/{local}", grp_hdr.sourceline)
    n = len(ns) + 2
    h: dict[str, Any] = {}
    for c in grp_hdr:
        k = c.tag[n:]
        if k in ("MsgId", "CreDtTm"):
            h[k] = v.text(c)
        elif k == "MsgPgntn":
            for p in c:
                h[p.tag[n:]] = v.text(p)
    path = f"/Document/{local}/GrpHdr"
    if not h.get("MsgId"):
        raise CamtError("missing mandatory element MsgId", f"{path}/MsgId", grp_hdr.sourceline)
    return Message(f"camt.{number}.001.{m.group(2)}", number, version, ns, h["MsgId"],
                   h.get("CreDtTm"), h.get("PgNb"),
                   None if "LastPgInd" not in h else h["LastPgInd"] in ("true", "1"))


def etree_qname(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def statement_key(m: Message, head: dict[str, Any]) -> str:
    """Identity of a statement across files: a resend collides, next year's reused id does not."""
    parts = (m.number, head.get("account"), head.get("currency"), head.get("statement_id"),
             head.get("electronic_seq"), head.get("legal_seq"),
             head.get("statement_created_at") or m.created_at,
             head.get("period_from"), head.get("period_to"), head.get("page_number"))
    raw = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


@dataclass
class StatementState:
    head: dict[str, Any]
    message: Message
    position: int
    path: str
    key: str
    row_context: dict[str, Any]
    keep_uetrs: bool
    entries: int = 0
    rows: int = 0
    signed_total: Decimal = Decimal(0)
    booked_total: Decimal = Decimal(0)
    uetrs: dict[str, None] = field(default_factory=dict)  # ordered set

    @classmethod
    def open(cls, stmt: Any, m: Message, position: int, warnings: list[str],
             keep_uetrs: bool) -> StatementState:
        path = f"{m.root_path}/{m.statement_tag}[{position}]"
        head = parse_head(stmt, m.ns_len, warnings, path)
        key = statement_key(m, head)
        ctx = {"statement_key": key, "business_date": business_date(head, m.created_at),
               "message_type": m.message_type, "account": head["account"]}
        return cls(head, m, position, path, key, ctx, keep_uetrs)

    def add(self, e: dict[str, Any], rows: list[dict[str, Any]]) -> None:
        self.rows += len(rows)
        amount = Decimal(e["entry_amount"])
        if e["entry_direction"] == "DBIT":
            amount = -amount
        self.signed_total += amount
        if e.get("status") in BOOKED_STATUSES:
            self.booked_total += amount
        if self.keep_uetrs:
            for r in rows:
                u = r.get("uetr")
                if u:
                    self.uetrs[u] = None

    def close(self, source_file: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        h, m = self.head, self.message
        balances = h.pop("balances")
        if not h.get("currency") and balances:
            h["currency"] = balances[0]["currency"]  # Acct/Ccy is optional; balances say it too
        record = {**h, **self.row_context, **prove(balances, self.booked_total),
                  "message_kind": m.kind, "message_id": m.message_id, "created_at": m.created_at,
                  "page_number": h.get("page_number") or m.page_number,
                  "last_page": h.get("last_page", m.last_page),
                  "signed_entry_total": str(self.signed_total), "entries": self.entries,
                  "rows": self.rows, "source_file": source_file, "position": self.position,
                  "uetrs": list(self.uetrs), "balances": balances}
        out = [{**b, "statement_key": self.key, "position": i,
                "business_date": self.row_context["business_date"]}
               for i, b in enumerate(balances, start=1)]
        return record, out
