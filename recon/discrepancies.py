"""Discrepancies as every detector reports them: one frame schema, stable keys, severities and actions."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from recon.kinds import SEVERITIES, TYPES
from recon.money import exact, scale_of

if TYPE_CHECKING:
    import polars as pl

    AMOUNT_DTYPE: pl.Decimal
    FRAME_SCHEMA: dict[str, pl.DataType]

ACTIONS = ("none", "record", "suspend_payouts", "circuit_breaker")
_FRAME_NAMES = ("AMOUNT_DTYPE", "FRAME_SCHEMA")


@cache
def _frame_types() -> dict[str, Any]:
    """Polars is imported with the first frame, not with the module: commands that only read stay light."""
    import polars as pl

    # Amounts from every source fit here: 20 integer digits, 18 decimals (the finest token scale).
    amount = pl.Decimal(38, 18)
    schema: dict[str, pl.DataType] = {
        "discrepancy_key": pl.String(),
        "type": pl.String(),
        "scope_type": pl.String(),
        "scope_id": pl.String(),
        "natural_key": pl.String(),
        "severity": pl.String(),
        "action": pl.String(),
        "currency": pl.String(),
        "amount": amount,
        "summary": pl.String(),
        "details": pl.String(),
    }
    return {"AMOUNT_DTYPE": amount, "FRAME_SCHEMA": schema}


def __getattr__(name: str) -> Any:
    if name in _FRAME_NAMES:
        return _frame_types()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Discrepancy:
    """One finding. `natural_key` names the thing inside its scope (an entry key, a tx hash, a date)."""

    type: str
    scope_type: str
    scope_id: str
    natural_key: str
    severity: str
    summary: str
    action: str = "record"
    currency: str | None = None
    amount: Decimal | None = None
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown discrepancy type {self.type!r}; known: {', '.join(TYPES)}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}; known: {', '.join(SEVERITIES)}")
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}; known: {', '.join(ACTIONS)}")

    @property
    def key(self) -> str:
        return discrepancy_key(self.type, self.scope_type, self.scope_id, self.natural_key)


def discrepancy_key(type_: str, scope_type: str, scope_id: str, natural_key: str) -> str:
    """Stable across runs and backfills: the same finding always gets the same key."""
    return "|".join((type_, scope_type, scope_id, natural_key))


def plain(value: Decimal) -> str:
    """A Decimal's own digits as plain text: no padding, never exponent notation (1E+5 is 100000)."""
    return exact(value)


def _json_value(currency: str | None) -> Callable[[object], str]:
    """Decimals in details as exact strings at their own scale (at least the currency's minor units)."""
    scale = scale_of(currency)
    return lambda value: exact(value, scale) if isinstance(value, Decimal) else str(value)


def discrepancy_frame(items: Iterable[Discrepancy]) -> pl.DataFrame:
    import polars as pl

    rows = [
        {
            "discrepancy_key": d.key,
            "type": d.type,
            "scope_type": d.scope_type,
            "scope_id": d.scope_id,
            "natural_key": d.natural_key,
            "severity": d.severity,
            "action": d.action,
            "currency": d.currency,
            "amount": d.amount,
            "summary": d.summary,
            "details": json.dumps(dict(d.details), sort_keys=True, default=_json_value(d.currency)),
        }
        for d in items
    ]
    return pl.DataFrame(rows, schema=_frame_types()["FRAME_SCHEMA"])
