"""One account's bank position against the ledger now, in the four tiers of recon.balances, with the
same discrepancy keys the intraday and daily checks use (so all three share one lifecycle)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from recon.balances import BalanceRules, check_balances
from recon.discrepancies import AMOUNT_DTYPE

_FRAME = {"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE}
FLAG_KIND = {"circuit_breaker": "circuit_breaker", "suspend_payouts": "payout_suspension"}


@dataclass(frozen=True)
class AccountCheck:
    tier: str
    action: str
    diff: Decimal | None
    pct: Decimal | None
    reason: str
    found: pl.DataFrame  # discrepancy frame (recon.discrepancies.FRAME_SCHEMA), empty when ok

    @property
    def discrepancy_key(self) -> str | None:
        return self.found["discrepancy_key"][0] if self.found.height else None


def check_account(account: str, currency: str, ledger: Decimal | None, bank: Decimal | None,
                  in_ledger: bool, rules: BalanceRules | None = None) -> AccountCheck:
    """ledger None: the ledger has no such account (or could not be read); bank None: no statement yet."""
    ledger_rows = [] if ledger is None else [{"account": account, "currency": currency, "balance": ledger}]
    bank_rows = [{"account": account, "currency": currency, "balance": bank}]
    checks, found = check_balances(pl.DataFrame(ledger_rows, schema=_FRAME), pl.DataFrame(bank_rows, schema=_FRAME),
                                   rules or BalanceRules())
    row = checks.row(0, named=True)
    if not in_ledger:
        reason = f"{account} {currency} is not an account of the ledger"
    elif bank is None:
        reason = "no camt.053 closing balance before this notification: the bank position is unknown"
    elif ledger is None:
        reason = "the ledger could not be read"
    else:
        reason = found["summary"][0] if found.height else "within tolerance"
    return AccountCheck(row["tier"], row["action"], row["diff"], row["pct"], reason, found)
