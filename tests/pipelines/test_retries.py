"""The definitions' retry policy retries transient faults only: a timeout is tried again, a configuration
error or a bug fails at its first attempt (with its own message as the reason)."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.jobs import DAILY_JOB
from pipelines.retries import RETRY, retry_transient_only
from recon.sources import ConfigurationError

FAST = dg.RetryPolicy(max_retries=RETRY.max_retries, delay=0)  # the definitions' count, without the wait


def _attempts(fault: BaseException, fail_times: int) -> tuple[int, bool, list[str]]:
    calls: list[int] = []

    @dg.asset
    def flaky() -> dg.MaterializeResult:
        calls.append(1)
        if len(calls) <= fail_times:
            raise fault
        return dg.MaterializeResult()

    @dg.asset(deps=[flaky])
    def checked() -> dg.Output[int]:  # a plain value, not a generator
        return dg.Output(1)

    assets = retry_transient_only([flaky, checked])
    job = dg.define_asset_job("j", selection=[flaky, checked], op_retry_policy=FAST)
    result = dg.Definitions(assets=assets, jobs=[job]).resolve_job_def("j").execute_in_process(raise_on_error=False)
    reasons = []
    for e in result.all_events:
        if e.is_step_failure and e.step_failure_data and e.step_failure_data.error:
            err = e.step_failure_data.error
            while err.cause is not None:
                err = err.cause
            reasons.append(err.message.strip().splitlines()[-1])
    return len(calls), result.success, reasons


def test_a_transient_fault_is_retried_until_it_passes() -> None:
    assert _attempts(TimeoutError("read timed out"), fail_times=2) == (3, True, [])


def test_a_transient_fault_that_persists_stops_at_the_bound() -> None:
    n, ok, reasons = _attempts(ConnectionRefusedError("connection refused"), fail_times=10)
    assert (n, ok) == (1 + RETRY.max_retries, False)
    assert len(reasons) == 1 and "connection refused" in reasons[0]


def test_a_configuration_error_fails_at_once_with_its_reason() -> None:
    n, ok, reasons = _attempts(ConfigurationError("chains.file: /x.json line 3 column 2: bad"), fail_times=10)
    assert (n, ok) == (1, False)
    assert len(reasons) == 1 and "line 3 column 2" in reasons[0]


def test_a_bug_fails_at_once() -> None:
    assert _attempts(KeyError("partition"), fail_times=10)[:2] == (1, False)


def test_every_step_of_the_definitions_retries_transient_faults_only() -> None:
    defs = build_definitions()
    job = defs.resolve_job_def(DAILY_JOB)
    wrapped = [getattr(node.definition.compute_fn.decorated_fn, "_transient_only", False)
               for node in job.graph.nodes if hasattr(node.definition, "compute_fn")]
    assert wrapped and all(wrapped)
