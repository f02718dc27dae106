"""Rules of the bank side's intraday checks, set in recon.toml's [intraday] section."""

from __future__ import annotations

import dagster as dg

from recon.drift import DEFAULT_WINDOWS, DriftRules


class BankRulesResource(dg.ConfigurableResource):
    # Consecutive 30-minute windows (the current one included) a one-way difference must last to be drift.
    drift_windows: int = DEFAULT_WINDOWS

    def drift(self) -> DriftRules:
        return DriftRules(windows=self.drift_windows)
