"""Matching rules: windows in business days, amount tolerances, confidences, severities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# How sure each pass is (0..1): explicit payment ids first, heuristics last.
CONFIDENCE = {
    "uetr": Decimal("1.0000"),
    "end_to_end_id": Decimal("0.9800"),
    "bank_reference": Decimal("0.9500"),
    "batch": Decimal("0.9000"),
    "reversal": Decimal("0.9000"),
    "amount_date_same_day": Decimal("0.8000"),
    "amount_date_window": Decimal("0.7000"),
    "proposal": Decimal("0.5000"),  # shared among the candidates of an ambiguous row
}

SEVERITY = {
    "missing_in_ledger": "significant",  # the bank moved money the ledger does not know
    "missing_at_bank": "significant",
    "amount_mismatch": "significant",
    "duplicate_txn": "minor",
}


# What duckdb.connect(config=...) accepts as a value.
DuckDbSetting = str | bool | int | float | list[str]


@dataclass(frozen=True)
class MatchConfig:
    """`as_of` is the business date being reconciled; rows dated after it are still in transit."""

    as_of: date
    date_window_days: int = 2  # amount + date pass: |bank day - ledger day| in business days
    timing_window_days: int = 2  # unmatched rows younger than this are in transit, not missing
    tolerance_abs: Decimal = Decimal("0")  # a key match within max(abs, pct of the bank amount) agrees
    tolerance_pct: Decimal = Decimal("0")
    confidence: dict[str, Decimal] = field(default_factory=lambda: dict(CONFIDENCE))
    severity: dict[str, str] = field(default_factory=lambda: dict(SEVERITY))
    # DuckDB: a memory limit for its own tables and hash tables (inputs are scanned in place, outside it);
    # beyond it, operators spill to temp_directory (None: DuckDB's default). Row order is never relied on.
    memory_limit: str = "2GB"
    threads: int = 2
    temp_directory: str | None = None

    def duckdb_settings(self) -> dict[str, DuckDbSetting]:
        settings: dict[str, DuckDbSetting] = {"threads": self.threads, "memory_limit": self.memory_limit,
                                              "preserve_insertion_order": False}
        if self.temp_directory is not None:
            settings["temp_directory"] = self.temp_directory
        return settings
