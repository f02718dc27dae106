"""The decimals the ledger sent, carried to the rows stored from its values (`<column>_scale`, which
recon.stored_amounts uses to store each value as sent)."""

from __future__ import annotations

import polars as pl


def with_sent_scale(rows: pl.DataFrame, on: dict[str, str], source: pl.DataFrame, scale: str,
                    name: str) -> pl.DataFrame:
    """`rows` with `name`: the `scale` of the `source` row(s) they came from, joined on {rows column:
    source column}. Where several source rows share a key, the largest scale: cutting a value to it never
    drops a digit that is not zero. Rows without a source row get null (their currency's scale)."""
    if scale not in source.columns or not rows.height:
        return rows
    keys = list(on.values())
    scales = source.group_by(keys).agg(pl.col(scale).max().alias(name)).rename(
        {src: dst for dst, src in on.items()})
    return rows.join(scales, on=list(on), how="left", nulls_equal=False)
