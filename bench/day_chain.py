"""The token and credit side of a bench day, at scale, with the demo's own fixtures: two local EVMs
(ethereum, base) running the project's ERC-20, a Horizon fixture with the token issued on Stellar, the
reserve books and the credit book in the ledger schema, and the configuration files that point the
daily job at them.

On each EVM the holders are minted before the day (500 a transaction, as bulk issuance); in the day a
payout desk (itself a holder) pays holders, so circulation stays what the reserve ledger says. The
reserve books hold lock/release pairs; a small share of locks is never released (stale locks, in the
demo's proportion). Credit lines spread over the LTV bands, most of them healthy.
"""

from __future__ import annotations

import contextlib
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import sqlalchemy as sa
from eth_abi import encode
from eth_utils import keccak

from devworld.evm_node import MULTICALL3_ADDRESS, LocalEvmChain
from devworld.horizon import HorizonFixture
from devworld.horizon_scenario import Asset, HorizonScenario, Payment, account_id
from pipelines.demo.scenario_chain import DECIMALS, EVM_CHAINS, TOKEN
from pipelines.demo.world_ledger import SCHEMA
from recon.chain import abi
from recon.credit.tables import TABLES as CREDIT_TABLES
from recon.ledger.tables import LedgerTable
from recon.reserves.tables import TABLES as RESERVE_TABLES
from stores.pg_writer import copy_frame

UNIT = 10**DECIMALS
MINT_BATCH = 500  # the token's mintMany takes at most 500 receivers
TRANSFER_BATCH = 400  # token transfers in one transaction (within the block's gas)
_TRANSFER = keccak(text="transfer(address,uint256)")[:4]
STALE_LOCK_SHARE = 0.001  # locks never released, past their TTL
PRICES = {"XLM": Decimal("0.40"), "BTC": Decimal("90000")}
BTC_ANCHOR = account_id("bench:btc-anchor")
COLLATERAL = {"native": ("XLM", Decimal("0.60")), f"BTC:{BTC_ANCHOR}": ("BTC", Decimal("0.45"))}
# Share of lines in each band, and the loan-to-value that puts a line there (thresholds in
# pipelines/demo/scenario_credit.py): most lines are healthy, a few in every other band.
BANDS = ((0.90, Decimal("0.30")), (0.05, Decimal("0.55")), (0.03, Decimal("0.64")), (0.015, Decimal("0.72")),
         (0.005, Decimal("0.95")))


@dataclass
class ChainSizes:
    holders: int = 10_000  # per EVM chain
    transfers: int = 20_000  # over both EVM chains, during the day
    stellar_accounts: int = 1_000
    operations: int = 100_000  # reserve book operations
    credit_lines: int = 1_000


@dataclass
class ChainWorld:
    env: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    reserve_iban: str = ""


def _ts(at: datetime) -> int:
    return int(at.timestamp())


def _at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=UTC)


def _evm(stack: contextlib.ExitStack, name: str, chain_id: int, day: date, sizes: ChainSizes,
         transfers: int, rng: random.Random) -> tuple[dict, dict[str, Decimal], dict[str, str]]:
    """One chain; returns its configuration, every holder's balance at the day's end and their user ids."""
    genesis = _at(day - timedelta(days=7), 0)
    node = stack.enter_context(LocalEvmChain(chain_id=chain_id, genesis_timestamp=_ts(genesis)).on_port(0))
    treasury = node.new_account(f"{name}:treasury")
    token = node.deploy_token("Reserve USD", TOKEN, DECIMALS, at=_ts(genesis + timedelta(hours=1)))
    # A payout desk (Multicall3's address: a holder like any other) pays the day's transfers to holders.
    holders = [MULTICALL3_ADDRESS, *(f"0x{(chain_id << 32) + i:040x}" for i in range(sizes.holders - 1))]
    raw = {h: rng.randint(100, 10_000) * UNIT for h in holders}
    raw[MULTICALL3_ADDRESS] = 500 * UNIT * transfers
    minted_at = _ts(genesis + timedelta(hours=2))
    node.mint(token, treasury, 1_000_000 * UNIT, at=minted_at)
    for i in range(0, len(holders), MINT_BATCH):  # one block a second
        part = holders[i: i + MINT_BATCH]
        node.mint_many(token, part, [raw[h] for h in part], at=minted_at + 1 + i // MINT_BATCH)
    for back in range(6, 0, -1):  # a block every day, so each day pins its own
        node.mine_at(_ts(_at(day - timedelta(days=back), 12)))
    # TRANSFER_BATCH transfers a transaction (one transaction each would take an hour on the local EVM).
    desk, start, pending = MULTICALL3_ADDRESS, _at(day, 8), []
    for n in range(transfers):
        receiver = holders[1 + rng.randrange(len(holders) - 1)]
        amount = min(raw[desk], rng.randint(1, 500) * UNIT)
        raw[desk] -= amount
        raw[receiver] += amount
        pending.append((token, _TRANSFER + encode(["address", "uint256"], [receiver, amount])))
        if len(pending) == TRANSFER_BATCH or n == transfers - 1:
            node.send(treasury, MULTICALL3_ADDRESS, abi.aggregate3_data(pending, allow_failure=False),
                      at=_ts(start + timedelta(seconds=n)), gas=29_000_000)
            pending = []
    node.mine_at(_ts(_at(day + timedelta(days=1), 12)))
    config = {"name": name, "chain_id": chain_id, "rpc_url": node.url,
              "tokens": [{"address": token, "symbol": TOKEN, "decimals": DECIMALS}],
              "treasury": [treasury], "holders": holders, "multicall3": MULTICALL3_ADDRESS,
              "timeout_seconds": 30, "retry_attempts": 3}
    balances = {h: Decimal(v) / UNIT for h, v in raw.items()}
    return config, balances, {h: f"{name}-holder-{i:05d}" for i, h in enumerate(holders)}


def _lines(n: int, rng: random.Random) -> list[dict]:
    """Credit lines with their collateral account, asset and quantity, spread over the bands."""
    out = []
    assets = list(COLLATERAL)
    for i in range(n):
        draw, ltv = rng.random(), BANDS[-1][1]
        for share, band_ltv in BANDS:
            if draw < share:
                ltv = band_ltv
                break
            draw -= share
        asset = assets[i % 2]
        quantity = Decimal(rng.randint(200_000, 2_000_000)) if asset == "native" else Decimal(rng.randint(1, 20))
        value = quantity * PRICES[COLLATERAL[asset][0]]
        principal = (value * ltv).quantize(Decimal("0.01"))
        out.append({"line_id": f"CL-{i:05d}", "account": account_id(f"bench:collateral:{i}"), "asset": asset,
                    "quantity": quantity, "principal": principal})
    return out


def _stellar(stack: contextlib.ExitStack, day: date, sizes: ChainSizes, lines: list[dict],
             rng: random.Random) -> tuple[dict, dict[str, Decimal], dict[str, str]]:
    issuer, treasury = account_id("bench:rusd-issuer"), account_id("bench:rusd-distribution")
    users = {account_id(f"bench:stellar:{i}"): f"stellar-holder-{i:05d}" for i in range(sizes.stellar_accounts)}
    rusd = Asset(TOKEN, issuer)
    first_close = _at(day - timedelta(days=7), 0)
    first, hours = 1000, 8 * 24 + 12
    held = {u: Decimal(rng.randint(100, 50_000)) for u in users}
    payments = [Payment(first + 2, issuer, treasury, rusd, Decimal(1_000_000) + sum(held.values()))]
    payments += [Payment(first + 3, treasury, u, rusd, amount) for u, amount in held.items()]
    day_ledger = first + 7 * 24 + 9  # 09:00 on the day
    accounts = list(users)
    for n in range(sizes.stellar_accounts):  # the day's payments between holders
        sender, receiver = rng.sample(accounts, 2)
        amount = min(held[sender], Decimal(rng.randint(1, 100)))
        payments.append(Payment(day_ledger + n % 8, sender, receiver, rusd, amount))
        held[sender] -= amount
        held[receiver] += amount
    opening = {a: {"native": Decimal("100")} for a in (issuer, treasury, *users)}
    for ln in lines:
        opening.setdefault(ln["account"], {"native": Decimal("5")})
        opening[ln["account"]][ln["asset"]] = opening[ln["account"]].get(ln["asset"], Decimal(0)) + ln["quantity"]
    scenario = HorizonScenario(issued=[rusd, Asset("BTC", BTC_ANCHOR)], opening=opening, payments=payments,
                               first_ledger=first, ledger_count=hours, first_close=first_close, ledger_seconds=3600)
    horizon = stack.enter_context(HorizonFixture(scenario).on_port(0))
    config = {"network_passphrase": scenario.passphrase, "assets": [{"code": TOKEN, "issuer": issuer}],
              "treasury": [treasury], "accounts": accounts, "horizon_url": horizon.url}
    return config, held, users


def _copy(engine: sa.Engine, table: LedgerTable, rows: list[dict]) -> int:
    frame = pl.DataFrame(rows, schema={c: t for c, t in table.columns.items() if c in rows[0]})
    with engine.begin() as conn:
        copy_frame(conn, f"{SCHEMA}.{table.name}", frame)
    return frame.height


def _reserve_books(engine: sa.Engine, day: date, n: int, rng: random.Random) -> dict[str, int]:
    """Lock/release pairs over three reserve accounts, the day's and the week's before it."""
    reserves = (("USD-FIAT", "USD", "fiat", Decimal("400000000")), ("RUSD-CRYPTO", "RUSD", "crypto",
                Decimal("200000000")), ("EUR-FIAT", "EUR", "fiat", Decimal("250000000")))
    ops, locked, stale = [], {r[0]: Decimal(0) for r in reserves}, 0
    start = _at(day - timedelta(days=6), 0)
    for k in range(n // 2):
        rid = reserves[k % len(reserves)][0]
        amount = Decimal(rng.randint(100, 50_000))
        at = start + timedelta(seconds=k * (7 * 86_400 - 7_200) // max(n // 2, 1))
        ref = f"PAYOUT-{k:06d}"
        ops.append({"operation_id": f"op-{2 * k}", "reserve_id": rid, "operation": "lock", "amount": amount,
                    "reference": ref, "at": at, "ttl_seconds": 3600, "chain_id": None})
        if rng.random() < STALE_LOCK_SHARE:
            locked[rid] += amount
            stale += 1
            continue
        ops.append({"operation_id": f"op-{2 * k + 1}", "reserve_id": rid, "operation": "release",
                    "amount": amount, "reference": ref, "at": at + timedelta(minutes=20), "ttl_seconds": None,
                    "chain_id": None})
    accounts = [{"reserve_id": rid, "currency": ccy, "reserve_type": kind, "initial_total": total,
                 "reported_total": total, "reported_locked": locked[rid]} for rid, ccy, kind, total in reserves]
    return {"reserve_operations": _copy(engine, RESERVE_TABLES["reserve_operations"], ops),
            "reserve_accounts": _copy(engine, RESERVE_TABLES["reserve_accounts"], accounts), "stale_locks": stale}


def _credit_book(engine: sa.Engine, home: Path, day: date, lines: list[dict]) -> dict[str, str]:
    opened = _at(day - timedelta(days=30), 0)
    rows = [{"credit_line_id": ln["line_id"], "user_id": f"borrower-{i:05d}", "currency": "USD",
             "credit_limit": ln["principal"] * 2, "outstanding_principal": ln["principal"],
             "accrued_interest": Decimal("0"), "target_ltv": Decimal("0.50"), "status": "active",
             "collateral_accounts": ln["account"], "creditor_reference": None, "updated_at": opened}
            for i, ln in enumerate(lines)]
    _copy(engine, CREDIT_TABLES["credit_lines"], rows)
    prices = home / "prices.csv"
    stamps = [_at(day - timedelta(days=1), 23, 30), _at(day, 23, 30), _at(day + timedelta(days=1), 9, 30)]
    pl.DataFrame([{"asset": s, "quote": "USD", "price": str(p), "observed_at": at.isoformat()}
                  for at in stamps for s, p in PRICES.items()]).write_csv(prices)
    assets = [{"asset": key, "price_symbol": symbol, "volatility": str(vol)}
              for key, (symbol, vol) in COLLATERAL.items()]
    return {"credit": {"rules": {"assets": assets}}, "prices": {"kind": "file", "path": str(prices)}}


def _write_json(path: Path, data: dict) -> str:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return str(path)


def chain_world(stack: contextlib.ExitStack, engine: sa.Engine, home: Path, day: date, reserve_iban: str,
                sizes: ChainSizes, seed: int = 23) -> ChainWorld:
    """Start the chains and Horizon (they stop with `stack`), load the books, write the configurations.
    The ledger schema must exist (bench/day_world.load_ledger creates it)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible bench data
    home.mkdir(parents=True, exist_ok=True)
    w = ChainWorld(reserve_iban=reserve_iban)
    evm, custodial = [], []
    for i, (name, chain_id) in enumerate(EVM_CHAINS.items()):
        share = sizes.transfers // len(EVM_CHAINS) + (sizes.transfers % len(EVM_CHAINS) if i == 0 else 0)
        config, balances, users = _evm(stack, name, chain_id, day, sizes, share, rng)
        evm.append(config)
        custodial += [{"user_id": users[h], "chain": name, "asset": TOKEN, "address": h, "balance": b}
                      for h, b in balances.items()]
        w.counts[f"{name}_holders"], w.counts[f"{name}_transfers"] = len(balances), share
    lines = _lines(sizes.credit_lines, rng)
    stellar, held, users = _stellar(stack, day, sizes, lines, rng)
    custodial += [{"user_id": users[a], "chain": "stellar", "asset": TOKEN, "address": a, "balance": b}
                  for a, b in held.items()]
    w.counts["stellar_accounts"] = len(held)
    w.counts["custodial_balances"] = _copy(engine, RESERVE_TABLES["custodial_balances"], custodial)
    circulating = {c["name"]: sum((r["balance"] for r in custodial if r["chain"] == c["name"]), Decimal(0))
                   for c in evm}
    reserve_ledger = [{"chain_id": c["chain_id"], "total_reserve": circulating[c["name"]],
                       "last_updated": _at(day - timedelta(days=6), 18), "notes": "bench"} for c in evm]
    _copy(engine, RESERVE_TABLES["reserve_ledger"], reserve_ledger)
    w.counts |= _reserve_books(engine, day, sizes.operations, rng)
    reserves = {"reserves": {
        "redemption_asset": TOKEN,
        "tokens": [{"token": TOKEN, "currency": "USD", "reserve_accounts": [reserve_iban],
                    "chain_assets": {"ethereum": TOKEN, "base": TOKEN, "stellar": TOKEN}}],
        "redemption_chains": [{"chain": c["name"], "chain_id": c["chain_id"],
                               "token_address": c["tokens"][0]["address"], "token_decimals": DECIMALS,
                               "initial_reserve": str(circulating[c["name"]])}
                              for c in evm]}}
    w.counts["credit_lines"] = len(lines)
    w.env = {"RECON_CHAIN_CONFIG": _write_json(home / "chains.json", {"evm": evm, "stellar": stellar}),
             "RECON_RESERVES_CONFIG": _write_json(home / "reserves.json", reserves),
             "RECON_CREDIT_CONFIG": _write_json(home / "credit.json", _credit_book(engine, home, day, lines))}
    return w
