"""The one entry point: assets, checks, resources, jobs, schedules and sensors, with project-wide policy."""

from __future__ import annotations

import dagster as dg

from assets import outputs
from resources.warehouse import WarehouseResource

ASSET_MODULES = [outputs]

# Transient failures (a node timing out, a lock) get two more tries; verdicts never depend on them.
RETRY = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)


def build_resources() -> dict[str, object]:
    return {
        # "embedded" (the Makefile's default) selects the embedded server under .recon/.
        "warehouse": WarehouseResource(database_url=dg.EnvVar("RECON_DATABASE_URL")),
    }


def build_definitions() -> dg.Definitions:
    assets = dg.load_assets_from_modules(ASSET_MODULES)
    checks = dg.load_asset_checks_from_modules(ASSET_MODULES)
    setup_job = dg.define_asset_job("setup_output_store", selection=[outputs.output_store])
    return dg.Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=[setup_job],
        resources=build_resources(),
    )


defs = build_definitions()
