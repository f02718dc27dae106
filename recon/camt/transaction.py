"""One TxDtls: references, amounts, parties, remittance.

Children are walked as `el[:]`: lxml builds that list in C, its child iterator costs more per loop.
"""

from __future__ import annotations

from typing import Any

from recon.camt import values as v
from recon.camt.errors import CamtError

_REFS = {
    "MsgId": "msg_id", "AcctSvcrRef": "tx_acct_svcr_ref", "PmtInfId": "pmt_inf_id",
    "InstrId": "instr_id", "EndToEndId": "end_to_end_id", "UETR": "uetr", "TxId": "tx_id",
    "MndtId": "mandate_id", "ChqNb": "cheque_number",
}
_AMOUNT_DETAILS = {"InstdAmt": "instructed", "TxAmt": "tx", "CntrValAmt": "counter_value"}


def parse_tx(tx: Any, ns: int) -> dict[str, Any]:
    """Fields of one TxDtls; a CamtError carries a path relative to the TxDtls."""
    t: dict[str, Any] = {}
    for c in tx[:]:
        k = c.tag[ns:]
        if k == "Refs":
            for r in c[:]:
                f = _REFS.get(r.tag[ns:])
                if f:
                    t[f] = r.text
        elif k == "Amt":
            t["amount"] = v.amount(c, "Amt")
            t["currency"] = v.currency(c, "Amt")
        elif k == "CdtDbtInd":
            t["direction"] = v.direction(c, "CdtDbtInd")
        elif k == "AmtDtls":
            amount_details(c, ns, "AmtDtls", t)
        elif k == "Chrgs":
            charges(c, ns, "Chrgs", t)
        elif k == "RltdPties":
            _parties(c, ns, t)
        elif k == "RltdAgts":
            for a in c[:]:
                ak = a.tag[ns:]
                if ak in ("DbtrAgt", "CdtrAgt"):
                    t[ak] = _bic(a, ns)
        elif k == "RmtInf":
            _remittance(c, ns, t)
        elif k == "RtrInf":
            _return_reason(c, ns, t)
        elif k == "AddtlTxInf":
            t["additional_info"] = v.text(c)
    return t


def amount_details(el: Any, ns: int, path: str, t: dict[str, Any]) -> None:
    for a in el[:]:
        kind = _AMOUNT_DETAILS.get(a.tag[ns:])
        if kind is None:
            continue
        for c in a[:]:
            k = c.tag[ns:]
            if k == "Amt":
                p = f"{path}/{a.tag[ns:]}/Amt"
                if kind == "tx":
                    t["details_amount"] = v.amount(c, p)
                    t["details_currency"] = v.currency(c, p)
                else:
                    t[f"{kind}_amount"] = v.amount(c, p)
                    t[f"{kind}_currency"] = v.currency(c, p)
            elif k == "CcyXchg" and "exchange_rate" not in t:
                for x in c[:]:
                    xk = x.tag[ns:]
                    if xk == "XchgRate":
                        try:
                            t["exchange_rate"] = v.rate(x, f"{path}/{a.tag[ns:]}/CcyXchg/XchgRate")
                        except CamtError as exc:  # optional, used by no check: a warning
                            v.warn(t, exc)
                    elif xk == "SrcCcy":
                        t["source_currency"] = v.text(x)
                    elif xk == "TrgtCcy":
                        t["target_currency"] = v.text(x)


def charges(el: Any, ns: int, path: str, t: dict[str, Any]) -> None:
    """v04+: TtlChrgsAndTaxAmt or Rcrd/Amt; v02: repeated Chrgs/Amt. The first total found."""
    for c in el[:]:
        k = c.tag[ns:]
        if k in ("TtlChrgsAndTaxAmt", "Amt") and "charges_amount" not in t:
            t["charges_amount"] = v.amount(c, f"{path}/{k}")
            t["charges_currency"] = v.currency(c, f"{path}/{k}")
        elif k == "Rate":  # v02: a percentage no check uses, only its form is checked
            _optional_rate(c, f"{path}/Rate", t)
        elif k == "Rcrd":
            for r in c[:]:
                rk = r.tag[ns:]
                if rk == "Amt" and "charges_amount" not in t:
                    t["charges_amount"] = v.amount(r, f"{path}/Rcrd/Amt")
                    t["charges_currency"] = v.currency(r, f"{path}/Rcrd/Amt")
                elif rk == "Rate":
                    _optional_rate(r, f"{path}/Rcrd/Rate", t)


def _optional_rate(el: Any, path: str, t: dict[str, Any]) -> None:
    try:
        v.rate(el, path, "charge rate")
    except CamtError as exc:
        v.warn(t, exc)


def _parties(el: Any, ns: int, t: dict[str, Any]) -> None:
    for p in el[:]:
        k = p.tag[ns:]
        if k in ("Dbtr", "Cdtr"):
            t[k] = _name(p, ns)
        elif k in ("DbtrAcct", "CdtrAcct"):
            # Two strings, not a tuple: a row dict holding no container stays out of the GC's scans.
            t[k], t[k + "Othr"] = _account(p, ns)


def _name(party: Any, ns: int) -> str | None:
    for c in party[:]:
        k = c.tag[ns:]
        if k == "Nm":
            return c.text
        if k == "Pty":  # v08+: Dbtr/Pty/Nm
            return _name(c, ns)
    return None


def _account(acct: Any, ns: int) -> tuple[str | None, str | None]:
    """(IBAN, other id) of a CashAccount."""
    for c in acct[:]:
        if c.tag[ns:] == "Id":
            for i in c[:]:
                k = i.tag[ns:]
                if k == "IBAN":
                    return i.text, None
                if k == "Othr":
                    for o in i[:]:
                        if o.tag[ns:] == "Id":
                            return None, v.text(o)
    return None, None


def _bic(agent: Any, ns: int) -> str | None:
    for f in agent[:]:
        if f.tag[ns:] == "FinInstnId":
            for c in f[:]:
                if c.tag[ns:] in ("BIC", "BICFI"):
                    return c.text
    return None


def _remittance(el: Any, ns: int, t: dict[str, Any]) -> None:
    lines: list[str] = []
    for c in el[:]:
        k = c.tag[ns:]
        if k == "Ustrd":
            s = c.text
            if s:
                lines.append(s)
        elif k == "Strd" and "creditor_ref" not in t:
            for s in c[:]:
                if s.tag[ns:] == "CdtrRefInf":
                    _creditor_ref(s, ns, t)
    if lines:
        t["remittance"] = " ".join(lines)


def _creditor_ref(el: Any, ns: int, t: dict[str, Any]) -> None:
    for c in el[:]:
        k = c.tag[ns:]
        if k == "Ref":
            t["creditor_ref"] = c.text
        elif k == "Tp":
            for cp in c[:]:
                if cp.tag[ns:] == "CdOrPrtry":
                    for x in cp[:]:
                        t["creditor_ref_type"] = v.text(x)


def _return_reason(el: Any, ns: int, t: dict[str, Any]) -> None:
    for c in el[:]:
        if c.tag[ns:] == "Rsn":
            for r in c[:]:
                t["return_reason"] = v.text(r)
