"""The redemption service's books for the demo: per-chain reserve ledger, redemption log, reserve
accounts and operations, custodial balances; consistent with the chains except where injected."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pipelines.demo.scenario_chain import (
    EVM_CHAINS,
    HOLDER_DRIFT,
    REDEMPTIONS,
    RESERVE_ACCOUNTS,
    RESERVE_LEDGER_UPDATED,
    RESERVE_OPERATIONS,
    TOKEN,
    USERS,
    real_paid,
)
from pipelines.demo.world_chain import EvmDeployment


def initial_reserve(chain: str) -> Decimal:
    return sum(USERS[chain].values(), Decimal(0))


def redemption_rows(evm: dict[str, EvmDeployment]) -> list[dict[str, Any]]:
    rows = []
    for chain in EVM_CHAINS:
        reserve = initial_reserve(chain)
        for r in sorted((r for r in REDEMPTIONS if r.chain == chain), key=lambda r: r.at):
            moves = r.kind in ("real", "fake")
            after = reserve - r.amount + r.log_error if moves else reserve
            rows.append({"redemption_id": r.redemption_id, "user_address": evm[chain].users[r.user],
                         "amount": r.amount, "redeemed_at": r.at, "chain_id": EVM_CHAINS[chain],
                         "tx_hash": evm[chain].tx.get(r.redemption_id), "reserve_before": reserve,
                         "reserve_after": after, "test_mode": "true" if r.kind == "test" else "false",
                         "status": "refused" if r.kind == "refused" else "completed"})
            reserve = after
    return rows


def reserve_ledger_rows() -> list[dict[str, Any]]:
    return [{"chain_id": chain_id, "total_reserve": initial_reserve(chain) - real_paid(chain),
             "last_updated": RESERVE_LEDGER_UPDATED, "notes": f"initial {initial_reserve(chain)}"}
            for chain, chain_id in EVM_CHAINS.items()]


def reserve_account_rows() -> list[dict[str, Any]]:
    rows = []
    for rid, currency, kind, total in RESERVE_ACCOUNTS:
        locked, moved = Decimal(0), Decimal(0)
        for _op, reserve, operation, amount, _ref, _at, _ttl in RESERVE_OPERATIONS:
            if reserve == rid:
                locked += amount if operation == "lock" else -amount if operation == "release" else 0
                moved += amount if operation == "top_up" else -amount if operation == "withdrawal" else 0
        rows.append({"reserve_id": rid, "currency": currency, "reserve_type": kind, "initial_total": total,
                     "reported_total": total + moved, "reported_locked": locked})
    return rows


def reserve_operation_rows() -> list[dict[str, Any]]:
    return [{"operation_id": op, "reserve_id": rid, "operation": kind, "amount": amount, "reference": ref,
             "at": at, "ttl_seconds": ttl, "chain_id": None}
            for op, rid, kind, amount, ref, at, ttl in RESERVE_OPERATIONS]


def custodial_rows(evm: dict[str, EvmDeployment], stellar_users: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for chain in USERS:
        addresses = stellar_users if chain == "stellar" else evm[chain].users
        for user, minted in USERS[chain].items():
            redeemed = sum((r.amount for r in REDEMPTIONS if r.chain == chain and r.user == user
                            and r.kind == "real"), Decimal(0))
            drift = HOLDER_DRIFT[2] if (chain, user) == HOLDER_DRIFT[:2] else Decimal(0)
            rows.append({"user_id": user, "chain": chain, "asset": TOKEN, "address": addresses[user],
                         "balance": minted - redeemed + drift})
    return rows
