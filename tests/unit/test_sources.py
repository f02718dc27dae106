"""Source reads as states: what is retried, what is not, and what a configuration error says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recon import sources as S


def _failing(exc: Exception, calls: list[int]):  # type: ignore[no-untyped-def]
    def fn() -> None:
        calls.append(1)
        raise exc
    return fn


@pytest.mark.parametrize(("exc", "state", "attempts"), [
    (TimeoutError("read timed out"), S.UNAVAILABLE, 3),            # transient: retried, within a bound
    (ConnectionRefusedError("connection refused"), S.UNAVAILABLE, 3),
    (S.ConfigurationError("chains.json line 3 column 5"), S.UNAVAILABLE, 1),  # retrying cannot help
    (FileNotFoundError("reserves.json"), S.UNAVAILABLE, 1),
    (S.NotConfigured("RECON_RESERVES_CONFIG is not set"), S.NOT_CONFIGURED, 1),  # a state, not an outage
    (ValueError("column amount is not a number"), S.UNAVAILABLE, 1),
])
def test_failures_become_states(exc: Exception, state: str, attempts: int) -> None:
    calls: list[int] = []
    got = S.read_or_unknown("src", _failing(exc, calls), "2026-11-13T23:59:59Z", sleep=lambda _: None)
    assert (got.state, got.value, len(calls)) == (state, None, attempts)
    assert got.reason


def test_a_transient_fault_that_passes_gives_a_complete_read_at_its_cutoff() -> None:
    calls: list[int] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 2:
            raise TimeoutError("timed out")
        return "rows"
    got = S.read_or_unknown("src", flaky, "T", sleep=lambda _: None)
    assert (got.state, got.value, got.cutoff) == (S.COMPLETE, "rows", "T")


def test_bad_json_names_its_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "chains.json"
    path.write_text('{"evm": [\n  {"name": "ethereum"\n   "chain_id": 1}]}')
    with pytest.raises(S.ConfigurationError, match=r"chains.json line 3 column 4"):
        S.load_json(str(path), "RECON_CHAIN_CONFIG")
    with pytest.raises(S.ConfigurationError, match="cannot read"):
        S.load_json(str(tmp_path / "none.json"), "RECON_CHAIN_CONFIG")
    with pytest.raises(S.NotConfigured, match="RECON_CHAIN_CONFIG is not set"):
        S.load_json("", "RECON_CHAIN_CONFIG")  # never Path(""), the working directory
    path.write_text(json.dumps({"evm": []}))
    assert S.load_json(str(path), "RECON_CHAIN_CONFIG") == {"evm": []}


def test_only_outages_open_a_finding_and_the_weakest_state_wins() -> None:
    reads = [S.complete("a", 1, "T"), S.unavailable("b", "down"), S.not_configured("c", "unset"),
             S.partial("d", 1, "T", ["USDT"], "one asset unread")]
    assert [f.scope_id for f in S.unavailable_findings(reads)] == ["b", "d"]
    assert S.overall_state(reads) == S.UNAVAILABLE
    assert S.overall_state(reads[:1]) == S.COMPLETE
