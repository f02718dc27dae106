"""`recon run` keeps one engine per shard for Dagster's SQLite event log: the runs and events it stores are
the ones a fresh instance on the same home (the UI's, `dg launch`'s) reads, and a run's events are all there."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.event_log import keep_engines


@dg.asset
def counted() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3})


@dg.asset(deps=[counted])
def after_it() -> None:
    return None


def test_runs_stored_with_kept_engines_are_what_a_fresh_instance_sees(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    plain = dg.DagsterInstance.get()
    kept = dg.DagsterInstance.get()
    assert keep_engines(kept)  # the default home's storage is the SQLite one
    job = dg.Definitions(assets=[counted, after_it]).resolve_implicit_global_asset_job_def()

    runs = [job.execute_in_process(instance=i).run_id for i in (plain, kept, kept)]

    ui = dg.DagsterInstance.get()  # another instance on the same home, as the UI opens it
    events = [[e.dagster_event_type for e in ui.all_logs(r) if e.is_dagster_event] for r in runs]
    assert events[1] == events[2] == events[0]  # the same events, whichever storage wrote them
    assert {r.run_id for r in ui.get_runs()} == set(runs)
    assert all(ui.get_run_by_id(r).is_success for r in runs)  # type: ignore[union-attr]
    latest = ui.get_latest_materialization_event(dg.AssetKey("counted"))
    assert latest is not None and latest.run_id == runs[2]
