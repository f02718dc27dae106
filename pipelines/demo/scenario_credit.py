"""The demo's credit book: USD lines against XLM or BTC held on Stellar, one line in every LTV band,
a repayment the bank confirms and one it never received. Prices stay flat all week.

Bands with the default rules (haircut 0.02 + 0.25 * vol; thresholds 0.60/0.70/0.80/0.90 times
1 - 0.25 * vol): XLM (vol 0.60) keeps 83 % of its value and enters watch at 0.51, margin call at
0.595, partial liquidation at 0.68, full at 0.765; BTC (vol 0.45) keeps 86.75 % and enters them at
0.5325, 0.62125, 0.71 and 0.79875.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from devworld.horizon_scenario import account_id
from pipelines.demo.scenario import DAYS, Anomaly, Move

ANCHOR = account_id("demo:btc-anchor")
XLM, BTC = "native", f"BTC:{ANCHOR}"
PRICES = {"XLM": Decimal("0.40"), "BTC": Decimal("90000")}
VOLATILITY = {XLM: ("XLM", Decimal("0.60")), BTC: ("BTC", Decimal("0.45"))}


@dataclass(frozen=True)
class Line:
    line_id: str
    user: str
    asset: str
    quantity: Decimal
    principal: Decimal
    interest: Decimal
    band: str  # what the rules must make of it

    @property
    def account(self) -> str:
        return account_id(f"demo:collateral:{self.line_id}")

    @property
    def reference(self) -> str:
        """The RF creditor reference borrowers quote (ISO 11649: RF + check digits + the line id)."""
        body = self.line_id.replace("-", "")
        digits = "".join(str(int(c, 36)) for c in body + "RF00")
        return f"RF{98 - int(digits) % 97:02d}{body}"


LINES = (
    Line("CL-001", "borrower-aurora", XLM, Decimal("1000000"), Decimal("99000"), Decimal("1000"), "healthy"),
    Line("CL-002", "borrower-birch", XLM, Decimal("1000000"), Decimal("178500"), Decimal("1500"), "watch"),
    Line("CL-003", "borrower-cedar", BTC, Decimal("5"), Decimal("248000"), Decimal("2000"), "margin_call"),
    Line("CL-004", "borrower-delta", XLM, Decimal("2000000"), Decimal("466000"), Decimal("4000"),
         "partial_liquidation"),
    Line("CL-005", "borrower-ember", BTC, Decimal("2"), Decimal("139000"), Decimal("1000"), "full_liquidation"),
)


@dataclass(frozen=True)
class Repayment:
    repayment_id: str
    line_id: str
    amount: Decimal
    day: date
    end_to_end_id: str
    at_bank: bool  # the bank credited it (to the USD operating account)


REPAYMENTS = (
    Repayment("REP-0001", "CL-001", Decimal("5000.00"), DAYS[1], "E2E-REPAY-0001", at_bank=True),
    Repayment("REP-0002", "CL-003", Decimal("20000.00"), DAYS[0], "E2E-REPAY-0002", at_bank=False),
)


# The desk sold CL-005's collateral on Monday (recorded in the ledger); CL-004's partial sale never happened.
COLLATERAL_SALES = (("SALE-0001", "CL-005", BTC, Decimal("2"), Decimal("180000"), DAYS[0]),
                    ("SALE-0002", "CL-005", XLM, Decimal("5"), Decimal("2"), DAYS[0]))  # the account's lumens too

# CL-002 was drawn to 178,500 while its limit is 150,000.
CREDIT_LIMITS = {"CL-002": Decimal("150000")}


def credit_anomalies() -> list[Anomaly]:
    out = [Anomaly("ltv_breach", ln.line_id, "ltv", f"{ln.line_id} in {ln.band.replace('_', ' ')}")
           for ln in LINES if ln.band in ("margin_call", "partial_liquidation", "full_liquidation")]
    out.append(Anomaly("unmatched_repayment", "CL-003", "ledger:REP-0002",
                       "the ledger books a 20,000 USD repayment on CL-003 the bank never received"))
    out.append(Anomaly("credit_limit_exceeded", "CL-002", "limit", "CL-002 drawn 178,500 against a 150,000 limit"))
    out.append(Anomaly("liquidation_not_executed", "CL-004", f"since:{DAYS[0]}",
                       "CL-004 in partial liquidation since Monday, no collateral sold: critical after 24 h"))
    return out


def repayment_moves() -> list[Move]:
    """The repayments the bank credited, as payments into the USD operating account."""
    refs = {ln.line_id: ln.reference for ln in LINES}
    return [Move(f"BARC-R-{r.repayment_id[-4:]}", "USD", r.day, "CRDT", r.amount, r.end_to_end_id, None,
                 "Borrower repayment", creditor_ref=refs[r.line_id]) for r in REPAYMENTS if r.at_bank]
