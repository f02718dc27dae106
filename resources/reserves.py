"""The reserve checks' configuration as a Dagster resource: read at run time, never at import."""

from __future__ import annotations

import json

import dagster as dg
from pydantic import Field

from recon.reserves.activity_config import ActivityConfig, activity_config_from_dict
from recon.reserves.config import ReservesConfig
from recon.reserves.config_load import config_from_dict
from recon.sources import ConfigurationError, NotConfigured, load_json


class ReservesResource(dg.ConfigurableResource):
    """The reserve checks' configuration (recon/reserves/README.md): a JSON file's "reserves" object,
    and/or the same object inline as JSON text; inline keys win."""

    config_file: str | None = Field(default=None, description="JSON file with a 'reserves' object.")
    inline_json: str | None = Field(default=None, description="The 'reserves' object as JSON text.")

    def config(self) -> ReservesConfig:
        """NotConfigured when neither is set: reserve verdicts are then unknown, never checked against
        defaults (no made-up initial reserve, no accounts)."""
        data: dict = {}
        if self.config_file:
            data.update(load_json(self.config_file, "RECON_RESERVES_CONFIG").get("reserves", {}))
        if self.inline_json:
            data.update(json.loads(self.inline_json))
        if not data:
            where = f"{self.config_file} has no \"reserves\" object" if self.config_file else \
                "RECON_RESERVES_CONFIG is not set"
            raise NotConfigured(f"reserves not configured: {where}")
        try:
            return config_from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigurationError(f"reserves configuration {self.config_file or 'inline'}: {exc}") from exc

    def activity(self) -> ActivityConfig:
        """Reserve floors and redemption monitoring, from the same object."""
        data: dict = {}
        if self.config_file:
            data.update(load_json(self.config_file, "RECON_RESERVES_CONFIG").get("reserves", {}))
        if self.inline_json:
            data.update(json.loads(self.inline_json))
        return activity_config_from_dict(data)
