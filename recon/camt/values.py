"""Leaf values of a CAMT message: amounts kept exactly as sent, dates, indicators.

Decimals follow xs:decimal's lexical space (`.34`, `5.`, `+5`, `007.10`, whitespace collapsed);
the text kept is the value at the scale the bank sent it, written plainly (`0.34`, `5`, `7.10`).
String checks, not a regex per value: the reader calls these for every amount of every entry.
"""

from __future__ import annotations

from typing import Any

from recon.camt.errors import CamtError

# ActiveOrHistoricCurrencyAndAmount: totalDigits 18, fractionDigits 5, minInclusive 0.
AMOUNT_DIGITS, AMOUNT_FRACTION = 18, 5
# BaseOneRate (exchange rates): totalDigits 11, fractionDigits 10.
RATE_DIGITS, RATE_FRACTION = 11, 10
_WS = " \t\r\n"


def text(el: Any) -> str | None:
    t = el.text
    if t is None:
        return None
    t = t.strip()
    return t or None


def decimal_parts(raw: str | None) -> tuple[bool, str, str] | None:
    """(negative, integer digits, fraction digits) of an xs:decimal lexical form, else None.

    Leading zeros of the integer part are dropped; the fraction is kept as written.
    """
    if raw is None:
        return None
    s = raw.strip(_WS)
    if not s:
        return None
    negative = False
    if s[0] in "+-":
        negative = s[0] == "-"
        s = s[1:]
    whole, _, frac = s.partition(".")
    if not whole and not frac:
        return None  # "", "+", "." are not numbers
    if whole and not (whole.isascii() and whole.isdigit()):
        return None
    if frac and not (frac.isascii() and frac.isdigit()):
        return None
    if whole[:1] == "0":
        whole = whole.lstrip("0")
    return negative, whole, frac


def _limited(raw: str, parts: tuple[bool, str, str], digits: int, fraction: int,
             what: str) -> str:
    """The plain text of a decimal within totalDigits/fractionDigits, else the reason it is not.

    Both limits are on the value (XSD): trailing fraction zeros and leading zeros do not count.
    A fraction written with more zeros than `fraction` places keeps `fraction` of them.
    """
    _, whole, frac = parts
    if len(frac) > fraction:
        significant = frac.rstrip("0")
        if len(significant) > fraction:
            raise ValueError(f"{what} {raw.strip(_WS)!r} has {len(significant)} fraction digits, "
                             f"at most {fraction} allowed")
        frac = frac[:fraction]
    total = len(whole) + len(frac.rstrip("0"))
    if total > digits:
        raise ValueError(f"{what} {raw.strip(_WS)!r} has {total} digits, at most {digits} allowed")
    whole = whole or "0"
    return f"{whole}.{frac}" if frac else whole


def amount(el: Any, path: str) -> str:
    """An ISO 20022 amount's text at the scale sent; refused with the schema's reason."""
    raw = el.text
    if raw is not None and raw.isascii():  # the common plain form, e.g. 250.00 or 17
        whole, dot, frac = raw.partition(".")
        if whole.isdigit() and (whole[0] != "0" or whole == "0") and (
                not dot or (frac.isdigit() and len(frac) <= AMOUNT_FRACTION)) \
                and len(whole) + len(frac) <= AMOUNT_DIGITS:
            return raw
    parts = decimal_parts(raw)
    if parts is None:
        raise CamtError(f"non-numeric amount {(raw or '').strip(_WS)!r}", path, el.sourceline)
    try:
        out = _limited(raw or "", parts, AMOUNT_DIGITS, AMOUNT_FRACTION, "amount")
    except ValueError as exc:
        raise CamtError(str(exc), path, el.sourceline) from None
    if parts[0] and out.strip("0.") != "":
        raise CamtError(f"negative amount {raw.strip(_WS)!r} (the sign is CdtDbtInd's; an "
                        "amount is never negative)", path, el.sourceline)
    return out


def currency(el: Any, path: str) -> str:
    ccy = el.get("Ccy")
    if not ccy:
        raise CamtError("amount without currency (attribute Ccy missing)", path, el.sourceline)
    return ccy.strip(_WS)


def rate(el: Any, path: str, what: str = "exchange rate") -> str:
    """A rate (BaseOneRate, PercentageRate) at the scale sent; CamtError when it is not one."""
    raw = el.text or ""
    parts = decimal_parts(raw)
    if parts is None:
        raise CamtError(f"non-numeric {what} {raw.strip(_WS)!r}", path, el.sourceline)
    try:
        out = _limited(raw, parts, RATE_DIGITS, RATE_FRACTION, what)
    except ValueError as exc:
        raise CamtError(str(exc), path, el.sourceline) from None
    return "-" + out if parts[0] and out.strip("0.") != "" else out


def warn(t: dict[str, Any], exc: CamtError) -> None:
    """An optional field no check uses, malformed: kept as a warning, the file is still read."""
    t.setdefault("_warnings", []).append(exc)


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
        if not is_date_start(t):
            raise CamtError(f"invalid date {t!r}", f"{path}/{k}", c.sourceline)
        if k == "Dt":
            return t[:10], None
        if k == "DtTm":
            return t[:10], t
    return None, None


def is_date_start(t: str) -> bool:
    """YYYY-MM-DD, alone or opening a date-time (a Dt holding a DtTm is read for its day)."""
    return (len(t) >= 10 and t[4] == "-" and t[7] == "-" and t[:4].isdigit()
            and t[5:7].isdigit() and t[8:10].isdigit() and t.isascii())


def signed(amount_text: str, dir_: str) -> str:
    return amount_text if dir_ == "CRDT" or amount_text.strip("0.") == "" else "-" + amount_text
