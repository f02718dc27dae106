"""Leaf values of a CAMT message: amounts kept exactly as sent, dates, indicators."""

from __future__ import annotations

import re
from typing import Any

from recon.camt.errors import CamtError

# ISO 20022 amounts: up to 18 digits, at most 5 of them after the point, never negative.
_AMOUNT = re.compile(r"\d{1,18}(?:\.\d{1,5})?")
_LOOSE_AMOUNT = re.compile(r"\+?(\d*)(?:\.(\d*))?")
_RATE = re.compile(r"\d{1,18}(?:\.\d{1,10})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def text(el: Any) -> str | None:
    t = el.text
    if t is None:
        return None
    t = t.strip()
    return t or None


def amount(el: Any, path: str) -> str:
    """The amount's text, validated; never rounded, never a float."""
    t = el.text
    t = t.strip() if t else ""
    if _AMOUNT.fullmatch(t):
        return t
    m = _LOOSE_AMOUNT.fullmatch(t)
    if t and m and (m.group(1) or m.group(2)):
        whole, frac = m.group(1) or "0", m.group(2) or ""
        if len(frac) > 5:
            raise CamtError(f"amount {t!r} has more than 5 decimals", path, el.sourceline)
        if len(whole.lstrip("0")) <= 18:
            return f"{whole}.{frac}" if frac else whole
        raise CamtError(f"amount {t!r} has more than 18 digits", path, el.sourceline)
    if t[:1] == "-" and _LOOSE_AMOUNT.fullmatch(t[1:]) and any(c.isdigit() for c in t):
        raise CamtError(f"negative amount {t!r} (an ISO 20022 amount is never negative: "
                        "CdtDbtInd gives the direction)", path, el.sourceline)
    raise CamtError(f"non-numeric amount {t!r}", path, el.sourceline)


def currency(el: Any, path: str) -> str:
    ccy = el.get("Ccy")
    if not ccy:
        raise CamtError("amount without currency (attribute Ccy missing)", path, el.sourceline)
    return ccy


def rate(el: Any, path: str) -> str:
    t = text(el) or ""
    if not _RATE.fullmatch(t):
        raise CamtError(f"non-numeric exchange rate {t!r}", path, el.sourceline)
    return t


def direction(el: Any, path: str) -> str:
    t = text(el)
    if t not in ("CRDT", "DBIT"):
        raise CamtError(f"credit/debit indicator {t!r} is neither CRDT nor DBIT", path,
                        el.sourceline)
    return t


def indicator(el: Any) -> bool:
    return text(el) in ("true", "1")


def date_choice(el: Any, ns: int, path: str) -> tuple[str | None, str | None]:
    """(date, datetime as sent) from a DateAndDateTimeChoice: <Dt> or <DtTm>."""
    for c in el[:]:  # a list built in C: cheaper than the child iterator
        k = c.tag[ns:]
        t = text(c)
        if t is None:
            continue
        if not _DATE.match(t):
            raise CamtError(f"invalid date {t!r}", f"{path}/{k}", c.sourceline)
        if k == "Dt":
            return t[:10], None
        if k == "DtTm":
            return t[:10], t
    return None, None


def signed(amount_text: str, dir_: str) -> str:
    return amount_text if dir_ == "CRDT" or amount_text.strip("0.") == "" else "-" + amount_text
