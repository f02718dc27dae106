"""The stale-sources check: every input of a partition that could not be read, or was read behind its
cut-off, by the key of what it left unknown. Verdicts on such inputs are unknown, never OK."""

from __future__ import annotations

import dagster as dg

from recon.kinds import OPEN_STATUSES
from recon.sql import postgres_sql
from stores.warehouse import Warehouse

CHECK = "sources_fresh"

_UNREAD = postgres_sql("select_unread_sources")


def sources_fresh_check(wh: Warehouse, partition_key: str, asset: str, run_id: str) -> dg.AssetCheckResult:
    """Fails on any source this run did not read completely (not configured included: unknown is no pass)."""
    rows = wh.rows(_UNREAD, p=partition_key, run=run_id, open_statuses=list(OPEN_STATUSES))
    table = "\n".join(f"| {r['what']} | {r['key']} | {str(r['why'])[:200].replace('|', '/')} |" for r in rows)
    return dg.AssetCheckResult(
        check_name=CHECK, asset_key=asset, passed=not rows, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"stale_or_unread": dg.MetadataValue.int(len(rows)),
                  "sources": dg.MetadataValue.md("| what | key | why |\n|---|---|---|\n" + table)})


def spec(asset: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(CHECK, asset=asset, description="Every source of the partition was read at its "
                             "cut-off; the table lists what was not and the verdicts it left unknown.")
