"""Every wait of the suite is bounded, the analyst cannot take the suite's locks, and the embedded
server lets no one in without a password."""

from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from clients.notifier import Notifier
from stores.pg_migrations import MigrationError, upgrade
from stores.warehouse import Warehouse


@pytest.fixture
def analyst(warehouse: Warehouse):
    engine = sa.create_engine(warehouse.analyst_url().replace("postgresql://", "postgresql+psycopg://", 1))
    yield engine
    engine.dispose()


def test_the_analyst_cannot_take_the_migration_lock(analyst: sa.Engine) -> None:
    for statement in ("LOCK TABLE recon.schema_migrations IN EXCLUSIVE MODE",
                      "SELECT * FROM recon.schema_migrations FOR UPDATE"):
        with analyst.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            conn.execute(sa.text(statement))


def test_an_analyst_holding_everything_it_can_does_not_block_the_suite(
        analyst: sa.Engine, warehouse: Warehouse) -> None:
    with analyst.connect() as conn:
        # What an analyst could do to stall every `recon` command before: the old advisory lock,
        # plus an open transaction reading the migrations table and the tables a run writes.
        conn.execute(sa.text(f"SELECT pg_advisory_lock({0x5245434F4E})"))
        conn.execute(sa.text("BEGIN"))
        conn.execute(sa.text("SELECT count(*) FROM recon.schema_migrations")).all()
        conn.execute(sa.text("SELECT count(*) FROM recon.bank_statements")).all()
        started = time.monotonic()
        upgrade(warehouse.engine)
        warehouse.audit("test", "upgrade_while_analyst_reads", "test:locks", {})
        assert time.monotonic() - started < 20
        conn.execute(sa.text("ROLLBACK"))


def test_the_wait_for_the_migration_lock_is_bounded_and_names_the_holder(
        warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECON_MIGRATION_LOCK_TIMEOUT_S", "1")
    holding = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with warehouse.engine.begin() as conn:
            conn.execute(sa.text("LOCK TABLE recon.schema_migrations IN EXCLUSIVE MODE"))
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(30)
        started = time.monotonic()
        with pytest.raises(MigrationError, match=r"waited 1 s for the migration lock .* pid \d+"):
            upgrade(warehouse.engine)
        assert time.monotonic() - started < 10
    finally:
        release.set()
        holder.join()


def test_the_suite_sessions_bound_every_lock_and_statement(warehouse: Warehouse) -> None:
    with warehouse.engine.connect() as conn:
        assert conn.execute(sa.text("SHOW lock_timeout")).scalar_one() == "1min"
        assert conn.execute(sa.text("SHOW statement_timeout")).scalar_one() == "30min"
        assert conn.execute(sa.text("SHOW idle_in_transaction_session_timeout")).scalar_one() == "10min"


def test_the_embedded_server_wants_a_password_from_every_role(warehouse: Warehouse, pg_server_url: str) -> None:
    if not warehouse.embedded and "host=/" not in pg_server_url:
        pytest.skip("the suite's own server is not the embedded one (RECON_TEST_DATABASE_URL)")
    url = sa.make_url(pg_server_url)
    socket_dir = url.query["host"]
    for user in ("postgres", "recon_analyst"):
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(f"postgresql://{user}@/recon?host={socket_dir}", connect_timeout=5).close()
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(f"postgresql://postgres:guess@/recon?host={socket_dir}", connect_timeout=5).close()
    # The analyst's own URL gives the analyst's rights, and no more.
    with psycopg.connect(warehouse.analyst_url(), connect_timeout=5) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("recon_analyst",)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO recon.audit_log (actor, action, subject) VALUES ('a', 'b', 'c')")
    data_dir = Path(warehouse.rows("SHOW data_directory")[0]["data_directory"])
    secret = data_dir.with_name(f"{data_dir.name}.owner-password")
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_a_bad_webhook_setting_is_a_warning_and_an_audit_row_never_a_failed_run(warehouse: Warehouse) -> None:
    from recon.discrepancies import Discrepancy, discrepancy_frame

    wh = Warehouse(warehouse.engine, warehouse.embedded, "ftp://hooks.example/alerts")
    finding = Discrepancy(type="balance_mismatch", scope_type="account", scope_id="BAD-HOOK-1",
                          natural_key="2026-03-02", severity="critical", action="circuit_breaker",
                          summary="ledger above bank")

    result = wh.record_discrepancies("bad-hook", "2026-03-02", discrepancy_frame([finding]), "run-bad-hook")

    assert [f["kind"] for f in result.flags_opened] == ["circuit_breaker"]
    rows = warehouse.rows("SELECT details FROM recon.audit_log WHERE action = 'alert_setting_invalid' "
                          "ORDER BY audit_id DESC LIMIT 1")
    assert "not an http(s) URL (scheme 'ftp')" in rows[0]["details"]["problem"]
    assert "hooks.example" not in rows[0]["details"]["problem"]
    assert Notifier("not a url", None).webhook_url is None
