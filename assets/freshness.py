"""The stale-sources check: every input of a partition that could not be read, or was read behind its
cut-off, by the key of what it left unknown. Verdicts on such inputs are unknown, never OK."""

from __future__ import annotations

import dagster as dg

from resources.warehouse import Warehouse

CHECK = "sources_fresh"

_UNREAD = """
SELECT 'chain read' AS what, chain || ':' || asset AS key, coalesce(error, status) AS why
FROM recon.chain_reads WHERE partition_key = :p AND status <> 'complete'
UNION ALL
SELECT 'unknown verdict', scope_type || ':' || scope_id || ':' || natural_key, summary
FROM recon.discrepancies
WHERE type = 'source_unavailable' AND last_seen_partition = :p AND status IN ('open', 'acknowledged', 'escalated')
UNION ALL
SELECT 'source ' || (s.value ->> 'state'), s.key, coalesce(s.value ->> 'reason', '')
FROM recon.runs r, jsonb_each(r.sources) s
WHERE r.run_id = :run AND s.value ->> 'state' <> 'complete'
ORDER BY 1, 2
"""


def sources_fresh_check(wh: Warehouse, partition_key: str, asset: str, run_id: str) -> dg.AssetCheckResult:
    """Fails on any source this run did not read completely (not configured included: unknown is no pass)."""
    rows = wh.rows(_UNREAD, p=partition_key, run=run_id)
    table = "\n".join(f"| {r['what']} | {r['key']} | {str(r['why'])[:200].replace('|', '/')} |" for r in rows)
    return dg.AssetCheckResult(
        check_name=CHECK, asset_key=asset, passed=not rows, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"stale_or_unread": dg.MetadataValue.int(len(rows)),
                  "sources": dg.MetadataValue.md("| what | key | why |\n|---|---|---|\n" + table)})


def spec(asset: str) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(CHECK, asset=asset, description="Every source of the partition was read at its "
                             "cut-off; the table lists what was not and the verdicts it left unknown.")
