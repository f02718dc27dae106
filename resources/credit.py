"""The credit product's rules (haircuts, band thresholds, tightening, price age) as a Dagster resource.

Rules come from `rules` given here, else from the "credit" object of `config_file` (JSON, read at run
time), else the defaults of recon.credit.rules. Numbers in JSON are strings, never floats.
"""

from __future__ import annotations

from typing import Any

import dagster as dg
from pydantic import Field

from recon.credit.rules import CreditRules, rules_from_mapping
from recon.sources import ConfigurationError, load_json


class CreditRulesError(ValueError):
    """The credit configuration cannot be read; nothing is computed on guessed rules."""


class CreditResource(dg.ConfigurableResource):
    config_file: str | None = None
    rules: dict[str, Any] | None = Field(default=None, description="Rules as in recon/credit/README.md.")
    # Stellar assets that count as collateral; empty: the assets named in the rules, or, with none
    # named there, every balance in a line's collateral accounts.
    collateral_assets: list[str] = Field(default_factory=list)

    def _section(self) -> dict[str, Any]:
        if self.rules is not None:
            return {"rules": self.rules, "collateral_assets": self.collateral_assets}
        if not self.config_file:
            return {}
        try:
            return load_json(self.config_file, "RECON_CREDIT_CONFIG").get("credit", {})
        except (OSError, ValueError, ConfigurationError) as exc:
            raise CreditRulesError(f"credit configuration {self.config_file}: {exc}") from exc

    def credit_rules(self) -> CreditRules:
        try:
            return rules_from_mapping(self._section().get("rules", {}))
        except (TypeError, ValueError) as exc:
            raise CreditRulesError(f"credit rules: {exc}") from exc

    def pledged_assets(self) -> set[str] | None:
        listed = self.collateral_assets or self._section().get("collateral_assets") or []
        named = [a.asset for a in self.credit_rules().assets]
        return set(listed or named) or None
