"""One account's bank position against the ledger now, in the four tiers of recon.balances, with the
same discrepancy keys the intraday and daily checks use (so all three share one lifecycle)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from recon.balances import BalanceRules, balance_finding, classify
from recon.discrepancies import Discrepancy


@dataclass(frozen=True)
class AccountCheck:
    tier: str
    action: str
    diff: Decimal | None
    pct: Decimal | None
    reason: str
    finding: Discrepancy | None  # None when OK

    @property
    def discrepancy_key(self) -> str | None:
        return self.finding.key if self.finding else None


def check_account(account: str, currency: str, ledger: Decimal | None, bank: Decimal | None,
                  in_ledger: bool, rules: BalanceRules | None = None) -> AccountCheck:
    """ledger None: the ledger has no such account (or could not be read); bank None: no statement yet."""
    v = classify(ledger, bank, (rules or BalanceRules()).tiers(account, currency), currency)
    finding = balance_finding(account, currency, ledger, bank, v)
    if not in_ledger:
        reason = f"{account} {currency} is not an account of the ledger"
    elif bank is None:
        reason = "no camt.053 closing balance before this notification: the bank position is unknown"
    elif ledger is None:
        reason = "the ledger could not be read"
    else:
        reason = finding.summary if finding else "within tolerance"
    return AccountCheck(v.tier, v.action, v.diff, v.pct, reason, finding)
