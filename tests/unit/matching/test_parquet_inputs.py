"""Inputs read from Parquet files, split as they arrive, give exactly what the same rows give as frames."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recon.matching import MatchConfig, match_parquet, match_transactions
from tests.unit.matching import test_passes
from tests.unit.matching.builders import MON, bank, ledger
from tests.unit.matching.test_properties import _ROW, _frames

CFG = MatchConfig(as_of=MON)


def _same(a, b) -> None:  # type: ignore[no-untyped-def]
    for name in ("matches", "proposals", "in_transit", "discrepancies"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.sort(x.columns).equals(y.sort(y.columns)), name
    x, y = a.outcomes(), b.outcomes()
    assert x.sort(x.columns).equals(y.sort(y.columns))


def _split(frame: pl.DataFrame, parts: int, folder: Path, side: str) -> list[Path]:
    """Several files (one possibly empty), as a day's inputs arrive in chunks."""
    size = max(1, -(-frame.height // parts))
    paths = []
    for i in range(parts):
        path = folder / f"{side}-{i}.parquet"
        frame.slice(i * size, size).write_parquet(path)
        paths.append(path)
    return paths


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.lists(_ROW, min_size=1, max_size=12), st.lists(_ROW, min_size=1, max_size=12), st.integers(1, 4))
def test_parquet_files_match_like_frames(tmp_path, brows, lrows, parts) -> None:  # type: ignore[no-untyped-def]
    b, lg = _frames(brows, lrows)
    folder = tmp_path / f"p{parts}-{len(brows)}-{len(lrows)}-{abs(hash(str(brows) + str(lrows)))}"
    folder.mkdir()
    got = match_parquet(_split(b, parts, folder, "bank"), _split(lg, parts, folder, "ledger"), CFG)
    _same(got, match_transactions(b, lg, CFG))


def test_a_file_without_a_column_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    b, lg = _frames([{"amount": "1", "direction": "CRDT", "account": "A", "uetr": "u", "end_to_end_id": None,
                      "batch_id": None, "days_back": 0}], [])
    b.drop("uetr").write_parquet(tmp_path / "b.parquet")
    lg.write_parquet(tmp_path / "l.parquet")
    with pytest.raises(ValueError, match="uetr"):
        match_parquet([tmp_path / "b.parquet"], [tmp_path / "l.parquet"], CFG)


@pytest.mark.parametrize("case", test_passes.test_pass.pytestmark[0].args[1], ids=lambda c: "-".join(
    sorted({p[2] for p in c[2]}) or ["none"]))
def test_every_pass_reads_the_same_from_parquet(tmp_path, case) -> None:  # type: ignore[no-untyped-def]
    # Reversals too: a pair of one side joins the input's few-valued columns with themselves.
    b, lg = case[0], case[1]
    b.write_parquet(tmp_path / "b.parquet")
    lg.write_parquet(tmp_path / "l.parquet")
    _same(match_parquet([tmp_path / "b.parquet"], [tmp_path / "l.parquet"], CFG), match_transactions(b, lg, CFG))


def test_columns_beyond_the_schema_are_ignored_even_one_named_id(tmp_path) -> None:  # type: ignore[no-untyped-def]
    b, lg = bank({"entry_key": "b", "amount": 10, "uetr": "u"}), ledger(
        {"txn_id": "l", "amount": 10, "uetr": "u"})
    b.with_columns(id=pl.lit("x"), note=pl.lit("n")).write_parquet(tmp_path / "b.parquet")
    lg.with_columns(id=pl.lit(7)).write_parquet(tmp_path / "l.parquet")
    got = match_parquet([tmp_path / "b.parquet"], [tmp_path / "l.parquet"], CFG)
    _same(got, match_transactions(b, lg, CFG))
    assert got.matches["bank_entry_key"].to_list() == ["b"]
