"""Intraday chain reads and backing, in process on a real EVM, real Postgres and real CAMT files: each
30-minute window reads the chain at its end and the bank position notified by then."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets.intraday_chain import intraday_backing_checks, intraday_chain_reads
from devworld.evm_node import LocalEvmChain
from recon.camt.model import Entry, Statement
from recon.camt.writer import write_camt
from resources.drop_folder import StatementsResource
from resources.evm import EvmChainConfig, EvmResource, EvmTokenConfig
from resources.ledger import LedgerResource
from resources.reserves import ReservesResource
from resources.stellar import StellarResource
from resources.warehouse_resource import WarehouseResource
from stores.statement_days import load_business_date
from stores.warehouse import Warehouse

ACCOUNT = "GB33BUKB20201555555555"
DAY = date(2026, 1, 7)
UNIT = 10**6  # RUSD has 6 decimals


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, 7, hour, minute, tzinfo=UTC)


def ts(hour: int, minute: int = 0) -> int:
    return int(at(hour, minute).timestamp())


@pytest.fixture(scope="module")
def chain() -> Iterator[tuple[LocalEvmChain, str, str, str]]:
    with LocalEvmChain(chain_id=1, genesis_timestamp=ts(0)) as eth:
        token = eth.deploy_token("Reserve USD", "RUSD", 6, at=ts(0, 5))
        treasury, holder = eth.new_account("treasury"), eth.new_account("holder")
        eth.mint(token, holder, 1000 * UNIT, at=ts(9))
        eth.mint(token, holder, 50 * UNIT, at=ts(10, 20))  # inside the 10:00 window
        eth.mint(token, treasury, 7 * UNIT, at=ts(10, 40))  # after it: total supply only
        eth.mine_at(ts(11, 40))  # one confirmation on top; then the node stops
        yield eth, token, treasury, holder


def drop_folder(folder: Path, yesterday: date = date(2026, 1, 6)) -> Path:
    """Yesterday's statement closes at 1000; two credits are notified today, at 09:45 and at 10:45."""
    folder.mkdir()
    write_camt(folder / "053.xml", [Statement(
        account_iban=ACCOUNT, currency="USD", opening_balance=Decimal("1000.00"), statement_id=f"S-{yesterday}",
        created_at=datetime.combine(yesterday, time(23), tzinfo=UTC), from_date=yesterday, to_date=yesterday,
        closing_date=yesterday)])
    for name, amount, sent in (("054-a.xml", "40.00", at(9, 45)), ("054-b.xml", "500.00", at(10, 45))):
        note = Statement(account_iban=ACCOUNT, currency="USD", statement_id=f"N-{name}", created_at=sent,
                         from_date=DAY, to_date=DAY, entries=[Entry(amount=Decimal(amount), direction="CRDT",
                                                                    booking_date=DAY, acct_svcr_ref=name)])
        write_camt(folder / name, [note], kind="054", msg_id=f"M-{name}", created_at=sent)
    return folder


def resources(wh: Warehouse, chain: tuple, books: Path) -> dict[str, object]:
    eth, token, treasury, holder = chain
    books.mkdir(exist_ok=True)
    pl.DataFrame({"chain_id": ["1"], "total_reserve": ["1050"]}).write_csv(books / "reserve_ledger.csv")
    config = {"redemption_asset": "RUSD",
              "redemption_chains": [{"chain": "ethereum", "chain_id": 1, "initial_reserve": "100000"}],
              "tokens": [{"token": "RUSD", "currency": "USD", "chain_assets": {"ethereum": "RUSD"},
                          "reserve_accounts": [ACCOUNT], "ledger_reserve_chains": []}]}
    return {
        "warehouse": WarehouseResource(database_url=wh.engine.url.render_as_string(hide_password=False)),
        "evm": EvmResource(chains=[EvmChainConfig(
            name="ethereum", chain_id=1, rpc_url=eth.url, confirmations=1, treasury=[treasury],
            holders=[holder], tokens=[EvmTokenConfig(address=token, symbol="RUSD", decimals=6)],
            timeout_seconds=2, retry_attempts=2, retry_base_delay=0.01)]),
        "stellar": StellarResource(),
        "ledger": LedgerResource(kind="files", snapshot_dir=str(books), snapshot_home=str(books / "home")),
        "reserves": ReservesResource(inline_json=json.dumps(config)),
    }


def prepared(wh: Warehouse, chain: tuple, tmp_path: Path, statement_day: date = date(2026, 1, 6)) -> dict:
    """The bank files loaded as the runs would (the statement's day, then today) and the resources."""
    source = StatementsResource(drop_folder=str(drop_folder(tmp_path / "drop", statement_day))).source()
    for day in (statement_day, DAY):
        load_business_date(wh, source, day)
    return resources(wh, chain, tmp_path / "books")


def window(res: dict, key: str) -> dg.ExecuteInProcessResult:
    return dg.materialize([intraday_chain_reads, intraday_backing_checks], partition_key=key,
                          resources=res, raise_on_error=False)


def backing(wh: Warehouse, key: str) -> dict[str, tuple]:
    return {r["scope"]: (r["tier"], r["reserves"], r["circulating"]) for r in wh.rows(
        "SELECT scope, tier, reserves, circulating FROM recon.backing_checks WHERE partition_key = :p", p=key)}


def shortfall(wh: Warehouse) -> dict:
    return wh.rows("SELECT status, resolution, first_seen_partition, last_seen_partition FROM recon.discrepancies "
                   "WHERE discrepancy_key = 'backing_shortfall|token|RUSD|backing'")[0]


def test_each_window_reads_the_chain_and_the_bank_as_of_its_end(
        fresh_warehouse: Warehouse, chain: tuple, tmp_path: Path) -> None:
    wh = fresh_warehouse
    res = prepared(wh, chain, tmp_path)

    # 10:00-10:30: bank 1000 + 40 notified; chain 1050 circulating (the 10:40 mint is later).
    result = window(res, "2026-01-07-10:00")
    assert result.success
    supply = wh.rows("SELECT total_supply, circulating FROM recon.chain_supply WHERE partition_key = :p",
                     p="2026-01-07-10:00")
    assert [(str(r["total_supply"]), str(r["circulating"])) for r in supply] == [("1050.000000", "1050.000000")]
    read = wh.rows("SELECT status, block_time, transfers_read FROM recon.chain_reads WHERE partition_key = :p",
                   p="2026-01-07-10:00")[0]
    assert (read["status"], read["block_time"], read["transfers_read"]) == ("complete", at(10, 20), None)
    assert backing(wh, "2026-01-07-10:00") == {"all": ("critical", Decimal(1040), Decimal(1050)),
                                               "ethereum": ("ok", Decimal(1050), Decimal(1050))}
    assert shortfall(wh)["status"] == "open"
    assert wh.rows("SELECT kind FROM recon.circuit_breakers WHERE scope_id = 'RUSD' AND status = 'open'") == [
        {"kind": "circuit_breaker"}]
    meta = result.asset_materializations_for_node("intraday_backing_checks")[0].metadata
    assert meta["backing_ratio_min"].value == "0.990476190476"  # 1040 / 1050, exact text
    checks = {c.asset_key.path[-1] + "." + c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks == {"intraday_chain_reads.reads_complete": True, "intraday_backing_checks.fully_backed": False,
                      "intraday_backing_checks.supply_matches_reserve_ledger": True,
                      "intraday_backing_checks.sources_fresh": True}

    # 11:00-11:30: the 500 arrived at 10:45, the treasury's 7 do not circulate: backed again.
    assert window(res, "2026-01-07-11:00").success
    supply = wh.rows("SELECT total_supply FROM recon.chain_supply WHERE partition_key = :p", p="2026-01-07-11:00")
    assert str(supply[0]["total_supply"]) == "1057.000000"
    assert backing(wh, "2026-01-07-11:00")["all"] == ("ok", Decimal(1540), Decimal(1050))
    assert shortfall(wh) == {"status": "resolved", "resolution": "cleared_by_data",
                             "first_seen_partition": "2026-01-07-10:00", "last_seen_partition": "2026-01-07-10:00"}
    # The breaker waits for a person: data alone never lifts it.
    assert len(wh.rows("SELECT 1 FROM recon.circuit_breakers WHERE scope_id = 'RUSD' AND status = 'open'")) == 1


def test_an_unreachable_chain_leaves_the_window_unknown(
        fresh_warehouse: Warehouse, chain: tuple, tmp_path: Path) -> None:
    wh = fresh_warehouse
    res = prepared(wh, chain, tmp_path)
    assert window(res, "2026-01-07-10:00").success  # the shortfall is found
    eth = chain[0]
    eth.inject("http_503", count=None)
    try:
        result = window(res, "2026-01-07-11:00")
    finally:
        eth.faults.clear()
    assert result.success  # a failed read is a verdict, not a crash
    assert backing(wh, "2026-01-07-11:00")["all"][0] == "unknown"
    assert shortfall(wh)["status"] == "open"  # an unread chain proves nothing, so nothing clears
    unknown = wh.rows("SELECT natural_key FROM recon.discrepancies WHERE type = 'source_unavailable' "
                      "AND last_seen_partition = '2026-01-07-11:00'")
    # The backing verdicts left unknown, and the chain's own source finding (source_kit) naming it.
    assert {r["natural_key"] for r in unknown} == {"backing:all", "backing:ethereum", "read"}
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert not checks["reads_complete"].passed and not checks["sources_fresh"].passed
    table = checks["sources_fresh"].metadata["sources"].value
    assert "| chain read | ethereum:RUSD | ethereum: eth_chainId failed after 2 attempts: HTTP 503 |" in table
    assert "| unknown verdict | token:RUSD:backing:all |" in table


def test_a_position_built_on_an_old_statement_is_not_current(
        fresh_warehouse: Warehouse, chain: tuple, tmp_path: Path) -> None:
    # Tuesday's statement never came: Monday's closing plus today's credits is no position for Wednesday.
    wh = fresh_warehouse
    assert window(prepared(wh, chain, tmp_path, date(2026, 1, 5)), "2026-01-07-11:00").success
    assert backing(wh, "2026-01-07-11:00")["all"] == ("unknown", None, None)
    summary = wh.rows("SELECT summary FROM recon.discrepancies WHERE natural_key = 'backing:all'")[0]["summary"]
    assert f"missing bank balance {ACCOUNT}" in summary


def test_a_node_that_stopped_short_of_the_window_is_unknown(
        fresh_warehouse: Warehouse, chain: tuple, tmp_path: Path) -> None:
    # The newest block is 11:40; the 12:00 window ends at 12:30. A node 50 minutes behind would report
    # 11:40's supply as 12:30's, so the read fails and the verdict is unknown.
    wh = fresh_warehouse
    result = window(prepared(wh, chain, tmp_path), "2026-01-07-12:00")
    assert result.success
    read = wh.rows("SELECT status, error FROM recon.chain_reads WHERE partition_key = '2026-01-07-12:00'")[0]
    assert read["status"] == "failed" and "3000 s older than the cut-off" in read["error"]
    assert backing(wh, "2026-01-07-12:00")["all"][0] == "unknown"
