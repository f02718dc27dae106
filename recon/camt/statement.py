"""The head of a Stmt / Rpt / Ntfctn (everything before its first Ntry) and its balances."""

from __future__ import annotations

import json
from typing import Any

from recon.camt import values as v
from recon.camt.errors import CamtError

_PAGINATION = ("StmtPgntn", "RptPgntn", "NtfctnPgntn")


def parse_head(stmt: Any, ns: int, warnings: list[str], path: str) -> dict[str, Any]:
    h: dict[str, Any] = {"balances": []}
    for c in stmt:
        k = c.tag[ns:]
        if k == "Ntry":
            break
        if k == "Id":
            h["statement_id"] = v.text(c)
        elif k in _PAGINATION:
            for p in c:
                pk = p.tag[ns:]
                if pk == "PgNb":
                    h["page_number"] = v.text(p)
                elif pk == "LastPgInd":
                    h["last_page"] = v.indicator(p)
        elif k == "ElctrncSeqNb":
            h["electronic_seq"] = v.text(c)
        elif k == "LglSeqNb":
            h["legal_seq"] = v.text(c)
        elif k == "CreDtTm":
            h["statement_created_at"] = v.text(c)
        elif k == "FrToDt":
            for p in c:
                pk = p.tag[ns:]
                if pk in ("FrDtTm", "FrDt"):
                    h["period_from"] = v.text(p)
                elif pk in ("ToDtTm", "ToDt"):
                    h["period_to"] = v.text(p)
        elif k == "Acct":
            _account(c, ns, h)
        elif k == "Bal":
            n = len(h["balances"]) + 1
            h["balances"].append(parse_balance(c, ns, warnings, f"{path}/Bal[{n}]"))
    if not h.get("statement_id"):
        raise CamtError("missing mandatory element Id", f"{path}/Id", stmt.sourceline)
    if not h.get("account"):
        raise CamtError("missing mandatory element Acct/Id", f"{path}/Acct/Id", stmt.sourceline)
    return h


def _account(acct: Any, ns: int, h: dict[str, Any]) -> None:
    for c in acct:
        k = c.tag[ns:]
        if k == "Id":
            for i in c:
                ik = i.tag[ns:]
                if ik == "IBAN":
                    h["account_iban"] = v.text(i)
                elif ik == "Othr":
                    for o in i:
                        if o.tag[ns:] == "Id":
                            h["account_other_id"] = v.text(o)
            h["account"] = h.get("account_iban") or h.get("account_other_id")
        elif k == "Ccy":
            h["currency"] = v.text(c)
        elif k == "Svcr":
            for f in c:
                if f.tag[ns:] == "FinInstnId":
                    for b in f:
                        if b.tag[ns:] in ("BIC", "BICFI"):
                            h["servicer_bic"] = v.text(b)


def parse_balance(bal: Any, ns: int, warnings: list[str], path: str) -> dict[str, Any]:
    b: dict[str, Any] = {}
    avail: list[dict[str, str | None]] = []
    for c in bal:
        k = c.tag[ns:]
        if k == "Tp":
            for t in c:
                tk = t.tag[ns:]
                if tk == "CdOrPrtry":
                    for x in t:
                        b["balance_type"] = v.text(x)
                        b["type_proprietary"] = x.tag[ns:] == "Prtry"
                elif tk == "SubTp":
                    for x in t:
                        b["sub_type"] = v.text(x)
        elif k == "Amt":
            b["amount"] = v.amount(c, f"{path}/Amt")
            b["currency"] = v.currency(c, f"{path}/Amt")
        elif k == "CdtDbtInd":
            b["direction"] = v.direction(c, f"{path}/CdtDbtInd")
        elif k == "Dt":
            b["balance_date"], b["balance_datetime"] = v.date_choice(c, ns, f"{path}/Dt")
        elif k == "Avlbty":
            avail.append(_availability(c, ns, f"{path}/Avlbty[{len(avail) + 1}]"))
    if "balance_type" not in b:
        raise CamtError("missing mandatory element Tp/CdOrPrtry", f"{path}/Tp", bal.sourceline)
    if "amount" not in b:
        raise CamtError("missing mandatory element Amt", f"{path}/Amt", bal.sourceline)
    if "direction" not in b:
        # Seen in real files (schema-invalid): read as a credit balance, and say so.
        warnings.append(f"{path}: CdtDbtInd missing, balance read as CRDT")
        b["direction"] = "CRDT"
    if avail:
        b["availability"] = json.dumps(avail)
    b["signed_amount"] = v.signed(b["amount"], b["direction"])
    return b


def _availability(el: Any, ns: int, path: str) -> dict[str, str | None]:
    a: dict[str, str | None] = {}
    for c in el:
        k = c.tag[ns:]
        if k == "Dt":
            for d in c:
                a["days" if d.tag[ns:] == "NbOfDays" else "date"] = v.text(d)
        elif k == "Amt":
            a["amount"] = v.amount(c, f"{path}/Amt")
        elif k == "CdtDbtInd":
            a["direction"] = v.text(c)
    return a
