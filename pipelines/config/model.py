"""What `recon.toml` may hold: one typed section per source. Unknown keys are errors (a typo never
passes silently as "not configured"). Secrets are never values here, only names of environment variables
(`*_env`). See recon.toml.example."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Store(Section):
    database_url: str | None = Field(None, description='"embedded" or postgresql://user@host:5432/db (no password)')
    database_url_env: str | None = Field(None, description="variable holding the whole URL (with its password)")
    analyst_password_env: str | None = Field(None, description="variable holding recon_analyst's password")


class Alerts(Section):
    webhook_url_env: str | None = Field(None, description="variable holding a Slack-compatible webhook URL")


class Statements(Section):
    drop_folder: str | None = None


class Ledger(Section):
    kind: Literal["sql", "files"] | None = None
    url: str | None = Field(None, description='"embedded" (schema ledger of the output store) or a SQLAlchemy URL')
    url_env: str | None = Field(None, description="variable holding the ledger database URL")
    db_schema: str | None = None
    dir: str | None = Field(None, description="folder of <table>.csv / .parquet snapshots (kind files)")


class FileSource(Section):
    file: str | None = None


class Intraday(Section):
    drift_windows: int | None = Field(None, ge=2, description="consecutive 30-minute windows a one-way "
                                                               "ledger-bank difference must last to be balance_drift")


class Demo(Section):
    world: str = Field(description="the demo world's folder")
    ports: list[int] = Field(min_length=3, max_length=3, description="ethereum, base and horizon ports")
    autostart: bool = True


class ProjectFile(Section):
    store: Store = Store()
    alerts: Alerts = Alerts()
    statements: Statements = Statements()
    ledger: Ledger = Ledger()
    chains: FileSource = FileSource()
    reserves: FileSource = FileSource()
    credit: FileSource = FileSource()
    intraday: Intraday = Intraday()
    demo: Demo | None = None
    # The business calendar (recon/calendar.py): read by settings/calendar.py for every entry point.
    calendar: dict[str, Any] | None = None
