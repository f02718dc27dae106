"""The per-chain reserve ledger against its redemption log: each break fires, consistent books stay quiet."""

from __future__ import annotations

from decimal import Decimal

import pytest

from recon.reserves.config import RedemptionChain, ReservesConfig
from recon.reserves.redemption_log import audit_log
from recon.sources import NotConfigured

from .reserve_books import D, ledger, op, operations, redemption, redemptions

# Both chains configured with their reserve at launch, as an issuer's file states them.
CONFIG = ReservesConfig(redemption_chains=(RedemptionChain("ethereum", 1, D(100000)),
                                           RedemptionChain("base", 8453, D(100000))))


def checks(result) -> list[str]:
    return sorted(f.details.get("check", f.type) for f in result.findings)


def consistent_log() -> list[dict]:
    return [
        redemption("r1", "100", "100000", "99900", 1),
        redemption("t1", "50", "99900", "99900", 2, test=True),  # test mode: reserve unchanged
        redemption("r2", "250.5", "99900", "99649.5", 3),
        redemption("b1", "10", "100000", "99990", 1, chain_id=8453),
    ]


def test_consistent_books_are_quiet() -> None:
    result = audit_log(CONFIG, ledger((1, "99649.5"), (8453, "99990")), redemptions(*consistent_log()),
                       operations())
    assert result.findings == []
    eth = next(c for c in result.chains if c.chain == "ethereum")
    # the test redemption is in no real figure
    assert (eth.real_count, eth.real_amount, eth.test_count, eth.test_amount) == (2, D("350.5"), 1, D(50))
    assert eth.expected_reserve == D("99649.5")


def test_arithmetic_break() -> None:
    rows = consistent_log()
    rows[2] = redemption("r2", "250.5", "99900", "99650", 3)  # after != before - amount
    result = audit_log(CONFIG, ledger((1, "99650"), (8453, "99990")), redemptions(*rows), operations())
    # reported once, and the ledger (which followed the wrong arithmetic) disagrees with the formula
    assert checks(result) == ["arithmetic", "current_reserve"]


def test_chain_break_reported_once() -> None:
    # r2 starts from a figure the previous row did not leave; r3 continues correctly from r2.
    rows = [redemption("r1", "100", "100000", "99900", 1), redemption("r2", "100", "99800", "99700", 2),
            redemption("r3", "100", "99700", "99600", 3)]
    result = audit_log(CONFIG, ledger((1, "99700"), (8453, "100000")), redemptions(*rows), operations())
    assert checks(result) == ["chain_break"]
    assert result.findings[0].amount == D(-100)


def test_test_mode_must_leave_reserve_unchanged() -> None:
    rows = [redemption("t1", "50", "100000", "99950", 1, test=True)]
    result = audit_log(CONFIG, ledger((1, "100000"), (8453, "100000")), redemptions(*rows), operations())
    assert checks(result) == ["test_changed_reserve"]


def test_test_mode_counted_as_real_in_ledger_is_caught() -> None:
    # The service booked a test redemption against the real reserve: the ledger is 50 short.
    rows = [redemption("t1", "50", "100000", "100000", 1, test=True)]
    result = audit_log(CONFIG, ledger((1, "99950"), (8453, "100000")), redemptions(*rows), operations())
    assert checks(result) == ["current_reserve"]


def test_top_ups_enter_the_chain_and_the_current_reserve() -> None:
    rows = [redemption("r1", "100", "100000", "99900", 1), redemption("r2", "100", "100900", "100800", 3)]
    tops = operations(op("o1", "USDT:crypto", "top_up", "1000", "topup-1", 2, chain_id=1))
    result = audit_log(CONFIG, ledger((1, "100800"), (8453, "100000")), redemptions(*rows), tops)
    assert result.findings == []
    # Without the top-up the same log breaks and the ledger is off by it.
    result = audit_log(CONFIG, ledger((1, "100800"), (8453, "100000")), redemptions(*rows), operations())
    assert checks(result) == ["chain_break", "current_reserve"]


def test_redemption_above_reserve_must_have_been_refused() -> None:
    small = ReservesConfig(redemption_chains=(RedemptionChain("ethereum", 1, initial_reserve=D(100)),))
    executed = [redemption("r1", "150", "100", "-50", 1)]
    result = audit_log(small, ledger((1, "-50")), redemptions(*executed), operations())
    assert checks(result) == ["negative_reserve", "negative_reserve", "not_refused"]
    # Refused as it should be: nothing moved, nothing to report.
    refused = [redemption("r1", "150", "100", "100", 1, status="refused")]
    result = audit_log(small, ledger((1, "100")), redemptions(*refused), operations())
    assert result.findings == []
    assert result.chains[0].refused_count == 1


def test_duplicate_hash_across_real_redemptions() -> None:
    rows = [redemption("r1", "100", "100000", "99900", 1, tx="0x" + "ab" * 32),
            redemption("r2", "100", "99900", "99800", 2, tx="0x" + "AB" * 32)]  # same hash, other case
    result = audit_log(CONFIG, ledger((1, "99800"), (8453, "100000")), redemptions(*rows), operations())
    assert [f.type for f in result.findings] == ["redemption_unverified"]
    assert result.findings[0].natural_key == "duplicate_hash:0x" + "ab" * 32
    assert result.findings[0].amount == Decimal(200)


def test_missing_ledger_row_is_reported() -> None:
    result = audit_log(CONFIG, ledger((1, "100000")), redemptions(*consistent_log()[:1]), operations())
    assert ("ledger_rows", "base") in [(f.details["check"], f.scope_id) for f in result.findings]


def test_books_are_never_audited_without_configured_chains() -> None:
    # No redemption_chains key: the starting reserves are unknown, so no figure is assumed and nothing judged.
    with pytest.raises(NotConfigured, match="redemption_chains is not configured"):
        audit_log(ReservesConfig(), ledger((1, "99649.5")), redemptions(*consistent_log()), operations())
