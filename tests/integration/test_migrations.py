"""Migrations on a real PostgreSQL: idempotent, all-or-nothing, loud about edited history."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from stores.pg_migrations import MIGRATIONS_DIR, MigrationError, upgrade

DESIGN_TABLES = {
    "runs", "ingested_files", "bank_statements", "bank_entries", "chain_reads", "chain_supply",
    "chain_balances", "transaction_matches", "balance_checks", "backing_checks", "reserve_status",
    "ltv_positions", "discrepancies", "circuit_breakers", "audit_log",
}
DESIGN_VIEWS = {"v_open_discrepancies", "v_payout_controls", "v_daily_summary"}


@pytest.fixture
def fresh_engine(fresh_database_url: str):
    engine = sa.create_engine(fresh_database_url)
    yield engine
    engine.dispose()


def schema_snapshot(engine: sa.Engine) -> list[tuple]:
    with engine.connect() as conn:
        cols = conn.execute(sa.text(
            "SELECT table_name, column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = 'recon' ORDER BY 1, 2")).all()
        idx = conn.execute(sa.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'recon' ORDER BY 1")).all()
        views = conn.execute(sa.text(
            "SELECT viewname, definition FROM pg_views WHERE schemaname = 'recon' ORDER BY 1")).all()
    return [*map(tuple, cols), *map(tuple, idx), *map(tuple, views)]


def test_creates_every_designed_table_and_view(fresh_engine: sa.Engine) -> None:
    upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        tables = set(conn.execute(sa.text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'recon' "
            "AND table_type = 'BASE TABLE'")).scalars())
        views = set(conn.execute(sa.text(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'recon'")).scalars())
    assert DESIGN_TABLES <= tables
    assert DESIGN_VIEWS <= views


def test_applying_twice_changes_nothing(fresh_engine: sa.Engine) -> None:
    first = upgrade(fresh_engine)
    before = schema_snapshot(fresh_engine)
    assert upgrade(fresh_engine) == []
    assert schema_snapshot(fresh_engine) == before
    assert first[0] == "0001_base.sql"


def test_failing_migration_is_rolled_back_whole(fresh_engine: sa.Engine, tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations)
    # The first statement would succeed on its own; the second fails, so neither may remain.
    (migrations / "9999_broken.sql").write_text(
        "CREATE TABLE recon.half_made (id int);\nALTER TABLE recon.no_such_table ADD COLUMN x int;\n")
    with pytest.raises(MigrationError, match=r"9999_broken\.sql failed and was rolled back"):
        upgrade(fresh_engine, migrations)
    with fresh_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT to_regclass('recon.half_made')")).scalar() is None
        recorded = conn.execute(sa.text("SELECT version FROM recon.schema_migrations")).scalars().all()
    assert "9999" not in recorded
    # Everything before the broken file was applied and stays.
    assert "0001" in recorded


def test_edited_applied_migration_is_refused(fresh_engine: sa.Engine, tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations)
    upgrade(fresh_engine, migrations)
    base = migrations / "0001_base.sql"
    base.write_text(base.read_text() + "\n-- edited later\n")
    with pytest.raises(MigrationError, match="changed after it was applied"):
        upgrade(fresh_engine, migrations)


def test_two_files_with_one_number_are_refused(fresh_engine: sa.Engine, tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations)
    (migrations / "0001_again.sql").write_text("SELECT 1;")
    with pytest.raises(MigrationError, match="share the number"):
        upgrade(fresh_engine, migrations)


def test_every_finding_type_is_allowed(fresh_engine: sa.Engine) -> None:
    # Migrations extend the type list one after another; none may drop what an earlier one allowed.
    from recon.kinds import TYPES

    upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        definition = conn.execute(sa.text(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'discrepancies_type_check'")).scalar()
    assert all(t in definition for t in TYPES), definition
