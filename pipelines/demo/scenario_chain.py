"""The demo's token side: RUSD on `ethereum`, `base` and Stellar, its redemptions and reserve books,
and the anomalies injected there. All on-chain activity predates the demo week, so every business
day sees the same chain state and the findings hold from Monday to Friday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from pipelines.demo.scenario import BY_KEY, Anomaly

TOKEN, DECIMALS = "RUSD", 6
GENESIS = datetime(2026, 11, 2, tzinfo=UTC)  # the Monday before the demo week
EVM_CHAINS = {"ethereum": 1, "base": 8453}
TREASURY_INVENTORY = Decimal("500000")  # minted to the treasury, not in circulation
# Custodial users and what was minted to them (against USD received in the reserve account).
USERS = {
    "ethereum": {"eth-user-1": Decimal("1500000"), "eth-user-2": Decimal("1500000"),
                 "eth-user-3": Decimal("1500000"), "eth-user-4": Decimal("1500000")},
    "base": {"base-user-1": Decimal("1000000"), "base-user-2": Decimal("1000000"),
             "base-user-3": Decimal("1000000")},
    "stellar": {"xlm-user-1": Decimal("400000"), "xlm-user-2": Decimal("350000"),
                "xlm-user-3": Decimal("250000")},
}
# Minted on base to a market maker with no USD behind it: the token is under-backed.
UNBACKED_MINT = ("base", "market-maker", Decimal("150000"))
HOLDER_DRIFT = ("ethereum", "eth-user-4", Decimal("250"))  # the custodial book says 250 more


@dataclass(frozen=True)
class Redemption:
    redemption_id: str
    chain: str
    user: str
    amount: Decimal
    at: datetime
    kind: str = "real"  # real (a transfer on chain) | fake (a hash nobody mined) | test | refused
    log_error: Decimal = Decimal(0)  # what the log's reserve_after is off by


REDEMPTIONS: tuple[Redemption, ...] = (
    Redemption("eth-r1", "ethereum", "eth-user-1", Decimal("10000"), datetime(2026, 11, 5, 14, tzinfo=UTC)),
    Redemption("eth-r2", "ethereum", "eth-user-2", Decimal("25000"), datetime(2026, 11, 5, 16, tzinfo=UTC)),
    Redemption("eth-r3", "ethereum", "eth-user-3", Decimal("500"), datetime(2026, 11, 6, 9, tzinfo=UTC),
               kind="fake"),
    Redemption("base-r1", "base", "base-user-1", Decimal("20000"), datetime(2026, 11, 5, 15, tzinfo=UTC)),
    Redemption("base-t1", "base", "base-user-2", Decimal("1000"), datetime(2026, 11, 5, 17, tzinfo=UTC),
               kind="test"),
    Redemption("base-r2", "base", "base-user-3", Decimal("5000000"), datetime(2026, 11, 6, 10, tzinfo=UTC),
               kind="refused"),
    Redemption("base-r3", "base", "base-user-2", Decimal("5000"), datetime(2026, 11, 6, 11, tzinfo=UTC),
               log_error=Decimal("-1000")),
)
# Wednesday of the demo week: one holder tries to pull 1.8M in six requests within an hour, over the
# service's per-user daily limit; each is refused (nothing moves on chain or in the reserve ledger).
RUN_DAY = "2026-11-11"
REDEMPTIONS += tuple(
    Redemption(f"eth-q{i}", "ethereum", "eth-user-2", Decimal("300000"),
               datetime(2026, 11, 11, 9, 10 * i, tzinfo=UTC), kind="refused") for i in range(6))
RESERVE_LEDGER_UPDATED = datetime(2026, 11, 6, 18, tzinfo=UTC)
# Floors the treasury set per chain: base's reserve (3,000,000 - 25,000 redeemed) is below its floor.
RESERVE_FLOORS = {"ethereum": {"min_reserve": "1000000", "min_share": "0.9"}, "base": {"min_reserve": "3000000"}}

# Reserve accounts of the redemption service and their lock/release log (all before the week).
RESERVE_ACCOUNTS = (("USD-FIAT", "USD", "fiat", Decimal("9939500")),
                    ("RUSD-CRYPTO", "RUSD", "crypto", Decimal("2000000")),
                    ("EUR-FIAT", "EUR", "fiat", Decimal("1000000")))
RESERVE_OPERATIONS = (
    # (operation id, reserve, operation, amount, reference, at, ttl seconds)
    ("op-1", "USD-FIAT", "lock", Decimal("50000"), "PAYOUT-7780", datetime(2026, 11, 6, 9, tzinfo=UTC), 3600),
    ("op-2", "USD-FIAT", "release", Decimal("50000"), "PAYOUT-7780", datetime(2026, 11, 6, 9, 20, tzinfo=UTC),
     None),
    ("op-3", "USD-FIAT", "lock", Decimal("100000"), "PAYOUT-7781", datetime(2026, 11, 6, 10, tzinfo=UTC), 3600),
    ("op-4", "RUSD-CRYPTO", "lock", Decimal("900000"), "MM-DESK-01", datetime(2026, 11, 4, 8, tzinfo=UTC),
     30 * 86400),
    ("op-5", "RUSD-CRYPTO", "lock", Decimal("700000"), "MM-DESK-02", datetime(2026, 11, 6, 8, tzinfo=UTC),
     30 * 86400),
    # A 300,000 EUR withdrawal while 800,000 of 1,000,000 was locked, with no bank debit behind it.
    ("op-6", "EUR-FIAT", "lock", Decimal("800000"), "PAYOUT-EU-1", datetime(2026, 11, 5, 9, tzinfo=UTC), 3600),
    ("op-7", "EUR-FIAT", "withdrawal", Decimal("300000"), "WD-EU-1", datetime(2026, 11, 5, 10, tzinfo=UTC), None),
    ("op-8", "EUR-FIAT", "release", Decimal("800000"), "PAYOUT-EU-1", datetime(2026, 11, 5, 10, 30, tzinfo=UTC),
     None),
    # A top-up booked with amount zero.
    ("op-9", "USD-FIAT", "top_up", Decimal("0"), "TOPUP-ZERO", datetime(2026, 11, 6, 12, tzinfo=UTC), None),
)


def real_paid(chain: str) -> Decimal:
    """What the redemption service paid out in fiat for a chain (fake hashes included: it paid them)."""
    return sum((r.amount for r in REDEMPTIONS if r.chain == chain and r.kind in ("real", "fake")), Decimal(0))


def chain_anomalies() -> list[Anomaly]:
    return [
        Anomaly("backing_shortfall", TOKEN, "backing",
                "150,000 RUSD minted on base with no USD behind it (reserve account "
                f"{BY_KEY['RSV'].iban})"),
        Anomaly("supply_mismatch", "base", TOKEN, "base circulates 150,000 more than its reserve ledger"),
        Anomaly("redemption_unverified", "ethereum", "not_found:eth-r3",
                "redemption eth-r3 cites a transaction hash that is not on chain"),
        Anomaly("reserve_ledger_inconsistent", "base", "arithmetic:base-r3",
                "redemption base-r3: reserve_after is 1,000 below reserve_before - amount"),
        Anomaly("holder_balance_mismatch", "ethereum", f"{TOKEN}:eth-user-4",
                "custodial book shows eth-user-4 250 RUSD above the chain"),
        Anomaly("stale_reserve_lock", "USD-FIAT", "PAYOUT-7781", "a 100,000 USD lock never released (TTL 1 h)"),
        Anomaly("utilization_level", "RUSD-CRYPTO", "level", "80 % of the crypto reserve locked: warning"),
        Anomaly("low_reserve", "base", "floor", "base's reserve 2,975,000 is below its 3,000,000 floor"),
        Anomaly("redemption_rate", "ethereum", f"chain:{RUN_DAY}",
                "six redemption requests (1.8M) on ethereum on Wednesday against a median of none"),
        Anomaly("redemption_rate", "ethereum", None,
                "the same six requests, all from eth-user-2"),
        Anomaly("redemption_failures", "ethereum", RUN_DAY, "all six requests refused: 100 % against 5 %"),
        Anomaly("reserve_book_invalid", "EUR-FIAT", "withdrawal_over_available:withdrawal:op-7",
                "a 300,000 EUR withdrawal with 200,000 available"),
        Anomaly("reserve_movement_unmatched", "EUR-FIAT", "withdrawal:op-7",
                "the same withdrawal: no bank debit with reference WD-EU-1"),
        Anomaly("reserve_book_invalid", "USD-FIAT", "non_positive_top_up:top_up:op-9", "a top-up of 0 USD"),
    ]
