"""The analyst role reads everything in schema recon and can change nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from stores.warehouse import Warehouse


@pytest.fixture
def analyst(warehouse: Warehouse):
    engine = sa.create_engine(warehouse.analyst_url().replace("postgresql://", "postgresql+psycopg://", 1))
    yield engine
    engine.dispose()


def test_analyst_can_read_tables_and_views(analyst: sa.Engine) -> None:
    with analyst.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM recon.runs")).scalar() >= 0
        conn.execute(sa.text("SELECT * FROM recon.v_payout_controls")).all()
        conn.execute(sa.text("SELECT * FROM recon.v_daily_summary")).all()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO recon.audit_log (actor, action, subject) VALUES ('x', 'y', 'z')",
        "UPDATE recon.discrepancies SET status = 'resolved'",
        "DELETE FROM recon.circuit_breakers",
        "TRUNCATE recon.runs",
        "CREATE TABLE recon.mine (id int)",
        "DROP VIEW recon.v_payout_controls",
    ],
)
def test_analyst_cannot_change_anything(analyst: sa.Engine, statement: str) -> None:
    with analyst.connect() as conn, pytest.raises(sa.exc.ProgrammingError, match=r"permission denied|must be owner"):
        conn.execute(sa.text(statement))
