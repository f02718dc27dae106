"""Each resource builds its SQL engine once per run and gives its connections back when the run ends:
counted on a real Postgres, across one run of the ledger snapshot assets and two price reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from assets.ledger import ledger_accounts, ledger_transactions
from recon.ledger.tables import ACCOUNTS, TRANSACTIONS
from resources.ledger import LedgerResource
from resources.prices import PriceResource
from resources.warehouse_resource import WarehouseResource
from stores.warehouse import Warehouse

DAY = "2026-01-05"


@dg.asset(partitions_def=ledger_accounts.partitions_def)
def price_reads(prices: PriceResource) -> int:
    # Two reads in one step, as the credit assets make: they must share one engine.
    since, until = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 6, tzinfo=UTC)
    return sum(prices.source().read(since, until).prices.height for _ in range(2))


@pytest.fixture
def engines_seen() -> Iterator[list[sa.Engine]]:
    """Every engine that opened a connection, held so that a leaked pool cannot be collected unseen."""
    seen: list[sa.Engine] = []

    def on_connect(conn: sa.Connection) -> None:
        if all(e is not conn.engine for e in seen):
            seen.append(conn.engine)

    sa.event.listen(sa.Engine, "engine_connect", on_connect)
    yield seen
    sa.event.remove(sa.Engine, "engine_connect", on_connect)


def _books(url: str) -> None:
    engine = Warehouse.connect(url).engine
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA ledger")
        for table in (ACCOUNTS, TRANSACTIONS):
            cols = ", ".join(f"{c} {'timestamptz' if c == table.as_of_column else 'text'}" for c in table.columns)
            conn.exec_driver_sql(f"CREATE TABLE ledger.{table.name} ({cols})")
        conn.exec_driver_sql("CREATE TABLE ledger.prices (asset text, quote text, price numeric, "
                             "observed_at timestamptz)")
        conn.exec_driver_sql("INSERT INTO ledger.prices VALUES ('XLM', 'EUR', 0.10, '2026-01-05 12:00+00')")
    engine.dispose()


def _connections(url: str) -> int:
    engine = Warehouse.connect(url, upgrade=False).engine
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                        "AND pid <> pg_backend_pid()")).scalar_one()
    finally:
        engine.dispose()


def test_one_engine_per_resource_per_run_and_none_left_open(
        fresh_database_url: str, engines_seen: list[sa.Engine], tmp_path: Path) -> None:
    _books(fresh_database_url)
    engines_seen.clear()
    resources = {
        "warehouse": WarehouseResource(database_url=fresh_database_url),
        "ledger": LedgerResource(kind="sql", url=fresh_database_url, db_schema="ledger",
                                 snapshot_home=str(tmp_path)),
        "prices": PriceResource(kind="sql", url=fresh_database_url, db_schema="ledger"),
    }
    result = dg.materialize([ledger_accounts, ledger_transactions, price_reads], partition_key=DAY,
                            resources=resources)
    assert result.success
    assert result.output_for_node("price_reads") == 2
    database = sa.make_url(fresh_database_url).database
    in_run = [e for e in engines_seen if e.url.database == database]
    # The warehouse, the ledger (read twice) and the prices (read twice): one engine each.
    assert len(in_run) == 3, [str(e.url) for e in in_run]
    assert all(e.pool.checkedin() == 0 for e in in_run)  # disposed at the run's end
    assert _connections(fresh_database_url) == 0
