"""The bank position inside a business day: each account's last camt.053 closing balance plus the
booked camt.054 movements notified since, up to the end of a window."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from recon.balances import intraday_bank_balances
from recon.discrepancies import AMOUNT_DTYPE
from resources.warehouse import Warehouse

_LAST_CLOSING = """
SELECT DISTINCT ON (account, currency) account, currency, closing_balance AS balance, business_date AS closed_on
FROM recon.bank_statements
WHERE message_type LIKE 'camt.053%' AND business_date < :d AND closing_balance IS NOT NULL
ORDER BY account, currency, business_date DESC, coalesce(statement_created_at, created_at) DESC NULLS LAST
"""

# One row per booked notification entry (a batch's TxDtls rows share their entry's amount).
_BOOKED_SINCE = """
SELECT DISTINCT ON (e.statement_key, e.entry_seq) e.account, e.entry_currency AS currency,
       e.entry_direction AS direction, e.entry_amount AS amount, e.business_date
FROM recon.bank_entries e JOIN recon.bank_statements s USING (statement_key)
WHERE e.message_type LIKE 'camt.054%' AND e.status = 'BOOK' AND e.business_date <= :d
  AND e.business_date > :after
  AND coalesce(s.statement_created_at, s.created_at) < :end
"""

POSITION = {"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE, "closed_on": pl.Date()}
_MOVE = {"account": pl.String(), "currency": pl.String(), "direction": pl.String(), "amount": AMOUNT_DTYPE}


def bank_position(wh: Warehouse, day: date, end: datetime) -> tuple[pl.DataFrame, int]:
    """Per account and currency (POSITION; `closed_on` is the statement's date), and how many
    notified movements went into it. An account without a statement before `day` has no row."""
    closing = wh.query(_LAST_CLOSING, d=day)
    closing = closing.select(pl.col("account"), pl.col("currency"), pl.col("balance").cast(AMOUNT_DTYPE),
                             pl.col("closed_on")) if closing.height else pl.DataFrame(schema=POSITION)
    # Only what is newer than the oldest last statement: the cost follows what is new, not the history.
    after = closing["closed_on"].min() if closing.height else day
    moves = wh.query(_BOOKED_SINCE, d=day, end=end, after=after)
    moves = (moves.join(closing.select("account", "currency", "closed_on"), on=["account", "currency"])
             .filter(pl.col("business_date") > pl.col("closed_on"))
             .select(list(_MOVE)).cast({"amount": AMOUNT_DTYPE})) if moves.height else pl.DataFrame(schema=_MOVE)
    balances = intraday_bank_balances(closing.select("account", "currency", "balance"), moves)
    position = balances.join(closing.select("account", "currency", "closed_on"), on=["account", "currency"],
                             how="left")
    return position.select(list(POSITION)), moves.height
