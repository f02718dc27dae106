"""Money as sent, and as people read it: one scale registry, one formatter.

Scales: ISO 4217 minor units for fiat (never used to round: a bank may send 5 decimals), token
decimals from the chain configuration (USDT 6, Stellar 7, 18-decimal tokens), and otherwise the
value's own digits. `exact` is what is stored and put in JSON (the value at its source scale, plain
decimal text); `show` is what people read (`250.00 GBP`, `1,500,250 RUSD`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Context, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Polars only for the frame forms: people's commands print amounts without it
    import polars as pl

_EXACT = Context(prec=200)  # quantizing to a scale never rounds a value that fits it

_ZERO = ("BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF").split()
_THREE = "BHD IQD JOD KWD LYD OMR TND".split()
_FOUR = "CLF UYW".split()
_TWO = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN "
    "BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP "
    "GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK "
    "LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK "
    "NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD "
    "SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG "
    "YER ZAR ZMW ZWG ZWL"
).split()
# ISO 4217 minor units of every active currency with a minor unit (XAU, XDR... have none).
ISO_4217_MINOR_UNITS: Mapping[str, int] = {
    **dict.fromkeys(_TWO, 2), **dict.fromkeys(_ZERO, 0), **dict.fromkeys(_THREE, 3),
    **dict.fromkeys(_FOUR, 4),
}


def minor_units(unit: str | None) -> int | None:
    """ISO 4217 minor units of a fiat currency; None for a token or an unknown code."""
    return ISO_4217_MINOR_UNITS.get(unit) if unit else None


def scale_of(unit: str | None, decimals: Mapping[str, int] | None = None) -> int | None:
    """The unit's scale: a token's decimals as configured, else ISO 4217 minor units, else None."""
    if unit and decimals and unit in decimals:
        return decimals[unit]
    return minor_units(unit)


def digits_after_point(value: Decimal) -> int:
    """How many fraction digits the value carries as held (250.00 -> 2, 1E+2 -> 0)."""
    exp = value.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def significant_scale(value: Decimal) -> int:
    """The fewest fraction digits that hold the value exactly (250.500 -> 1)."""
    return digits_after_point(value.normalize(_EXACT)) if value else 0


def exact(value: Decimal, scale: int | None = None) -> str:
    """Plain decimal text of the value at its source scale: never rounded, never padded past it.

    `scale` is the unit's scale (ISO minor units, token decimals); digits the value has beyond it
    are kept, and trailing zeros beyond both are dropped (a Decimal(38, 18) column's padding).
    """
    return format(_at(value, max(significant_scale(value), scale or 0)), "f")


def show(value: Decimal | None, unit: str | None = None, *, unknown: str = "n/a") -> str:
    """For people: thousands separated, fiat at its minor units, tokens at their own digits."""
    if value is None:
        return unknown
    scale = minor_units(unit)  # tokens show their digits, not 18 zeros
    text = format(_at(value, max(significant_scale(value), scale or 0)), ",f")
    return f"{text} {unit}" if unit else text


def _at(value: Decimal, places: int) -> Decimal:
    if not value:
        return Decimal(0).scaleb(-places)  # no "-0"
    return value.quantize(Decimal(1).scaleb(-places), context=_EXACT)


def show_ratio(value: Decimal | None, *, unknown: str = "n/a") -> str:
    """A ratio or percentage: its digits, no padding, no exponent."""
    return unknown if value is None else exact(value)


def _trimmed(text: pl.Expr, places: int) -> pl.Expr:
    """Decimal text with trailing zeros dropped past `places` fraction digits (never rounds)."""
    if places == 0:
        return text.str.replace(r"^(-?\d+(?:\.\d*?[1-9])?)\.?0*$", "${1}")
    return text.str.replace(rf"^(-?\d+\.\d{{{places}}}(?:\d*?[1-9])?)0*$", "${1}")


def exact_text(column: str | pl.Expr, unit_column: str | None) -> pl.Expr:
    """Frame form of `exact`: Decimal values as text at each row's source scale (storage, JSON).

    A Polars Decimal column has one scale for every row (38, 18 holds any token); the text keeps
    the digits each value has, and at least its currency's ISO 4217 minor units.
    """
    import polars as pl

    value = pl.col(column) if isinstance(column, str) else column
    text = value.cast(pl.String)
    if unit_column is None:
        out = _trimmed(text, 0)
    else:
        floor = pl.col(unit_column).replace_strict(
            dict(ISO_4217_MINOR_UNITS), default=None, return_dtype=pl.Int8())
        out = (pl.when(floor == 2).then(_trimmed(text, 2))
               .when(floor == 3).then(_trimmed(text, 3))
               .when(floor == 4).then(_trimmed(text, 4))
               .otherwise(_trimmed(text, 0)))
    return out.alias(column) if isinstance(column, str) else out


def show_expr(value: str | pl.Expr, unit_column: str | None) -> pl.Expr:
    """Frame form of `show` for summaries: `1,000.00 USD` per row."""
    import polars as pl

    v = pl.col(value) if isinstance(value, str) else value
    parts = pl.struct(v.alias("v"), (pl.col(unit_column) if unit_column else pl.lit(None, pl.String))
                      .alias("u"))
    return parts.map_elements(lambda r: show(r["v"], r["u"]), return_dtype=pl.String())
