"""The engine's id-level results as frames: matches, in transit, discrepancies, one outcome per row."""

from __future__ import annotations

import polars as pl

from recon.discrepancies import AMOUNT_DTYPE, FRAME_SCHEMA
from recon.matching.config import MatchConfig
from recon.money import exact_text, show_expr

_SIGNED = pl.when(pl.col("direction") == "DBIT").then(-pl.col("amount")).otherwise(pl.col("amount"))
MATCH_SCHEMA: dict[str, pl.DataType] = {
    "bank_entry_key": pl.String(), "ledger_txn_id": pl.String(), "reversal_key": pl.String(),
    "account": pl.String(), "currency": pl.String(), "match_key": pl.String(),
    "confidence": pl.Decimal(5, 4), "status": pl.String(), "bank_amount": AMOUNT_DTYPE,
    "ledger_amount": AMOUNT_DTYPE, "pair_side": pl.String(), "match_group": pl.String(),
}


def _signed_at(frame: pl.DataFrame, idx: pl.Series) -> pl.Series:
    return frame.select(pl.col("direction", "amount").gather(idx)).select(_SIGNED).to_series()


def _bank_keys(bank: pl.DataFrame, prefix: str) -> pl.DataFrame:
    return bank.select(pl.col("id").cast(pl.Int64).alias(f"{prefix}_id"),
                       pl.col("entry_key").alias(f"{prefix}_key"), pl.col("account").alias(f"{prefix}_acct"),
                       pl.col("currency").alias(f"{prefix}_ccy"), _SIGNED.alias(f"{prefix}_amt"))


def _ledger_keys(ledger: pl.DataFrame, prefix: str) -> pl.DataFrame:
    return ledger.select(pl.col("id").cast(pl.Int64).alias(f"{prefix}_id"),
                         pl.col("txn_id").alias(f"{prefix}_key"), pl.col("account").alias(f"{prefix}_acct"),
                         pl.col("currency").alias(f"{prefix}_ccy"), _SIGNED.alias(f"{prefix}_amt"))


def matches(bank: pl.DataFrame, ledger: pl.DataFrame, pairs: pl.DataFrame, status: str) -> pl.DataFrame:
    """Pairs of one status. Signed amounts (CRDT positive); a reversal netted on one side fills reversal_key,
    the other key ''."""
    cols = ("b_id", "l_id", "match_key", "confidence", "match_group")
    both = pairs.select(cols).filter((pairs["status"] == status) & pairs["b_id"].is_not_null()
                                     & pairs["l_id"].is_not_null())
    b_idx, l_idx = both["b_id"], both["l_id"]
    # Columns equal on every row stay one value each; a batch id only when a batch pass matched.
    group = pl.lit(None, pl.String()) if both["match_group"].null_count() == both.height else both["match_group"]
    # Row ids are positions in the inputs: gather is a direct lookup, no join. Built column by column with
    # the output's dtypes, so no temporary frame and no cast copy every column.
    direct = pl.select(
        bank_entry_key=bank["entry_key"].gather(b_idx), ledger_txn_id=ledger["txn_id"].gather(l_idx),
        reversal_key=pl.lit(None, pl.String()), account=bank["account"].gather(b_idx),
        currency=bank["currency"].gather(b_idx), match_key=both["match_key"].cast(pl.String()),
        confidence=both["confidence"], status=pl.lit(status), bank_amount=_signed_at(bank, b_idx),
        ledger_amount=_signed_at(ledger, l_idx), pair_side=pl.lit("bank_ledger"), match_group=group,
    )
    direct = direct if direct.schema == pl.Schema(MATCH_SCHEMA) else direct.cast(pl.Schema(MATCH_SCHEMA))
    one_side = pairs.filter((pl.col("status") == status) & (pl.col("b_id").is_null() | pl.col("l_id").is_null()))
    # Unsorted: the set of rows, not their order, is the result (sorting 10M keys costs seconds).
    return pl.concat([direct, _one_side(bank, ledger, one_side)]) if one_side.height else direct


def _one_side(bank: pl.DataFrame, ledger: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    p = (pairs.join(_bank_keys(bank, "b"), on="b_id", how="left")
         .join(_ledger_keys(ledger, "l"), on="l_id", how="left")
         .join(_bank_keys(bank, "rev_b"), on="rev_b_id", how="left")
         .join(_ledger_keys(ledger, "rev_l"), on="rev_l_id", how="left"))
    side = pl.when(pl.col("b_id").is_not_null()).then(pl.lit("bank_bank")).otherwise(pl.lit("ledger_ledger"))
    return p.select(
        pl.col("b_key").fill_null("").alias("bank_entry_key"),
        pl.col("l_key").fill_null("").alias("ledger_txn_id"),
        pl.coalesce("rev_b_key", "rev_l_key").alias("reversal_key"),
        pl.coalesce("b_acct", "l_acct").alias("account"), pl.coalesce("b_ccy", "l_ccy").alias("currency"),
        "match_key", "confidence", "status",
        pl.coalesce(pl.col("b_amt"), -pl.col("rev_b_amt")).alias("bank_amount"),
        pl.coalesce(pl.col("l_amt"), -pl.col("rev_l_amt")).alias("ledger_amount"),
        side.alias("pair_side"), "match_group",
    ).cast(pl.Schema(MATCH_SCHEMA))


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Categorical columns (an input may hold few-valued columns so) as the text the results show."""
    return frame.cast({c: pl.String() for c, t in frame.schema.items() if isinstance(t, pl.Categorical)})


def _rows(bank: pl.DataFrame, ledger: pl.DataFrame) -> pl.DataFrame:
    cols = ["side", "id", "key", "account", "currency", "direction", "amount", "booking_date"]
    return pl.concat([
        bank.select(pl.lit("bank").alias("side"), pl.col("id").cast(pl.Int64), pl.col("entry_key").alias("key"),
                    *cols[3:]),
        ledger.select(pl.lit("ledger").alias("side"), pl.col("id").cast(pl.Int64), pl.col("txn_id").alias("key"),
                      *cols[3:]),
    ])


def _unmatched(bank: pl.DataFrame, ledger: pl.DataFrame, unmatched: pl.DataFrame) -> pl.DataFrame:
    cols = ["account", "currency", "direction", "amount", "booking_date"]
    parts = []
    for code, side, frame, key in (("B", "bank", bank, "entry_key"), ("L", "ledger", ledger, "txn_id")):
        u = unmatched.filter(pl.col("side") == code)
        # Row ids are positions in the inputs: a direct gather, no join with every input row.
        rows = _as_text(frame.select(pl.col(key).alias("key"), *cols)[u["id"].cast(pl.UInt32)])
        parts.append(pl.concat([u.with_columns(pl.lit(side).alias("side")), rows], how="horizontal"))
    return pl.concat(parts)


def in_transit(bank: pl.DataFrame, ledger: pl.DataFrame, unmatched: pl.DataFrame) -> pl.DataFrame:
    """Rows still inside their timing window, carried to the next partition."""
    return (_unmatched(bank, ledger, unmatched.filter(pl.col("state") == "in_transit"))
            .select("side", "key", "account", "currency", "direction", "amount", "booking_date",
                    pl.col("age").cast(pl.Int32).alias("age_business_days"))
            .sort("side", "key"))


def discrepancies(bank: pl.DataFrame, ledger: pl.DataFrame, findings: pl.DataFrame,
                  unmatched: pl.DataFrame, config: MatchConfig) -> pl.DataFrame:
    missing = _unmatched(bank, ledger, unmatched.filter(pl.col("state") != "in_transit")).select(
        pl.col("state").alias("type"), "account", "currency",
        pl.concat_str(pl.col("side"), pl.lit(":"), pl.col("key")).alias("natural_key"),
        pl.col("amount").cast(AMOUNT_DTYPE),
        pl.concat_str(pl.when(pl.col("side") == "bank").then(pl.lit("bank entry ")).otherwise(pl.lit("ledger txn ")),
                      "key", pl.lit(" "), "direction", pl.lit(" "), show_expr("amount", "currency"),
                      pl.lit(" booked "), pl.col("booking_date").cast(pl.String),
                      pl.lit(" unmatched after "), pl.col("age").cast(pl.String),
                      pl.lit(" business days")).alias("summary"),
        pl.struct(side="side", key="key", direction="direction", amount=exact_text("amount", "currency"),
                  booking_date=pl.col("booking_date").cast(pl.String), age_business_days="age")
        .struct.json_encode().alias("details"),
    )
    found = _findings(bank, ledger, findings)
    out = pl.concat([missing, found]).with_columns(
        pl.lit("account").alias("scope_type"), pl.col("account").alias("scope_id"),
        pl.col("type").replace_strict(config.severity, default="significant").alias("severity"),
        pl.lit("record").alias("action"))
    out = out.with_columns(pl.concat_str("type", "scope_type", "scope_id", "natural_key", separator="|")
                           .alias("discrepancy_key"))
    return out.select(list(FRAME_SCHEMA)).cast(pl.Schema(FRAME_SCHEMA)).sort("discrepancy_key")


def _findings(bank: pl.DataFrame, ledger: pl.DataFrame, findings: pl.DataFrame) -> pl.DataFrame:
    f = findings.with_row_index("f")
    keys = {}
    for side, frame, key in (("bank_ids", bank, "entry_key"), ("ledger_ids", ledger, "txn_id")):
        ids = frame.select(pl.col("id").cast(pl.Int64), pl.col(key).alias("k"))
        keys[side] = (f.select("f", pl.col(side).alias("id")).explode("id").drop_nulls("id")
                      .join(ids, on="id").group_by("f").agg(pl.col("k").sort()))
    f = (f.join(keys["bank_ids"].rename({"k": "bank_keys"}), on="f", how="left")
         .join(keys["ledger_ids"].rename({"k": "ledger_keys"}), on="f", how="left"))
    diff = (pl.col("bank_amount") - pl.col("ledger_amount")).abs()
    return f.select(
        "type", "account", "currency", "natural_key",
        pl.when(pl.col("type") == "amount_mismatch").then(diff)
        .otherwise(pl.max_horizontal(pl.col("bank_amount").abs(), pl.col("ledger_amount").abs()))
        .cast(AMOUNT_DTYPE).alias("amount"),
        pl.concat_str("type", pl.lit(" on "), "natural_key", pl.lit(": bank "),
                      show_expr("bank_amount", "currency"), pl.lit(" vs ledger "),
                      show_expr("ledger_amount", "currency")).alias("summary"),
        pl.struct(match_key="match_key", bank_entry_keys=pl.col("bank_keys").fill_null([]),
                  ledger_txn_ids=pl.col("ledger_keys").fill_null([]),
                  bank_amount=exact_text("bank_amount", "currency"),
                  ledger_amount=exact_text("ledger_amount", "currency")).struct.json_encode().alias("details"),
    )


def outcomes(bank: pl.DataFrame, ledger: pl.DataFrame, pairs: pl.DataFrame, findings: pl.DataFrame,
             unmatched: pl.DataFrame) -> pl.DataFrame:
    """Every input row once per place it ended; a correct run has exactly one per row."""
    def ids(col: str, side: str, frame: pl.DataFrame, state: pl.Expr, detail: str) -> pl.DataFrame:
        return frame.select(pl.lit(side).alias("side"), pl.col(col).cast(pl.Int64).alias("id"),
                            state.alias("state"), pl.col(detail).cast(pl.String()).alias("detail")).drop_nulls("id")
    status = pl.when(pl.col("status") == "confirmed").then(pl.lit("matched")).otherwise(pl.lit("proposed"))
    parts = [ids(c, s, pairs, status, "match_key") for c, s in
             (("b_id", "bank"), ("rev_b_id", "bank"), ("l_id", "ledger"), ("rev_l_id", "ledger"))]
    parts = [p.unique() for p in parts]  # a proposed row appears once per candidate
    for col, side in (("bank_ids", "bank"), ("ledger_ids", "ledger")):
        parts.append(ids(col, side, findings.explode(col), pl.lit("discrepancy"), "type"))
    u = unmatched.with_columns(pl.col("side").replace_strict({"B": "bank", "L": "ledger"}))
    parts.append(u.select("side", "id", pl.when(pl.col("state") == "in_transit").then(pl.lit("in_transit"))
                          .otherwise(pl.lit("discrepancy")).alias("state"), pl.col("state").alias("detail")))
    ended = pl.concat(parts).unique(["side", "id", "state", "detail"])
    return _as_text(_rows(bank, ledger)).join(ended, on=["side", "id"], how="left").with_columns(
        _SIGNED.alias("signed_amount"))
