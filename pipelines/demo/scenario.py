"""The demo's bank and ledger world from one seed: six e-money accounts, a week of payments, and the
anomalies injected into it (the manifest a run must find, no more, no less). The world can run on for
a second week (2026-11-16 .. 20) of ordinary payments from a seed of its own, so the demo week's data
stays exactly what it is with or without it.

Everything here is data: the same seed gives the same payments, the same files and the same report.
Anomaly amounts are chosen so that each one trips exactly the detector it stands for (a missing
payment of 45 EUR on 2 million stays inside the balance tier "ok"; the balance tiers get their own).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import dagster as dg

from pipelines.partitions import business_day_partitions

SEED = 20261109
FIRST_DAY, LAST_DAY = "2026-11-09", "2026-11-13"
WEEK_ENDS = (LAST_DAY, "2026-11-20")  # the world holds one week (the demo's) or two


def world_days(weeks: int = 1) -> list[date]:
    if not 1 <= weeks <= len(WEEK_ENDS):
        raise ValueError(f"the demo world holds 1 to {len(WEEK_ENDS)} weeks, not {weeks}")
    keys = business_day_partitions.get_partition_keys_in_range(dg.PartitionKeyRange(FIRST_DAY, WEEK_ENDS[weeks - 1]))
    return [date.fromisoformat(k) for k in keys]


DAYS = world_days()
INTRADAY_DAY = date(2026, 11, 16)  # the Monday after: notifications since Friday's statement
INTRADAY_WINDOW = "2026-11-16-10:00"
# The morning's windows, ending with the one the report shows: enough for balance drift to show.
INTRADAY_WINDOWS = ["2026-11-16-09:00", "2026-11-16-09:30", INTRADAY_WINDOW]


def iban(country: str, bban: str) -> str:
    """A valid IBAN (ISO 13616 mod-97 check digits) for a country and basic account number."""
    digits = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


@dataclass(frozen=True)
class Account:
    key: str  # short name used in file names and the report
    name: str
    iban: str
    currency: str
    bic: str
    opening: Decimal  # the bank's opening balance on the first day
    flow: tuple[int, int]  # payment sizes, in whole units
    version: str = "001.08"  # the CAMT version this bank sends (001.02 carries no UETR)

    @property
    def ledger_id(self) -> str:
        return f"EMONEY-{self.key}"


ACCOUNTS = (
    Account("AED", "AED corridor (Dubai)", iban("AE", "033" + "1234567890123456"), "AED", "BOMLAEADXXX",
            Decimal("5000000.00"), (5_000, 60_000)),
    Account("INR", "INR corridor (Mumbai)", iban("GB", "HSBC40051512345678"), "INR", "HSBCGB2LXXX",
            Decimal("100000000.00"), (100_000, 1_500_000)),
    Account("EUR", "EUR operating", iban("DE", "370400440532013000"), "EUR", "COBADEFFXXX",
            Decimal("2000000.00"), (1_000, 25_000)),
    Account("USD", "USD operating", iban("GB", "BARC20000055779911"), "USD", "BARCGB22XXX",
            Decimal("4000000.00"), (1_000, 40_000), version="001.02"),
    Account("GBP", "GBP operating", iban("GB", "NWBK60161331926819"), "GBP", "NWBKGB2LXXX",
            Decimal("1500000.00"), (500, 20_000)),
    Account("RSV", "USD reserve (backs RUSD)", iban("GB", "CITI18500812345601"), "USD", "CITIGB2LXXX",
            Decimal("9939500.00"), (0, 0)),
)
BY_KEY = {a.key: a for a in ACCOUNTS}
COUNTERPARTIES = ("Al Noor Trading LLC", "Meridian Exports Pvt Ltd", "Kestrel GmbH", "Harbour & Finch Ltd",
                  "Sahara Logistics FZE", "Blue Lotus Textiles", "Nordlicht AG", "Corvid Payments Ltd")


@dataclass(frozen=True)
class Move:
    """One payment: what the bank books and what the ledger books (they differ only where injected)."""

    ref: str  # the bank's AcctSvcrRef, kept by the ledger as bank_reference
    account: str
    day: date
    direction: str  # CRDT | DBIT, as the bank sees the account
    amount: Decimal
    end_to_end_id: str
    uetr: str | None
    counterparty: str
    at_bank: bool = True
    ledger_amount: Decimal | None = None  # the ledger booked another amount
    ledger_copies: int = 1  # 0: not in the ledger; 2: booked twice
    notified: bool = False  # the bank also sent it intraday (camt.054)
    creditor_ref: str | None = None  # a structured (RF) reference, e.g. a credit line's

    @property
    def signed(self) -> Decimal:
        return self.amount if self.direction == "CRDT" else -self.amount

    @property
    def ledger_signed(self) -> Decimal:
        amount = self.amount if self.ledger_amount is None else self.ledger_amount
        return (amount if self.direction == "CRDT" else -amount) * self.ledger_copies


@dataclass(frozen=True)
class Anomaly:
    type: str
    scope_id: str
    natural_key: str | None  # None where the key is the bank's own (an entry or statement hash)
    why: str


@dataclass
class BankWorld:
    moves: list[Move] = field(default_factory=list)
    # account key -> (index of the first day, ledger balance minus bank balance from then on)
    balance_offsets: dict[str, tuple[int, Decimal]] = field(default_factory=dict)
    # (account key, day index) -> the amount the bank's closing balance is off its own entries
    unbalanced: dict[tuple[str, int], Decimal] = field(default_factory=dict)
    anomalies: list[Anomaly] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)  # file names that must end quarantined
    intraday: list[Move] = field(default_factory=list)  # notified on INTRADAY_DAY, no statement yet
    reported: list[Move] = field(default_factory=list)  # in a camt.052 report on INTRADAY_DAY instead
    # account key -> what the ledger slips below the bank in each of INTRADAY_WINDOWS (balance drift)
    drift: dict[str, list[Decimal]] = field(default_factory=dict)
    days: list[date] = field(default_factory=lambda: list(DAYS))  # the demo week, or it and the next
    later: list[Move] = field(default_factory=list)  # the second week's payments, when the world has one

    @property
    def booked(self) -> list[Move]:
        """Every movement of the world, the demo week's first; the morning's notified and reported ones are on
        INTRADAY_DAY, which only a second week's statements and closing balances reach."""
        return self.moves + self.intraday + self.reported + self.later


def _normal_moves(rng: random.Random, days: list[date]) -> list[Move]:
    moves = []
    for day in days:
        for a in ACCOUNTS:
            count = 2 if a.key == "RSV" else rng.randint(3, 5)
            for i in range(count):
                direction = "CRDT" if a.key == "RSV" or rng.random() < 0.55 else "DBIT"
                cents = rng.randint(a.flow[0] * 100, a.flow[1] * 100) if a.flow[1] else rng.randint(100, 9_999)
                uetr = str(uuid.UUID(int=rng.getrandbits(128), version=4)) if a.version == "001.08" else None
                corridor = a.key in ("AED", "INR") and direction == "CRDT"
                moves.append(Move(
                    ref=f"{a.bic[:4]}{day:%y%m%d}{i:03d}", account=a.key, day=day, direction=direction,
                    amount=Decimal(cents) / 100, end_to_end_id=f"E2E-{a.key}-{day:%m%d}-{i:02d}", uetr=uetr,
                    counterparty="Interest" if a.key == "RSV" else rng.choice(COUNTERPARTIES), notified=corridor))
    return moves


def _inject(w: BankWorld) -> None:
    mon, tue, fri = DAYS[0], DAYS[1], DAYS[4]
    eur, usd = BY_KEY["EUR"], BY_KEY["USD"]

    def add(m: Move) -> None:
        w.moves.append(m)

    add(Move("COBA-X-001", "EUR", mon, "CRDT", Decimal("45.00"), "E2E-EUR-X-MISSING", None, "Kestrel GmbH",
             ledger_copies=0))
    w.anomalies.append(Anomaly("missing_in_ledger", eur.iban, None,
                               "a 45 EUR credit the bank booked Monday never reached the ledger"))
    add(Move("LEDGER-ONLY-001", "EUR", tue, "DBIT", Decimal("30.00"), "E2E-EUR-X-NOBANK", None, "Nordlicht AG",
             at_bank=False))
    w.anomalies.append(Anomaly("missing_at_bank", eur.iban, "ledger:TX-LEDGER-ONLY-001",
                               "a 30 EUR payout the ledger booked Tuesday that the bank never executed"))
    # Booked by the ledger on Friday, at the bank next week: in transit, not a discrepancy.
    add(Move("LEDGER-ONLY-002", "EUR", fri, "DBIT", Decimal("12.50"), "E2E-EUR-X-TRANSIT", None, "Kestrel GmbH",
             at_bank=False))
    add(Move("BARC-X-001", "USD", mon, "DBIT", Decimal("250.00"), "E2E-USD-X-DOUBLE", None, "Harbour & Finch Ltd",
             ledger_copies=2))
    w.anomalies.append(Anomaly("duplicate_txn", usd.iban, "end_to_end_id:E2E-USD-X-DOUBLE",
                               "one 250 USD payout booked twice in the ledger"))
    add(Move("BARC-X-002", "USD", tue, "CRDT", Decimal("1000.00"), "E2E-USD-X-AMOUNT", None, "Corvid Payments Ltd",
             ledger_amount=Decimal("990.00")))
    w.anomalies.append(Anomaly("amount_mismatch", usd.iban, "end_to_end_id:E2E-USD-X-AMOUNT",
                               "bank credited 1000.00 USD, the ledger booked 990.00"))
    w.unbalanced[("EUR", 4)] = Decimal("5.00")
    w.anomalies.append(Anomaly("statement_unbalanced", eur.iban, None,
                               "Friday's EUR statement: closing balance 5.00 above opening + entries"))
    tiers = (("AED", 2, Decimal("-1500.00"), "minor", "0.03 % short from Wednesday"),
             ("INR", 3, Decimal("-200000.00"), "significant", "0.2 % short from Thursday: payouts suspended"),
             ("GBP", 1, Decimal("250.00"), "critical", "ledger 250 GBP above the bank from Tuesday: breaker"))
    for key, first, offset, tier, why in tiers:
        a = BY_KEY[key]
        w.balance_offsets[key] = (first, offset)
        w.anomalies.append(Anomaly("balance_mismatch", a.iban, f"balance:{a.currency}", f"{tier}: {why}"))
    w.quarantined.append("053_20261111_GBP_truncated.xml")


def _intraday(rng: random.Random) -> list[Move]:
    out = []
    for i, key in enumerate(("AED", "INR", "EUR")):
        a = BY_KEY[key]
        cents = rng.randint(a.flow[0] * 100, a.flow[1] * 100)
        out.append(Move(f"{a.bic[:4]}{INTRADAY_DAY:%y%m%d}9{i:02d}", key, INTRADAY_DAY, "CRDT",
                        Decimal(cents) / 100, f"E2E-{key}-{INTRADAY_DAY:%m%d}-90", None,
                        rng.choice(COUNTERPARTIES), notified=True))
    return out


def _intraday_report(w: BankWorld) -> None:
    """GBP's bank sends camt.052 reports: its morning credit comes in one, not as a notification."""
    w.reported.append(Move(f"NWBK{INTRADAY_DAY:%y%m%d}901", "GBP", INTRADAY_DAY, "CRDT", Decimal("2400.00"),
                           f"E2E-GBP-{INTRADAY_DAY:%m%d}-90", None, "Harbour & Finch Ltd"))
    usd = BY_KEY["USD"]
    w.drift["USD"] = [Decimal("-30.00"), Decimal("-60.00"), Decimal("-90.00")]
    w.anomalies.append(Anomaly("balance_drift", usd.iban, f"drift:{usd.currency}",
                               "Monday morning the ledger slips 30 USD below the bank each window, every "
                               "window within tier ok"))


def bank_world(seed: int = SEED, weeks: int = 1) -> BankWorld:
    """The demo week (weeks=1, what `make demo` shows) or it and the week after (ordinary payments, the
    first week's anomalies carried on: what backfills over two weeks read)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    w = BankWorld(moves=_normal_moves(rng, DAYS), days=world_days(weeks))
    _inject(w)
    w.intraday = _intraday(rng)
    _intraday_report(w)
    later = w.days[len(DAYS):]
    if later:  # its own stream: the demo week's payments stay the same draw for draw
        w.later = _normal_moves(random.Random(seed + len(DAYS)), later)  # noqa: S311 - demo data
    return w


def bank_closing(w: BankWorld, key: str, upto: int) -> Decimal:
    """The bank's true balance at the end of w.days[upto] (its own entries, before any misprint)."""
    return BY_KEY[key].opening + sum((m.signed for m in w.booked if m.account == key and m.at_bank
                                      and m.day <= w.days[upto]), Decimal(0))


def ledger_balance(w: BankWorld, key: str, upto: int) -> Decimal:
    """The ledger's balance: its opening (the bank's), its own postings, and any injected offset."""
    booked = sum((m.ledger_signed for m in w.booked if m.account == key and m.day <= w.days[upto]), Decimal(0))
    first, offset = w.balance_offsets.get(key, (len(w.days), Decimal(0)))
    return BY_KEY[key].opening + booked + (offset if upto >= first else Decimal(0))
