"""Every real redemption against its transaction on chain.

A redemption is verified when its hash has a receipt on that chain at or before the pinned block,
the transaction succeeded, and it carries a Transfer of the redeemed token, of exactly the amount
(in raw units), from the redeeming user. Anything else is `redemption_unverified`; a chain that could
not be read leaves its redemptions "unknown" (a `source_unavailable` finding), never verified.
A receipt mined after the pinned block is "pending": not yet provable, not yet a finding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from recon.chain.models import (
    RECEIPT_AFTER_CUTOFF,
    RECEIPT_NOT_FOUND,
    RECEIPT_REVERTED,
    ReceiptRead,
)
from recon.chain.units import to_raw
from recon.discrepancies import Discrepancy
from recon.money import show
from recon.reserves.config import ReservesConfig
from recon.reserves.redemption_log import is_real, redemption_key
from recon.reserves.schemas import REDEMPTIONS, conform

VERIFIED, PENDING, UNKNOWN = "verified", "pending", "unknown"
NOT_FOUND, REVERTED, NO_TRANSFER, BAD_AMOUNT = "not_found", "reverted", "no_transfer", "bad_amount"


@dataclass
class OnchainAudit:
    findings: list[Discrepancy] = field(default_factory=list)
    outcome: dict[str, str] = field(default_factory=dict)  # redemption key -> outcome
    complete: bool = True


def hashes_to_read(config: ReservesConfig, redemptions: pl.DataFrame) -> dict[str, list[str]]:
    """Per chain name, the distinct hashes of real redemptions (what the receipt reads must cover)."""
    log = conform(redemptions, REDEMPTIONS, "redemptions").with_columns(pl.col("test_mode").fill_null(False))
    out: dict[str, list[str]] = {}
    for row in log.iter_rows(named=True):
        chain = config.chain_by_id(row["chain_id"])
        if chain is not None and is_real(row) and row["tx_hash"]:
            hashes = out.setdefault(chain.chain, [])
            if row["tx_hash"].lower() not in hashes:
                hashes.append(row["tx_hash"].lower())
    return out


def verify_onchain(config: ReservesConfig, redemptions: pl.DataFrame,
                   receipts: Mapping[str, Mapping[str, ReceiptRead] | None]) -> OnchainAudit:
    """`receipts`: chain name -> {lower-case hash: receipt}, or None where the chain was unreadable."""
    log = conform(redemptions, REDEMPTIONS, "redemptions").with_columns(pl.col("test_mode").fill_null(False))
    out = OnchainAudit()
    for row in log.iter_rows(named=True):
        if not is_real(row):
            continue
        key = redemption_key(row)
        chain = config.chain_by_id(row["chain_id"])
        if chain is None:
            _finding(out, f"chain-{row['chain_id']}", key, "unknown_chain", row,
                     f"redemption {key} names chain id {row['chain_id']}, which is not configured")
            continue
        by_hash = receipts.get(chain.chain)
        if by_hash is None:
            out.outcome[key] = UNKNOWN
            out.complete = False
            continue
        outcome = _outcome(row, by_hash.get((row["tx_hash"] or "").lower()), chain.token_decimals,
                           config.redemption_asset)
        out.outcome[key] = outcome
        if outcome not in (VERIFIED, PENDING):
            _finding(out, chain.chain, key, outcome, row, _SUMMARY[outcome].format(
                chain=chain.chain, key=key, tx=row["tx_hash"], amount=show(row["amount"]),
                user=row["user_address"]))
    for unread in sorted({c for c, r in receipts.items() if r is None}):
        out.findings.append(Discrepancy(
            type="source_unavailable", scope_type="chain", scope_id=unread, natural_key="redemption_receipts",
            severity="unknown", summary=f"{unread}: receipts could not be read; redemptions unverified",
        ))
    return out


_SUMMARY = {
    NOT_FOUND: "{chain}: redemption {key}: transaction {tx} is not on chain",
    REVERTED: "{chain}: redemption {key}: transaction {tx} failed on chain",
    NO_TRANSFER: "{chain}: redemption {key}: transaction {tx} carries no Transfer of {amount} from {user}",
    BAD_AMOUNT: "{chain}: redemption {key}: amount {amount} is finer than the token's smallest unit",
    "unknown_chain": "{chain}: redemption {key} on an unconfigured chain",
}


def _outcome(row: dict, receipt: ReceiptRead | None, decimals: int, asset: str) -> str:
    if receipt is None or receipt.status == RECEIPT_NOT_FOUND:
        return NOT_FOUND
    if receipt.status == RECEIPT_AFTER_CUTOFF:
        return PENDING
    if receipt.status == RECEIPT_REVERTED:
        return REVERTED
    try:
        raw = to_raw(row["amount"], decimals)
    except ValueError:
        return BAD_AMOUNT
    user = (row["user_address"] or "").lower()
    for t in receipt.transfers:
        if t.asset == asset and t.sender.lower() == user and t.amount_raw == raw:
            return VERIFIED
    return NO_TRANSFER


def _finding(out: OnchainAudit, chain: str, key: str, outcome: str, row: dict, summary: str) -> None:
    out.outcome[key] = outcome
    out.findings.append(Discrepancy(
        type="redemption_unverified", scope_type="chain", scope_id=chain, natural_key=f"{outcome}:{key}",
        severity="critical", action="circuit_breaker", amount=row["amount"], summary=summary,
        details={"tx_hash": row["tx_hash"], "user": row["user_address"], "outcome": outcome},
    ))
