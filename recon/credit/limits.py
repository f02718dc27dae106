"""`credit_limit_exceeded`: a line drawn (outstanding principal) above its credit limit. Interest accrued
on top of a fully drawn line is not a draw and does not count. A line without a limit is not checked."""

from __future__ import annotations

from collections.abc import Sequence

from recon.credit.model import CreditLine
from recon.discrepancies import Discrepancy


def limit_findings(lines: Sequence[CreditLine]) -> list[Discrepancy]:
    out = []
    for ln in lines:
        if ln.credit_limit is None or ln.principal <= ln.credit_limit:
            continue
        over = ln.principal - ln.credit_limit
        out.append(Discrepancy(
            "credit_limit_exceeded", "credit_line", ln.credit_line_id, natural_key="limit",
            severity="significant", action="suspend_payouts", currency=ln.currency, amount=over,
            summary=f"credit line {ln.credit_line_id}: drawn {ln.principal} {ln.currency} against a limit of "
                    f"{ln.credit_limit}, {over} over; no further draws until repaid or the limit is raised",
            details={"drawn": ln.principal, "credit_limit": ln.credit_limit, "over": over,
                     "accrued_interest": ln.accrued_interest, "user_id": ln.user_id}))
    return out
