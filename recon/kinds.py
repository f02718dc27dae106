"""The vocabulary of findings, without dependencies: the command line offers these as choices."""

from __future__ import annotations

TYPES = (
    "missing_in_ledger",
    "missing_at_bank",
    "duplicate_txn",
    "amount_mismatch",
    "balance_mismatch",
    "statement_unbalanced",
    "backing_shortfall",
    "supply_mismatch",
    "holder_balance_mismatch",
    "reserve_ledger_inconsistent",
    "redemption_unverified",
    "stale_reserve_lock",
    "utilization_level",
    "ltv_breach",
    "unmatched_repayment",
    "source_unavailable",
    "statement_changed",
    "extra_statement",
    "low_reserve",
    "redemption_rate",
    "redemption_failures",
    "reserve_book_invalid",
    "reserve_movement_unmatched",
    "credit_limit_exceeded",
    "liquidation_not_executed",
)
SEVERITIES = ("ok", "minor", "significant", "critical", "unknown")
STATUSES = ("open", "acknowledged", "escalated", "resolved")
OPEN_STATUSES = ("open", "acknowledged", "escalated")  # not resolved: bound as :open_statuses in queries
PEOPLE_STATUSES = ("acknowledged", "resolved", "escalated")  # what a person may set
