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
from assets.reserves_inputs import ReservesResource
from pipelines.jobs import build_jobs
from pipelines.schedules import build_schedules
from pipelines.sensors import alert_on_run_failure, statement_drop_folder_sensor
from resources.credit import CreditResource
from resources.evm import EvmResource
from resources.ledger import LedgerResource
from resources.notifier import NotifierResource
from resources.prices import PriceResource
from resources.statements import StatementsResource
from resources.stellar import StellarResource
from resources.warehouse import WarehouseResource

ASSET_MODULES = [outputs, chain, ledger, matching, balances, reserves, bank, credit, intraday, intraday_chain,
                 manifest, reserves_activity, reserves_books, credit_liquidation]

# Transient failures (a node timing out, a lock) get two more tries; verdicts never depend on them.
RETRY = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)


def build_resources() -> dict[str, object]:
    return {
        # "embedded" (the Makefile's default) selects the embedded server under .recon/.
        "warehouse": WarehouseResource(database_url=dg.EnvVar("RECON_DATABASE_URL"),
                                       webhook_url=dg.EnvVar("RECON_WEBHOOK_URL")),
        # Slack-compatible incoming webhook for alerts; empty: alerts go to recon.audit_log only.
        "notifier": NotifierResource(webhook_url=dg.EnvVar("RECON_WEBHOOK_URL")),
        # Bank CAMT files arrive here; bad ones are moved to its quarantine/ (recon/camt/README.md).
        "statements": StatementsResource(drop_folder=dg.EnvVar("RECON_STATEMENTS_DIR")),
        # Chains, tokens, holders and Horizon: a JSON file (see resources/README-chain.md).
        "evm": EvmResource(config_file=dg.EnvVar("RECON_CHAIN_CONFIG")),
        "stellar": StellarResource(config_file=dg.EnvVar("RECON_CHAIN_CONFIG")),
        # The issuer's ledger: kind "sql" (RECON_LEDGER_URL) or "files" (RECON_LEDGER_DIR); see recon/ledger.
        "ledger": LedgerResource(kind=dg.EnvVar("RECON_LEDGER_KIND"), url=dg.EnvVar("RECON_LEDGER_URL"),
                                 snapshot_dir=dg.EnvVar("RECON_LEDGER_DIR")),
        # Reserve accounts, tolerances, levels and TTLs: a JSON "reserves" object (recon/reserves/README.md).
        "reserves": ReservesResource(config_file=dg.EnvVar("RECON_RESERVES_CONFIG")),
        # Credit rules and the collateral price source: JSON "credit" and "prices" objects (recon/credit/README.md).
        "credit": CreditResource(config_file=dg.EnvVar("RECON_CREDIT_CONFIG")),
        "prices": PriceResource(config_file=dg.EnvVar("RECON_CREDIT_CONFIG")),
    }


def build_definitions() -> dg.Definitions:
    assets = dg.load_assets_from_modules(ASSET_MODULES)
    checks = dg.load_asset_checks_from_modules(ASSET_MODULES)
    setup_job = dg.define_asset_job("setup_output_store", selection=[outputs.output_store])
    jobs = [setup_job, *build_jobs(assets, RETRY)]
    return dg.Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=jobs,
        schedules=build_schedules({j.name for j in jobs}),
        sensors=[statement_drop_folder_sensor, alert_on_run_failure],
        resources=build_resources(),
    )


defs = build_definitions()
