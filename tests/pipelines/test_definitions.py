"""The one entry point loads, with the resources and jobs users rely on."""

from __future__ import annotations

import subprocess
import sys

import dagster as dg

from pipelines.definitions import defs


def test_definitions_load_and_validate() -> None:
    repo = defs.get_repository_def()
    assert repo.get_all_jobs()
    assert "warehouse" in defs.resources
    dg.Definitions.validate_loadable(defs)


def test_loading_definitions_touches_no_database_or_environment() -> None:
    # Definitions must load with no database reachable and no variables set.
    code = "import pipelines.definitions as d; print(len(d.defs.get_repository_def().get_all_jobs()))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "RECON_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
    )
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip()) >= 1


def test_daily_assets_that_read_earlier_days_wait_for_the_day_before() -> None:
    # Each reads rows earlier days wrote (matching's carried items, a line's days in liquidation, bank credits
    # of any earlier day): a backfill holds its day until the day before is done (test_backfill_order.py).
    graph = defs.resolve_asset_graph()
    for name in ("transaction_matches", "liquidation_watch", "credit_repayments"):
        key = dg.AssetKey(name)
        assert key in graph.get(key).parent_keys, name
        mapping = graph.get_partition_mapping(key, key)
        assert isinstance(mapping, dg.TimeWindowPartitionMapping), name
        assert (mapping.start_offset, mapping.end_offset) == (-1, -1), name
