"""One Ntry into rows: one per TxDtls, or one for an entry without TxDtls.

Children are walked as `el[:]`: lxml builds that list in C, its child iterator costs more per loop.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from recon.camt import values as v
from recon.camt.errors import CamtError
from recon.camt.transaction import amount_details, charges, parse_tx


def parse_entry(ntry: Any, ns: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(entry fields, transactions); raises CamtError with a path relative to the Ntry."""
    e: dict[str, Any] = {}
    txs: list[dict[str, Any]] = []
    for c in ntry[:]:
        k = c.tag[ns:]
        if k == "Amt":
            e["entry_amount"] = v.amount(c, "Amt")
            e["entry_currency"] = v.currency(c, "Amt")
        elif k == "CdtDbtInd":
            e["entry_direction"] = v.direction(c, "CdtDbtInd")
        elif k == "NtryRef":
            e["entry_ref"] = c.text
        elif k == "RvslInd":
            e["reversal"] = v.indicator(c)
        elif k == "Sts":
            # v02 carries the code as text; later versions wrap it in <Cd> (or <Prtry>).
            e["status"] = v.text(c[0]) if len(c) else v.text(c)
        elif k == "BookgDt":
            e["booking_date"], e["booking_datetime"] = v.date_choice(c, ns, "BookgDt")
        elif k == "ValDt":
            _value_date(c, ns, e)
        elif k == "AcctSvcrRef":
            e["entry_acct_svcr_ref"] = c.text
        elif k == "BkTxCd":
            _bank_tx_code(c, ns, e)
        elif k == "NtryDtls":
            _details(c, ns, e, txs)
        elif k == "AddtlNtryInf":
            e["entry_info"] = v.text(c)
        elif k == "AmtDtls":
            amount_details(c, ns, "AmtDtls", e.setdefault("entry_details", {}))
        elif k == "Chrgs":
            charges(c, ns, "Chrgs", e.setdefault("entry_details", {}))
    details = e.get("entry_details")
    if details and "_warnings" in details:
        e.setdefault("_entry_warnings", []).extend(details.pop("_warnings"))
    if "entry_amount" not in e:
        raise CamtError("missing mandatory element Amt", "Amt", ntry.sourceline)
    if "entry_direction" not in e:
        raise CamtError("missing mandatory element CdtDbtInd", "CdtDbtInd", ntry.sourceline)
    return e, txs


def _value_date(el: Any, ns: int, e: dict[str, Any]) -> None:
    """ValDt is optional and only backs up the booking date: one that is not a date is a warning."""
    try:
        day, when = v.date_choice(el, ns, "ValDt")
        if day is not None:
            date.fromisoformat(day)
    except (CamtError, ValueError):
        bad = v.text(el[0]) if len(el) else v.text(el)
        e.setdefault("_entry_warnings", []).append(
            CamtError(f"invalid value date {bad!r}", "ValDt", el.sourceline))
        return
    e["value_date"], e["value_datetime"] = day, when


def _details(el: Any, ns: int, e: dict[str, Any], txs: list[dict[str, Any]]) -> None:
    batch: dict[str, Any] = {}
    for d in el[:]:
        k = d.tag[ns:]
        if k == "TxDtls":
            try:
                t = parse_tx(d, ns)
            except CamtError as exc:
                raise exc.under(f"NtryDtls/TxDtls[{len(txs) + 1}]") from None
            if "_warnings" in t:
                t["_warnings"] = [w.under(f"NtryDtls/TxDtls[{len(txs) + 1}]")
                                  for w in t["_warnings"]]
            t.update(batch)
            txs.append(t)
        elif k == "Btch":
            for b in d[:]:
                bk = b.tag[ns:]
                if bk == "NbOfTxs":
                    batch["batch_count"] = v.text(b)
                elif bk == "MsgId":
                    batch["batch_msg_id"] = v.text(b)
                elif bk == "PmtInfId":
                    batch["batch_pmt_inf_id"] = v.text(b)
            e.update(batch)


def _bank_tx_code(el: Any, ns: int, e: dict[str, Any]) -> None:
    for c in el[:]:
        k = c.tag[ns:]
        if k == "Domn":
            for d in c[:]:
                dk = d.tag[ns:]
                if dk == "Cd":
                    e["bank_tx_domain"] = d.text
                elif dk == "Fmly":
                    for f in d[:]:
                        fk = f.tag[ns:]
                        if fk == "Cd":
                            e["bank_tx_family"] = f.text
                        elif fk == "SubFmlyCd":
                            e["bank_tx_subfamily"] = f.text
        elif k == "Prtry":
            for p in c[:]:
                if p.tag[ns:] == "Cd":
                    e["bank_tx_proprietary"] = p.text


def entry_rows(e: dict[str, Any], txs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of one entry: the transaction's own values first, else the entry's.

    Working keys (Dbtr, details_amount, ...) stay in the dicts; the frame keeps schema columns.
    """
    single = len(txs) <= 1
    # Entry-level amount details and charges describe the one transaction of a single entry.
    shared = e.pop("entry_details", None) if single else None
    e.pop("entry_details", None)
    rows = []
    for i, t in enumerate(txs or [{}], start=1):
        r = e if single else dict(e)  # the common single transaction reuses the entry's dict
        r.update(t)
        if shared:
            for k, val in shared.items():
                r.setdefault(k, val)
        r["tx_seq"] = i
        r["tx_count"] = len(txs)
        if "amount" not in t:
            if "details_amount" in t:  # v02 puts the transaction amount in AmtDtls/TxAmt
                r["amount"], r["currency"] = t["details_amount"], t["details_currency"]
            elif single:
                r["amount"], r["currency"] = e["entry_amount"], e["entry_currency"]
            else:
                r["currency"] = e["entry_currency"]
        direction = t.get("direction") or e["entry_direction"]
        r["direction"] = direction
        r["acct_svcr_ref"] = t.get("tx_acct_svcr_ref") or e.get("entry_acct_svcr_ref")
        r["additional_info"] = t.get("additional_info") or e.get("entry_info")
        _counterparty(r, t, direction, e.get("reversal", False))
        if "_entry_warnings" in e or "_warnings" in t:
            found = e.get("_entry_warnings", []) + t.get("_warnings", [])
            r["warnings"] = "; ".join(f"{w.message}: ignored" for w in found)
        rows.append(r)
    return rows


def _counterparty(r: dict[str, Any], t: dict[str, Any], direction: str, reversal: bool) -> None:
    """The other side: the debtor of a credit, the creditor of a debit (swapped on reversal)."""
    credit = (direction == "CRDT") != reversal
    sides = ("Dbtr", "Cdtr") if credit else ("Cdtr", "Dbtr")
    for side in sides:
        if t.get(side) or side + "Acct" in t:
            r["counterparty_name"] = t.get(side)
            r["counterparty_iban"] = t.get(side + "Acct")
            r["counterparty_account"] = t.get(side + "AcctOthr")
            r["counterparty_bic"] = t.get(side + "Agt")
            return
