"""The demo week backfilled newest first, in process, as far as Dagster's dependencies let a backfill reorder
it, gives the outputs of the days run in order. Every daily asset that no self-dependent asset precedes may run
for any day before an earlier day's (the daemon runs a backfill's days side by side or newest first); the rest
wait, day by day, for the day before. A day that reads what earlier days left must say so by a self-dependency
(an asset that carries state), else its rows here differ from the in-order ones."""

from __future__ import annotations

from pathlib import Path
from pprint import pformat

import dagster as dg
import pytest

from pipelines.partitions import business_day_partitions
from tests.pipelines.backfill_support import differences, empty_outputs, own_home, store_engine
from tests.pipelines.test_ui_backfill import WEEK, outputs


def _unordered_and_ordered(defs: dg.Definitions) -> tuple[list[dg.AssetKey], list[dg.AssetKey]]:
    graph = defs.resolve_asset_graph()
    daily = {k for k in graph.materializable_asset_keys if graph.get(k).partitions_def == business_day_partitions}
    carried = [k for k in daily if k in graph.get(k).parent_keys]
    ordered = dg.AssetSelection.assets(*carried).downstream().resolve(graph) & daily
    return sorted(daily - ordered), sorted(ordered)


@pytest.mark.slow
def test_newest_first_as_far_as_dependencies_allow_gives_the_in_order_outputs(
        fresh_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = own_home(tmp_path, monkeypatch)
    from pipelines.demo.world import demo_world
    from pipelines.jobs import DAILY_JOB
    from pipelines.runner import current_definitions, instance, run_daily

    engine = store_engine(fresh_database_url)
    with demo_world(home / "demo", database_url=fresh_database_url) as world:
        for name, value in world.env.items():
            monkeypatch.setenv(name, value)
        assert all(run_daily(day).success for day in WEEK)
        in_order = outputs(engine)
        assert in_order["repayment_matches"] and in_order["discrepancies"] and in_order["circuit_breakers"]
        empty_outputs(engine)
        defs = current_definitions()
        job = defs.resolve_job_def(DAILY_JOB)
        unordered, ordered = _unordered_and_ordered(defs)
        assert dg.AssetKey("transaction_matches") in ordered and dg.AssetKey("bank_entries") in unordered
        for days, keys in ((reversed(WEEK), unordered), (WEEK, ordered)):
            for day in days:
                assert job.execute_in_process(partition_key=day, asset_selection=keys, instance=instance(),
                                              raise_on_error=False).success, (day, keys)
        again = outputs(engine)
    differ = differences(in_order, again)
    if differ:  # the tables that differ, then their first differing rows, whole
        pytest.fail(pformat(differ, width=110))
