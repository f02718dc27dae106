"""Jobs: the end-of-day reconciliation per business day, and the intraday checks per 30-minute window."""

from __future__ import annotations

import dagster as dg

from pipelines.partitions import business_day_partitions, intraday_window_partitions

DAILY_JOB = "daily_reconciliation"
INTRADAY_JOB = "intraday_reconciliation"


def _partitioned(assets: list[dg.AssetsDefinition], partitions: dg.PartitionsDefinition) -> list[dg.AssetKey]:
    return [key for a in assets if a.partitions_def == partitions for key in a.keys]


def build_jobs(assets: list[dg.AssetsDefinition], retry: dg.RetryPolicy | None = None
               ) -> list[dg.UnresolvedAssetJobDefinition]:
    daily = dg.define_asset_job(
        DAILY_JOB,
        selection=_partitioned(assets, business_day_partitions),
        description="End of day: statements, ledger snapshot, chains at the cut-off block, matching, balance "
        "tiers, backing, reserves, credit. Flags are written even when a check fails.",
        tags={"recon/kind": "daily"},
        op_retry_policy=retry,
    )
    jobs = [daily]
    intraday = _partitioned(assets, intraday_window_partitions)
    if intraday:
        jobs.append(dg.define_asset_job(
            INTRADAY_JOB,
            selection=intraday,
            description="Every 30 minutes: CAMT.054 since the last statement, the ledger now, chains at the "
            "latest finalised block.",
            tags={"recon/kind": "intraday"},
            op_retry_policy=retry,
        ))
    return jobs
