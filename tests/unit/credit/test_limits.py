"""A line drawn above its limit: principal counts, interest on top of a full draw does not."""

from __future__ import annotations

from dataclasses import replace

from recon.credit.limits import limit_findings
from tests.unit.credit.helpers import D, line


def test_drawn_above_the_limit() -> None:
    at_limit = replace(line("1000"), credit_line_id="AT", credit_limit=D(1000))
    over = replace(line("1000.01"), credit_line_id="OVER", credit_limit=D(1000))
    no_limit = replace(line("5000"), credit_line_id="NONE")
    interest = replace(line("1000"), credit_line_id="INT", credit_limit=D(1000), accrued_interest=D(30))
    found = limit_findings([at_limit, over, no_limit, interest])
    assert [(f.scope_id, f.amount, f.action) for f in found] == [("OVER", D("0.01"), "suspend_payouts")]
