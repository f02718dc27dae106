"""Stellar arithmetic, pure: asset supply from a Horizon asset record, operation ids, and rolling
current balances back to a pinned ledger through the payments made after it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from recon.chain.units import parse_stellar_amount

SUPPLY_PARTS = ("claimable_balances_amount", "liquidity_pools_amount", "contracts_amount")


def supply_from_asset_record(record: Mapping) -> Decimal:
    """Everything issued and not burned: account balances (authorized, maintain-liabilities,
    unauthorized), claimable balances, liquidity pool reserves and contract-held amounts."""
    balances = record.get("balances") or {}
    total = sum((parse_stellar_amount(v) for v in balances.values()), Decimal(0))
    if not balances and "amount" in record:
        total = parse_stellar_amount(record["amount"])  # older Horizon: authorized only
    for part in SUPPLY_PARTS:
        if part in record:
            total += parse_stellar_amount(record[part])
    return total


def ledger_of(operation_id: str | int) -> int:
    """Ledger sequence of a Horizon operation id (TOID: ledger << 32 | tx << 12 | op)."""
    return int(operation_id) >> 32


def first_id_of(ledger: int) -> int:
    return ledger << 32


def asset_key(record: Mapping, prefix: str = "") -> str:
    if record.get(f"{prefix}asset_type") == "native":
        return "native"
    return f"{record.get(f'{prefix}asset_code')}:{record.get(f'{prefix}asset_issuer')}"


def net_flow(payments: Iterable[Mapping], account: str, key: str) -> Decimal:
    """What `account` gained in asset `key` through these payments (received minus sent)."""
    net = Decimal(0)
    for p in payments:
        kind = p.get("type")
        if kind == "create_account" and key == "native":
            amount = parse_stellar_amount(p["starting_balance"])
            net += amount if p.get("account") == account else Decimal(0)
            net -= amount if p.get("funder") == account else Decimal(0)
            continue
        if kind not in ("payment", "path_payment_strict_send", "path_payment_strict_receive"):
            continue
        if p.get("to") == account and asset_key(p) == key:
            net += parse_stellar_amount(p["amount"])
        sent_key, sent = (asset_key(p), p.get("amount"))
        if kind != "payment":
            sent_key, sent = asset_key(p, "source_"), p.get("source_amount")
        if p.get("from") == account and sent_key == key and sent is not None:
            net -= parse_stellar_amount(sent)
    return net


def net_issuance(payments: Iterable[Mapping], issuer: str, key: str) -> Decimal:
    """Minted minus burned: the issuer paying out creates the asset, receiving it destroys it."""
    return -net_flow(payments, issuer, key)
