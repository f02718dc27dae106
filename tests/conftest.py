"""Shared fixtures: one real PostgreSQL per test session, never a mock."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from embedded.postgres import embedded_url, stop_embedded, to_sqlalchemy_url
from stores.warehouse import Warehouse


@pytest.fixture(scope="session", autouse=True)
def _empty_project_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests configure what they use (variables or their own recon.toml): a developer's recon.toml (the
    demo's under .recon/) never leaks into them."""
    path = tmp_path_factory.mktemp("config") / "recon.toml"
    path.write_text("# every source not configured unless a test says otherwise\n")
    before = os.environ.get("RECON_CONFIG")
    os.environ["RECON_CONFIG"] = str(path)
    yield
    if before is None:
        os.environ.pop("RECON_CONFIG", None)
    else:
        os.environ["RECON_CONFIG"] = before


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """An empty database: a throwaway one on RECON_TEST_DATABASE_URL, else a private embedded server."""
    external = os.environ.get("RECON_TEST_DATABASE_URL")
    if not external:
        # Outside pytest's temp tree (which concurrent sessions prune); stopped and removed at the end.
        home = Path(tempfile.mkdtemp(prefix="recon-test-pg-"))
        try:
            yield embedded_url(home / "data")
        finally:
            stop_embedded(home / "data")
            shutil.rmtree(home, ignore_errors=True)
        return
    admin = sa.create_engine(to_sqlalchemy_url(external), isolation_level="AUTOCOMMIT")
    name = f"recon_test_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield str(admin.url.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


@pytest.fixture(scope="session")
def warehouse(pg_server_url: str) -> Warehouse:
    return Warehouse.connect(pg_server_url)


@pytest.fixture
def project_root() -> Path:
    return Path(__file__).resolve().parents[1]


@pytest.fixture
def fresh_database_url(warehouse: Warehouse) -> Iterator[str]:
    """A brand-new empty database on the test server, for tests that must see only their own rows."""
    name = f"fresh_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(warehouse.engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield warehouse.engine.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()


@pytest.fixture
def fresh_warehouse(fresh_database_url: str) -> Iterator[Warehouse]:
    wh = Warehouse.connect(fresh_database_url)
    yield wh
    wh.engine.dispose()
