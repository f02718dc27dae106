"""The reserve checks' configuration as a Dagster resource: read at run time, never at import."""

from __future__ import annotations

import dagster as dg
from pydantic import Field

from recon.reserves.activity_config import ActivityConfig, activity_config_from_dict
from recon.reserves.config import ReservesConfig
from recon.reserves.config_load import load_reserves_config, reserves_object


class ReservesResource(dg.ConfigurableResource):
    """The reserve checks' configuration (recon/reserves/README.md): a JSON file's "reserves" object,
    and/or the same object inline as JSON text; inline keys win."""

    config_file: str | None = Field(default=None, description="JSON file with a 'reserves' object.")
    inline_json: str | None = Field(default=None, description="The 'reserves' object as JSON text.")

    def config(self) -> ReservesConfig:
        """NotConfigured when neither is set (recon/reserves/config_load.py)."""
        return load_reserves_config(self.config_file, self.inline_json)

    def activity(self) -> ActivityConfig:
        """Reserve floors and redemption monitoring, from the same object."""
        return activity_config_from_dict(reserves_object(self.config_file, self.inline_json))
