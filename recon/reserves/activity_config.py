"""Settings of the reserve-floor and redemption-activity checks: the `floors` and `redemption_monitoring`
objects beside the rest of the `reserves` configuration (README.md in this folder explains each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from recon.reserves.config_load import decimal_setting


@dataclass(frozen=True)
class ReserveFloor:
    """A chain's reserve may not fall below `min_reserve` (token units) nor below `min_share` (a fraction,
    0.2 = 20 %) of that chain's circulating supply. Either may be absent; absent means not checked."""

    min_reserve: Decimal | None = None
    min_share: Decimal | None = None


@dataclass(frozen=True)
class RedemptionMonitoring:
    # Length of the window that ends at the cut-off; the baseline is the same window on each earlier day.
    window_hours: int = 24
    baseline_days: int = 30
    # A window is unusual above this multiple of its baseline (the median of the earlier windows) ...
    rate_multiple: Decimal = Decimal("3")
    # ... and above these floors, so a quiet history does not turn every redemption into a run.
    min_count: int = 5
    min_amount: Decimal = Decimal("100000")
    user_min_count: int = 3
    user_min_amount: Decimal = Decimal("50000")
    # Share of the day's redemption requests refused or failed above which the service is failing users.
    failure_rate: Decimal = Decimal("0.05")


@dataclass(frozen=True)
class ActivityConfig:
    floors: dict[str, ReserveFloor] = field(default_factory=dict)  # by chain name
    monitoring: RedemptionMonitoring = field(default_factory=RedemptionMonitoring)


def activity_config_from_dict(data: dict[str, Any]) -> ActivityConfig:
    floors = {}
    for chain, f in data.get("floors", {}).items():
        floors[chain] = ReserveFloor(
            min_reserve=(decimal_setting(f["min_reserve"], f"floors.{chain}.min_reserve")
                         if "min_reserve" in f else None),
            min_share=decimal_setting(f["min_share"], f"floors.{chain}.min_share") if "min_share" in f else None)
    kw: dict[str, Any] = {}
    raw = data.get("redemption_monitoring", {})
    for key in ("window_hours", "baseline_days", "min_count", "user_min_count"):
        if key in raw:
            kw[key] = int(raw[key])
    for key in ("rate_multiple", "min_amount", "user_min_amount", "failure_rate"):
        if key in raw:
            kw[key] = decimal_setting(raw[key], f"redemption_monitoring.{key}")
    return ActivityConfig(floors=floors, monitoring=RedemptionMonitoring(**kw))
