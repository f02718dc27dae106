"""The demo's chains: two local EVMs (ethereum, base) with RUSD deployed, minted and redeemed, and a
Horizon fixture with RUSD issued on Stellar. Returns what the chain configuration and the reserve
books need (addresses, transaction hashes)."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from devworld.evm_node import MULTICALL3_ADDRESS, LocalEvmChain
from devworld.horizon import HorizonFixture
from devworld.horizon_scenario import Asset, HorizonScenario, Payment, account_id
from pipelines.demo.scenario import DAYS, INTRADAY_DAY, world_days
from pipelines.demo.scenario_chain import (
    DECIMALS,
    EVM_CHAINS,
    GENESIS,
    REDEMPTIONS,
    TOKEN,
    TREASURY_INVENTORY,
    UNBACKED_MINT,
    USERS,
)
from pipelines.demo.servers import Servers
from pipelines.demo.servers import start as start_servers
from pipelines.demo.world_credit import collateral_opening

UNIT = 10**DECIMALS


def _ts(at: datetime) -> int:
    return int(at.timestamp())


@dataclass
class EvmDeployment:
    name: str
    chain_id: int
    node: LocalEvmChain
    token: str = ""
    treasury: str = ""
    users: dict[str, str] = field(default_factory=dict)  # user id -> address
    tx: dict[str, str] = field(default_factory=dict)  # redemption id -> hash

    def config(self) -> dict:
        return {"name": self.name, "chain_id": self.chain_id, "rpc_url": self.node.url,
                "tokens": [{"address": self.token, "symbol": TOKEN, "decimals": DECIMALS}],
                "treasury": [self.treasury], "holders": list(self.users.values()),
                "multicall3": MULTICALL3_ADDRESS, "timeout_seconds": 5, "retry_attempts": 3}


def build_evm(name: str, node: LocalEvmChain, days: list[date] = DAYS) -> EvmDeployment:
    d = EvmDeployment(name, EVM_CHAINS[name], node)
    d.treasury = node.new_account(f"{name}:treasury")
    d.users = {u: node.new_account(f"{name}:{u}") for u in USERS[name]}
    d.token = node.deploy_token("Reserve USD", TOKEN, DECIMALS, at=_ts(GENESIS + timedelta(hours=1)))
    receivers = [d.treasury, *d.users.values()]
    amounts = [int(TREASURY_INVENTORY * UNIT), *(int(a * UNIT) for a in USERS[name].values())]
    node.mint_many(d.token, receivers, amounts, at=_ts(GENESIS + timedelta(hours=2)))
    chain, who, amount = UNBACKED_MINT
    if chain == name:
        maker = node.new_account(f"{name}:{who}")
        node.mint(d.token, maker, int(amount * UNIT), at=_ts(datetime(2026, 11, 4, 12, tzinfo=UTC)))
    for r in sorted((r for r in REDEMPTIONS if r.chain == name), key=lambda r: r.at):
        if r.kind == "real":
            d.tx[r.redemption_id] = node.transfer(d.token, d.users[r.user], d.treasury, int(r.amount * UNIT),
                                                  at=_ts(r.at))
        elif r.kind == "fake":
            d.tx[r.redemption_id] = "0x" + f"{r.redemption_id}:never-mined".encode().hex().ljust(64, "0")[:64]
    for day in sorted({*days, INTRADAY_DAY}):  # a block every business day, so each day pins its own block
        node.mine_at(_ts(datetime.combine(day, time(12), tzinfo=UTC)))
    return d


def stellar_scenario(days: list[date] = DAYS) -> tuple[HorizonScenario, dict]:
    issuer, treasury = account_id("demo:rusd-issuer"), account_id("demo:rusd-distribution")
    users = {u: account_id(f"demo:{u}") for u in USERS["stellar"]}
    rusd = Asset(TOKEN, issuer)
    first = 1000
    last = max(*days, INTRADAY_DAY)  # an hourly ledger up to the world's last day's noon
    hours = int((datetime.combine(last, time(12), tzinfo=UTC) - GENESIS).total_seconds() // 3600)
    payments = [Payment(first + 2, issuer, treasury, rusd, TREASURY_INVENTORY + sum(USERS["stellar"].values()))]
    payments += [Payment(first + 3 + i, treasury, users[u], rusd, amount)
                 for i, (u, amount) in enumerate(USERS["stellar"].items())]
    opening = {a: {"native": Decimal("100")} for a in (issuer, treasury, *users.values())}
    opening |= collateral_opening()
    scenario = HorizonScenario(issued=[rusd], opening=opening, payments=payments, first_ledger=first,
                               ledger_count=hours, first_close=GENESIS, ledger_seconds=3600)
    config = {"network_passphrase": scenario.passphrase, "assets": [{"code": TOKEN, "issuer": issuer}],
              "treasury": [treasury], "accounts": list(users.values())}
    return scenario, {"config": config, "users": users}


def start_chains(stack: contextlib.ExitStack, ports: list[int] | None = None, weeks: int = 1
                 ) -> tuple[dict[str, EvmDeployment], dict]:
    """Start both EVMs and Horizon (they stop when `stack` closes) and build the token's history through
    the world's `weeks`. `ports` (ethereum, base, horizon) fixes their URLs; the history is the same on
    every start."""
    port = iter(ports or [0] * (len(EVM_CHAINS) + 1))
    days = world_days(weeks)
    evm = {}
    for name, chain_id in EVM_CHAINS.items():
        chain = LocalEvmChain(chain_id=chain_id, genesis_timestamp=_ts(GENESIS)).on_port(next(port))
        evm[name] = build_evm(name, stack.enter_context(chain), days)
    scenario, stellar = stellar_scenario(days)
    horizon = stack.enter_context(HorizonFixture(scenario).on_port(next(port)))
    stellar["config"]["horizon_url"] = horizon.url
    return evm, stellar


def served_chains(servers: Servers) -> tuple[dict[str, EvmDeployment], dict]:
    """The same world from the supervised process (started here when it is not running; it replays as many
    weeks as the world's folder records, see `record_weeks`)."""
    data = start_servers(servers)
    evm = {name: EvmDeployment(name, d["chain_id"], SimpleNamespace(url=d["url"]), d["token"],  # type: ignore[arg-type]
                               d["treasury"], d["users"], d["tx"])
           for name, d in data["evm"].items()}
    return evm, data["stellar"]
