"""Run every matching pass over two frames in one DuckDB connection; each pass sees only what is open.

Order, strongest key first: UETR, EndToEndId, bank reference, batch, reversal netting, then amount +
direction + business-day window. A row settled by a pass (matched, proposed or part of a
discrepancy) leaves the open sets, so it ends in exactly one outcome.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow.parquet as pq

from recon.matching.config import MatchConfig
from recon.matching.frames import BANK_SCHEMA, LEDGER_SCHEMA
from recon.matching.outputs import discrepancies, in_transit, matches, outcomes
from recon.sql import duckdb_sql as sql

_PARAM = re.compile(r"\$([a-z_]+)")
_SETUP = ("create_business_day_macro", "prepare_bank_rest", "prepare_ledger_rest", "create_bank_src_view",
          "create_ledger_src_view", "create_match_pairs", "create_match_findings", "create_kept_ids")
# Strict payment-id passes: (match key, SQL that collects its hits, SQL that narrows the open rows after it).
# Their settled rows are every row of a key value carried more than once, so only the few rows left open
# are named. The inputs are scanned twice: for the UETR pass, then to store the rows it left open.
_ID_PASSES = (("uetr", "match_by_uetr", ("store_bank_open", "store_ledger_open", "create_bank_rest_view",
                                         "create_ledger_rest_view")),
              ("end_to_end_id", "match_by_end_to_end_id", ("narrow_bank_open_by_end_to_end_id",
                                                           "narrow_ledger_open_by_end_to_end_id")))


@dataclass(frozen=True)
class MatchResult:
    """Frames for the warehouse; `pairs`, `findings` and `unmatched` are the engine's id-level view."""

    bank: pl.DataFrame
    ledger: pl.DataFrame
    pairs: pl.DataFrame
    findings: pl.DataFrame
    unmatched: pl.DataFrame
    config: MatchConfig

    @property
    def matches(self) -> pl.DataFrame:
        return matches(self.bank, self.ledger, self.pairs, "confirmed")

    @property
    def proposals(self) -> pl.DataFrame:
        return matches(self.bank, self.ledger, self.pairs, "proposed")

    @property
    def in_transit(self) -> pl.DataFrame:
        return in_transit(self.bank, self.ledger, self.unmatched)

    @property
    def discrepancies(self) -> pl.DataFrame:
        return discrepancies(self.bank, self.ledger, self.findings, self.unmatched, self.config)

    def outcomes(self) -> pl.DataFrame:
        """One row per input row: side, key, amount (signed) and where it ended."""
        return outcomes(self.bank, self.ledger, self.pairs, self.findings, self.unmatched)


class _Runner:
    def __init__(self, con: duckdb.DuckDBPyConnection, config: MatchConfig) -> None:
        self.con = con
        self.config = config

    def __call__(self, name: str, **params: Any) -> None:
        text = sql(name)
        self.con.execute(text, self._params(text, params))

    def row(self, name: str) -> tuple[Any, ...]:
        text = sql(name)
        (found,) = self.con.execute(text, self._params(text, {})).fetchall()
        return found

    def frame(self, name: str) -> pl.DataFrame:
        text = sql(name)
        return self.con.sql(text, params=self._params(text, {})).pl()

    def _params(self, text: str, params: dict[str, Any]) -> dict[str, Any] | None:
        needed = set(_PARAM.findall(text))
        values = {**self._defaults(), **params}
        return {k: values[k] for k in needed} if needed else None

    def _defaults(self) -> dict[str, Any]:
        c = self.config
        return {"tol_abs": c.tolerance_abs, "tol_pct": c.tolerance_pct, "window": c.date_window_days,
                "timing": c.timing_window_days, "as_of": c.as_of,
                "same_day": c.confidence["amount_date_same_day"],
                "within_window": c.confidence["amount_date_window"], "proposal": c.confidence["proposal"]}


def match_transactions(bank: pl.DataFrame, ledger: pl.DataFrame, config: MatchConfig) -> MatchResult:
    """Match bank movements (BANK_SCHEMA) against ledger transactions (LEDGER_SCHEMA)."""
    bank = _with_ids(_conform(bank, BANK_SCHEMA, "bank"))
    ledger = _with_ids(_conform(ledger, LEDGER_SCHEMA, "ledger"))
    con = duckdb.connect(config=config.duckdb_settings())
    try:
        # String views as Polars holds them, chunks aligned: DuckDB scans the frames in place, no copy.
        con.register("bank_in", bank.to_arrow(compat_level=pl.CompatLevel.newest()))
        con.register("ledger_in", ledger.to_arrow(compat_level=pl.CompatLevel.newest()))
        pairs, findings, unmatched = _run(_Runner(con, config))
    finally:
        con.close()
    return MatchResult(bank, ledger, pairs, findings, unmatched, config)


def match_parquet(bank_files: Sequence[str | Path], ledger_files: Sequence[str | Path],
                  config: MatchConfig) -> MatchResult:
    """As match_transactions, with each side in Parquet files (BANK_SCHEMA / LEDGER_SCHEMA columns, any
    others ignored), as they arrive: DuckDB scans the files for the passes, so memory does not grow with
    the inputs; a row's id is its position across the side's files in the order given. Only the columns
    the results show are read into Polars, after the passes."""
    sides = {"bank": ([str(f) for f in bank_files], BANK_SCHEMA, _BANK_SHOWN),
             "ledger": ([str(f) for f in ledger_files], LEDGER_SCHEMA, _LEDGER_SHOWN)}
    con = duckdb.connect(config=config.duckdb_settings())
    try:
        for side, (files, schema, _) in sides.items():
            bases = _check_parquet(files, schema, side)
            con.execute(f"SET VARIABLE {side}_files = $files", {"files": files})
            con.execute(f"SET VARIABLE {side}_bases = $bases", {"bases": bases})
        run = _Runner(con, config)
        run("create_bank_in_from_parquet")
        run("create_ledger_in_from_parquet")
        pairs, findings, unmatched = _run(run)
    finally:
        con.close()
    frames = [_shown(files, schema, shown) for files, schema, shown in sides.values()]
    return MatchResult(frames[0], frames[1], pairs, findings, unmatched, config)


# What the result frames show of each input row (matches, in transit, discrepancies, outcomes).
_BANK_SHOWN = ("entry_key", "account", "currency", "direction", "amount", "booking_date")
_LEDGER_SHOWN = ("txn_id", "account", "currency", "direction", "amount", "booking_date")
# Few distinct values each: held as categoricals (4 bytes a row instead of 16); the results show text.
_FEW_VALUES = ("account", "currency", "direction")


def _check_parquet(files: list[str], schema: dict[str, pl.DataType], side: str) -> list[int]:
    """The files' columns against the side's schema; the position of each file's first row."""
    bases, at = [], 0
    for f in files:
        found = pl.read_parquet_schema(f)
        _conform(pl.DataFrame(schema=found), schema, f"{side} file {f}:")
        bases.append(at)
        at += pq.read_metadata(f).num_rows
    if at >= 2**32:
        raise ValueError(f"{side}: {at} rows; at most {2**32 - 1} per side")
    return bases


def _shown(files: list[str], schema: dict[str, pl.DataType], shown: tuple[str, ...]) -> pl.DataFrame:
    if not files:
        return _with_ids(pl.DataFrame(schema={c: schema[c] for c in shown}))
    frame = pl.read_parquet(files, columns=list(shown))
    # One chunk per column (a gather over one chunk per file is several times slower), column by column so
    # only one column is ever held twice.
    return _with_ids(pl.DataFrame([frame.drop_in_place(c).cast(pl.Categorical() if c in _FEW_VALUES else schema[c])
                                   .rechunk() for c in shown]))


def _run(run: _Runner) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Every pass over bank_in and ledger_in (each with a UINTEGER id), strongest key first."""
    for name in _SETUP:
        run(name)
    conf = run.config.confidence
    for key, collect, narrow in _ID_PASSES:
        run(collect)
        run("group_id_hits")
        run("insert_key_matches", match_key=key, confidence=conf[key])
        run("insert_key_mismatches", match_key=key)
        run("insert_key_duplicates", match_key=key)
        run("insert_kept_ids", match_key=key)
        for name in narrow:
            run(name)
    run("match_by_bank_reference")
    run("group_key_hits")
    run("insert_reference_matches", match_key="bank_reference", confidence=conf["bank_reference"])
    run("insert_reference_mismatches", match_key="bank_reference")
    _settle(run, "bank_reference")
    run("match_by_batch")
    run("group_key_hits")
    run("insert_batch_matches", confidence=conf["batch"])
    run("insert_batch_mismatches")
    _settle(run, "batch")
    run("match_bank_reversals", confidence=conf["reversal"])
    run("match_ledger_reversals", confidence=conf["reversal"])
    _settle(run, "reversal")
    run("match_by_amount_date")
    run("insert_amount_date_matches")
    run("insert_amount_date_proposals")
    _settle(run, "amount_date")
    return run.frame("list_pairs"), run.frame("list_findings"), run.frame("list_unmatched_items")


def _settle(run: _Runner, key: str) -> None:
    run("collect_pass_ids", match_key=key)
    settled = run.row("count_pass_ids")
    for side, n in zip(("bank", "ledger"), settled, strict=True):
        if n:
            run(f"shrink_{side}_rest")


def _with_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """Row positions as `id`, chunked like the other columns so the frame goes to Arrow without a copy."""
    lengths = frame.get_column(frame.columns[0]).chunk_lengths() if frame.width else [frame.height]
    starts = [sum(lengths[:i]) for i in range(len(lengths))]
    ids = pl.concat([pl.int_range(s, s + n, dtype=pl.UInt32, eager=True) for s, n in zip(starts, lengths,
                                                                                        strict=True)]
                    or [pl.Series(dtype=pl.UInt32)], rechunk=False)
    return frame.with_columns(ids.alias("id")).select("id", *frame.columns)


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType], side: str) -> pl.DataFrame:
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ValueError(f"{side} frame lacks column(s) {missing}; expected {list(schema)}")
    for col, dtype in schema.items():
        if frame.schema[col] != dtype and (frame.schema[col].is_float() or (dtype.is_decimal()
                                           and not frame.schema[col].is_decimal())):
            raise ValueError(f"{side} column {col} is {frame.schema[col]}; expected {dtype}")
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])
