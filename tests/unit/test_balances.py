"""Balance tiers at every edge, the corridors the specification names, and the bank side intraday."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from recon.balances import BalanceRules, Tiers, check_balances, classify, intraday_bank_balance, intraday_bank_balances
from recon.discrepancies import AMOUNT_DTYPE

D = Decimal
T = Tiers()


@pytest.mark.parametrize(("ledger", "bank", "tier"), [
    ("1000000", "1000000", "ok"),
    # Ledger below bank: pct decides. 0.01 % of 1,000,000 is 100, inclusive.
    ("999900", "1000000", "ok"),
    ("999899.99", "1000000", "minor"),
    ("999500", "1000000", "minor"),  # 0.05 % exactly
    ("999499.99", "1000000", "significant"),
    ("995000", "1000000", "significant"),  # 0.5 % exactly
    ("994999.99", "1000000", "critical"),
    # Ledger above bank within the rounding tolerance: pct decides; beyond it: critical at any pct.
    ("1000000.01", "1000000", "ok"),
    ("1000000.02", "1000000", "critical"),
    # 5M AED corridor, ledger short by 2,500 (0.05 %): minor.
    ("4997500", "5000000", "minor"),
    # 100M INR corridor: a 50,000 shortfall is 0.05 %, one paisa more is significant.
    ("99950000", "100000000", "minor"),
    ("99949999.99", "100000000", "significant"),
    # Zero balances: OK only when both are zero.
    ("0", "0", "ok"),
    ("0.00000001", "0", "critical"),
    ("-5", "0", "critical"),
    # A new account's first funding booked at the bank, not yet in the ledger: 100 % short.
    ("0", "250000", "critical"),
    # 8-decimal amounts: 0.01 % of 1.00000000 is 0.0001.
    ("0.99990000", "1.00000000", "ok"),
    ("0.99989999", "1.00000000", "minor"),
])
def test_tier(ledger: str, bank: str, tier: str) -> None:
    assert classify(D(ledger), D(bank), T).tier == tier


def test_actions_follow_tiers() -> None:
    assert classify(D("994999"), D("1000000"), T).action == "circuit_breaker"
    assert classify(D("999000"), D("1000000"), T).action == "suspend_payouts"
    assert classify(D("999800"), D("1000000"), T).action == "record"
    assert classify(D(1), D(1), T).action == "none"


@pytest.mark.parametrize(("ledger", "bank"), [(None, D(1)), (D(1), None), (None, None)])
def test_a_missing_balance_is_unknown_never_ok(ledger: Decimal | None, bank: Decimal | None) -> None:
    assert classify(ledger, bank, T).tier == "unknown"


def test_pct_is_exact_half_even_on_the_bank_base() -> None:
    v = classify(D("2"), D("3"), T)
    assert v.diff == D("-1") and v.pct == D("33.3333333333")


def test_rules_per_account_and_currency() -> None:
    # A thin JPY corridor tolerates 1 yen of rounding above bank; one account is held to zero tolerance.
    rules = BalanceRules(per_currency={"JPY": Tiers(rounding_tolerance=D(1))},
                         per_account={"STRICT": Tiers(ok_pct=D(0), rounding_tolerance=D(0))})
    assert classify(D(1000001), D(1000000), rules.tiers("X", "JPY")).tier == "ok"
    assert classify(D("100.00000001"), D(100), rules.tiers("STRICT", "EUR")).tier == "critical"


def test_intraday_bank_balance() -> None:
    assert intraday_bank_balance(D("100.5"), [D("10"), D("-0.25")]) == D("110.25")
    assert intraday_bank_balance(None, [D(1)]) is None  # no statement yet: unknown, not 1
    closing = pl.DataFrame({"account": ["A", "B"], "currency": ["EUR", "EUR"],
                            "balance": [D("100"), D("5")]}, schema_overrides={"balance": AMOUNT_DTYPE})
    moves = pl.DataFrame({"account": ["A", "A", "C"], "currency": ["EUR"] * 3,
                          "direction": ["CRDT", "DBIT", "CRDT"], "amount": [D("10"), D("2.5"), D(1)]},
                         schema_overrides={"amount": AMOUNT_DTYPE})
    got = intraday_bank_balances(closing, moves).sort("account")
    assert got["balance"].to_list() == [D("107.5"), D("5")]


def test_check_balances_frames() -> None:
    schema = {"account": pl.String(), "currency": pl.String(), "balance": AMOUNT_DTYPE}
    ledger = pl.DataFrame({"account": ["A", "B", "C"], "currency": ["AED"] * 3,
                           "balance": [D("5000000"), D("1"), D("7")]}, schema=schema)
    bank = pl.DataFrame({"account": ["A", "B", "D"], "currency": ["AED"] * 3,
                         "balance": [D("4900000"), D("1"), D("3")]}, schema=schema)
    checks, found = check_balances(ledger, bank, BalanceRules())
    assert dict(zip(checks["account"], checks["tier"], strict=True)) == {
        "A": "critical", "B": "ok", "C": "unknown", "D": "unknown"}
    assert sorted(found["type"].to_list()) == ["balance_mismatch", "source_unavailable", "source_unavailable"]
    assert found.filter(pl.col("type") == "balance_mismatch")["action"].to_list() == ["circuit_breaker"]
    assert set(found.filter(pl.col("type") == "source_unavailable")["severity"]) == {"unknown"}
