"""The one entry point: assets, checks, resources, jobs, schedules and sensors, with project-wide policy."""

from __future__ import annotations

import dagster as dg

from assets import (
    balances,
    bank,
    chain,
    credit,
    credit_liquidation,
    intraday,
    intraday_chain,
    ledger,
    manifest,
    matching,
    outputs,
    reserves,
    reserves_activity,
    reserves_books,
)
from pipelines.config.load import ProjectConfig, load_config
from pipelines.demo.services_resources import DemoEvmResource, DemoStellarResource
from pipelines.jobs import build_jobs
from pipelines.retries import RETRY, retry_transient_only
from pipelines.schedules import build_schedules
from pipelines.sensors import alert_on_run_failure, statement_drop_folder_sensor
from resources.bank_rules import BankRulesResource
from resources.credit import CreditResource
from resources.drop_folder import StatementsResource
from resources.evm import EvmResource
from resources.ledger import LedgerResource
from resources.notifier_resource import NotifierResource
from resources.prices import PriceResource
from resources.reserves import ReservesResource
from resources.stellar import StellarResource
from resources.warehouse_resource import WarehouseResource

ASSET_MODULES = [outputs, chain, ledger, matching, balances, reserves, bank, credit, intraday, intraday_chain,
                 manifest, reserves_activity, reserves_books, credit_liquidation]


def _bind(config: ProjectConfig, name: str) -> str:
    """A secret reaches Dagster as the variable's name (EnvVar), so it is never shown in the UI or stored
    with a run; other values as resolved (paths absolute). "" is "not configured" to every resource."""
    setting = config[name]
    if setting.secret and setting.env and setting.configured:
        return dg.EnvVar(setting.env)
    return setting.value or ""


def build_resources(config: ProjectConfig | None = None) -> dict[str, object]:
    """Resources from the project configuration (recon.toml and its overrides; pipelines/config)."""
    config = config or load_config()
    chains = _bind(config, "chains.file")
    # With a demo world, a step that reads a chain first starts its local chains and Horizon if down.
    evm, stellar = (DemoEvmResource, DemoStellarResource) if config.demo else (EvmResource, StellarResource)
    return {
        # "embedded" (the default) selects the embedded server under .recon/.
        "warehouse": WarehouseResource(database_url=_bind(config, "store.database_url"),
                                       webhook_url=_bind(config, "alerts.webhook_url")),
        # Slack-compatible incoming webhook for alerts; empty: alerts go to recon.audit_log only.
        "notifier": NotifierResource(webhook_url=_bind(config, "alerts.webhook_url")),
        # Bank CAMT files arrive here; bad ones are moved to its quarantine/ (recon/camt/README.md).
        "statements": StatementsResource(drop_folder=_bind(config, "statements.drop_folder")),
        # Chains, tokens, holders and Horizon: a JSON file (see resources/README-chain.md).
        "evm": evm(config_file=chains),
        "stellar": stellar(config_file=chains),
        # The issuer's ledger: kind "sql" (url) or "files" (snapshot_dir); see recon/ledger.
        "ledger": LedgerResource(kind=config.value("ledger.kind") or "files", url=_bind(config, "ledger.url"),
                                 db_schema=config.value("ledger.db_schema") or "ledger",
                                 snapshot_dir=_bind(config, "ledger.dir")),
        # Reserve accounts, tolerances, levels and TTLs: a JSON "reserves" object (recon/reserves/README.md).
        "reserves": ReservesResource(config_file=_bind(config, "reserves.file")),
        # Credit rules and the collateral price source: JSON "credit" and "prices" objects (recon/credit/README.md).
        "credit": CreditResource(config_file=_bind(config, "credit.file")),
        "prices": PriceResource(config_file=_bind(config, "credit.file")),
        # Intraday bank rules: consecutive windows a one-way difference must last to be balance_drift.
        "bank_rules": BankRulesResource(drift_windows=int(config.value("intraday.drift_windows") or 3)),
    }


def build_definitions(config: ProjectConfig | None = None) -> dg.Definitions:
    # RETRY retries transient faults only (a configuration error or a bug fails at once).
    assets = retry_transient_only(
        [a for a in dg.load_assets_from_modules(ASSET_MODULES) if isinstance(a, dg.AssetsDefinition)])
    checks = retry_transient_only(list(dg.load_asset_checks_from_modules(ASSET_MODULES)))
    setup_job = dg.define_asset_job("setup_output_store", selection=[outputs.output_store])
    jobs = [setup_job, *build_jobs(assets, RETRY)]
    return dg.Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=jobs,
        schedules=build_schedules({j.name for j in jobs}),
        sensors=[statement_drop_folder_sensor, alert_on_run_failure],
        resources=build_resources(config),
        # Each run in one process, as `recon run` and the demo run it: a process per step would re-import
        # these definitions for every step (seconds each), and the reads and checks gain nothing from it.
        executor=dg.in_process_executor,
    )


defs = build_definitions()
