"""Link camt.054 / camt.052 movements to the camt.053 entry that later books them.

Passes, strongest key first, each taking only what is still unlinked: AcctSvcrRef, NtryRef,
UETR, EndToEndId (never NOTPROVIDED). A key links only when it names exactly one row on each
side for the account, and direction and amount agree; anything ambiguous stays unlinked.
"""

from __future__ import annotations

import polars as pl

from recon.camt.schemas import LINKS

KEYS = ("acct_svcr_ref", "entry_ref", "uetr", "end_to_end_id")
_PLACEHOLDERS = ("NOTPROVIDED", "NOT PROVIDED")
_COLS = ["entry_key", "account", "direction", "amount", *KEYS]


def _usable(rows: pl.DataFrame, key: str) -> pl.DataFrame:
    keyed = rows.filter(pl.col(key).is_not_null() & ~pl.col(key).str.to_uppercase()
                        .is_in(_PLACEHOLDERS))
    # a key seen twice for one account cannot say which movement it is
    return keyed.filter(pl.len().over("account", key) == 1)


def link_movements(notifications: pl.DataFrame, statements: pl.DataFrame) -> pl.DataFrame:
    """notification entry -> statement entry pairs, with the key that linked them."""
    pending = notifications.select(_COLS)
    booked = statements.select(_COLS)
    links = []
    for key in KEYS:
        if pending.is_empty() or booked.is_empty():
            break
        pairs = _usable(pending, key).join(
            _usable(booked, key), on=["account", key], suffix="_stmt"
        ).filter(
            (pl.col("direction") == pl.col("direction_stmt"))
            & (pl.col("amount").is_null() | pl.col("amount_stmt").is_null()
               | (pl.col("amount") == pl.col("amount_stmt")))
        ).select(
            pl.col("entry_key").alias("notification_entry_key"),
            pl.col("entry_key_stmt").alias("statement_entry_key"),
            pl.lit(key).alias("matched_on"),
            "account",
        )
        links.append(pairs)
        pending = pending.join(pairs, left_on="entry_key", right_on="notification_entry_key",
                               how="anti")
        booked = booked.join(pairs, left_on="entry_key", right_on="statement_entry_key",
                             how="anti")
    if not links:
        return pl.DataFrame(schema=LINKS)
    return pl.concat(links).select(list(LINKS)).cast(LINKS)  # type: ignore[arg-type]
