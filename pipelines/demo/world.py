"""Build the demo world under $RECON_HOME/demo, fresh each time, with its servers alive while in use.

    with demo_world() as world:
        apply_default_env(world.env)   # then run the jobs; the servers stop when the block ends
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from embedded.postgres import recon_home
from pipelines.demo import world_books as books
from pipelines.demo import world_credit as credit
from pipelines.demo.scenario import BY_KEY, DAYS, INTRADAY_WINDOWS, Anomaly, BankWorld, bank_world
from pipelines.demo.scenario_chain import RESERVE_FLOORS, TOKEN, chain_anomalies
from pipelines.demo.scenario_credit import credit_anomalies, repayment_moves
from pipelines.demo.servers import Servers, record_weeks
from pipelines.demo.servers import stop as stop_servers
from pipelines.demo.tier1 import TIER1_WINDOWS
from pipelines.demo.wipe import wipe_demo_rows
from pipelines.demo.world_bank import write_drop_folder
from pipelines.demo.world_chain import served_chains, start_chains
from pipelines.demo.world_ledger import load, load_bank_ledger, reset_schema
from recon.credit.tables import TABLES as CREDIT_TABLES
from recon.ledger.tables import TABLES as LEDGER_TABLES
from recon.reserves.tables import TABLES as RESERVE_TABLES
from stores.warehouse import Warehouse


def partitions(days: list[date]) -> list[str]:
    return [d.isoformat() for d in days] + sorted({*INTRADAY_WINDOWS, *TIER1_WINDOWS})


PARTITIONS = partitions(DAYS)


@dataclass
class DemoWorld:
    home: Path
    env: dict[str, str]
    bank: BankWorld
    anomalies: list[Anomaly]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def quarantined(self) -> list[str]:
        return self.bank.quarantined


def _write_json(path: Path, data: dict) -> str:
    path.write_text(json.dumps(data, indent=2, default=str) + "\n")
    return str(path)


def _reserves_config(evm: dict) -> dict:
    return {"reserves": {
        "redemption_asset": TOKEN,
        "tokens": [{"token": TOKEN, "currency": "USD", "reserve_accounts": [BY_KEY["RSV"].iban],
                    "chain_assets": {"ethereum": TOKEN, "base": TOKEN, "stellar": TOKEN}}],
        "redemption_chains": [{"chain": name, "chain_id": d.chain_id, "token_address": d.token,
                               "token_decimals": 6, "initial_reserve": str(books.initial_reserve(name))}
                              for name, d in evm.items()],
        "floors": RESERVE_FLOORS,
    }}


def _reset_files(home: Path, keys: list[str]) -> None:
    """The demo's own files, and the ledger snapshots of its partitions (else a re-run reuses them)."""
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    for key in keys:
        shutil.rmtree(recon_home() / "ledger_snapshots" / key, ignore_errors=True)


@contextlib.contextmanager
def demo_world(home: Path | None = None, database_url: str | None = None,
               ports: list[int] | None = None, weeks: int = 1) -> Iterator[DemoWorld]:
    """ports (ethereum, base, horizon): the chains run as a supervised process on them and outlive the
    block (pipelines/demo/servers.py); without, they run in this process and stop with the block.
    weeks=2 adds the week after the demo's (2026-11-16 .. 20) to the bank, the ledger, the prices and
    the chains' history; the demo week's files and rows stay the same."""
    home = home or recon_home() / "demo"
    wh = Warehouse.connect(database_url)
    stop_servers(Servers(home, (0, 0, 0)))  # a previous world's, before its folder goes
    bank = bank_world(weeks=weeks)
    keys = partitions(bank.days)
    _reset_files(home, keys)
    record_weeks(home, weeks)
    drop = home / "drop"
    bank.moves += repayment_moves()
    counts = write_drop_folder(bank, drop)
    wipe_demo_rows(wh, keys, drop)
    reset_schema(wh.engine, [*LEDGER_TABLES.values(), *RESERVE_TABLES.values(), *CREDIT_TABLES.values()])
    counts |= load_bank_ledger(wh.engine, bank)
    with contextlib.ExitStack() as stack:
        evm, stellar = (served_chains(Servers(home, (ports[0], ports[1], ports[2]))) if ports
                        else start_chains(stack, weeks=weeks))
        counts["redemptions"] = load(wh.engine, "redemptions", books.redemption_rows(evm))
        load(wh.engine, "reserve_ledger", books.reserve_ledger_rows())
        load(wh.engine, "reserve_accounts", books.reserve_account_rows())
        load(wh.engine, "reserve_operations", books.reserve_operation_rows())
        load(wh.engine, "custodial_balances", books.custodial_rows(evm, stellar["users"]))
        counts |= credit.load_credit_book(wh.engine)
        chains = {"evm": [d.config() for d in evm.values()], "stellar": stellar["config"]}
        env = {
            "RECON_DATABASE_URL": database_url or os.environ.get("RECON_DATABASE_URL") or "embedded",
            "RECON_STATEMENTS_DIR": str(drop),
            "RECON_CHAIN_CONFIG": _write_json(home / "chains.json", chains),
            "RECON_LEDGER_KIND": "sql",
            "RECON_LEDGER_URL": wh.engine.url.render_as_string(hide_password=False),
            "RECON_LEDGER_DIR": "",
            "RECON_RESERVES_CONFIG": _write_json(home / "reserves.json", _reserves_config(evm)),
            "RECON_CREDIT_CONFIG": _write_json(
                home / "credit.json", credit.credit_config(credit.write_prices(home / "prices.csv", bank.days))),
        }
        anomalies = [*bank.anomalies, *chain_anomalies(), *credit_anomalies()]
        yield DemoWorld(home, env, bank, anomalies, counts)
