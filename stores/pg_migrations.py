"""Numbered SQL migrations: each file applied once, in order, in its own transaction."""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from importlib.resources.abc import Traversable

import psycopg
import sqlalchemy as sa

from recon.sql import folder, postgres_sql
from stores.pg_writer import driver

MIGRATIONS_DIR = folder("postgres")
GRANTS_FILE = MIGRATIONS_DIR.joinpath("grants_analyst.sql")
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Concurrent upgrades (two runs starting at once) take turns on a lock of the suite's own table
# that needs UPDATE on it, which the read-only analyst role does not have: an analyst can never
# hold the suite up. The wait for it is bounded (RECON_MIGRATION_LOCK_TIMEOUT_S, default 60).
_LOCK_SQL = postgres_sql("lock_schema_migrations")
_HOLDERS_SQL = postgres_sql("select_migration_lock_holders")


class MigrationError(RuntimeError):
    """A migration could not be applied; nothing of that file was kept."""


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(directory: Traversable = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(directory.iterdir(), key=lambda p: p.name):
        m = _NAME.match(path.name)
        if m and path.is_file():
            found.append(Migration(m.group(1), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    dupes = {v for v in versions if versions.count(v) > 1}
    if dupes:
        raise MigrationError(f"two migration files share the number(s) {sorted(dupes)} in {directory}")
    return found


def upgrade(engine: sa.Engine, directory: Traversable = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; return the names applied. Safe to call on every start."""
    applied_now: list[str] = []
    _bootstrap(engine)
    with engine.begin() as conn:
        done = {r.version: r for r in conn.execute(sa.text(postgres_sql("select_schema_migrations")))}
    for mig in discover(directory):
        if mig.version in done:
            if done[mig.version].checksum != mig.checksum:
                raise MigrationError(
                    f"{mig.name} was changed after it was applied (checksum differs); put the change "
                    f"in a new numbered migration instead of editing an applied one."
                )
            continue
        _apply(engine, mig)
        applied_now.append(mig.name)
    with engine.begin() as conn:
        lock(conn)  # two processes granting at once would collide on the catalog
        run_script(conn, GRANTS_FILE.read_text(encoding="utf-8"))
    return applied_now


def pending(engine: sa.Engine, directory: Traversable = MIGRATIONS_DIR) -> list[Migration]:
    """Migrations not applied, or applied with another checksum: one read, no lock, nothing changed."""
    with engine.connect() as conn:
        if conn.execute(sa.text(postgres_sql("select_schema_migrations_table"))).scalar_one() is None:
            return discover(directory)
        done = {r.version: r.checksum for r in conn.execute(sa.text(postgres_sql("select_schema_migrations")))}
    return [m for m in discover(directory) if done.get(m.version) != m.checksum]


def _bootstrap(engine: sa.Engine) -> None:
    """The schema and the migrations table; two first starts at once may race, so try again."""
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                conn.execute(sa.text(postgres_sql("create_recon_schema")))
                conn.execute(sa.text(
                    postgres_sql("create_schema_migrations")
                ))
            return
        except sa.exc.IntegrityError:
            if attempt == 2:
                raise
            time.sleep(0.2)


def lock(conn: sa.Connection, timeout_s: float | None = None) -> None:
    """Take the migration lock within a bounded wait, or say who holds it."""
    if timeout_s is None:
        timeout_s = float(os.environ.get("RECON_MIGRATION_LOCK_TIMEOUT_S") or 60)
    conn.execute(sa.text(postgres_sql("set_lock_timeout")), {"ms": str(int(timeout_s * 1000))})
    try:
        with conn.begin_nested():  # a savepoint: a lock that timed out leaves the transaction usable
            conn.execute(sa.text(_LOCK_SQL))
    except sa.exc.OperationalError as exc:
        if getattr(exc.orig, "sqlstate", None) != "55P03":
            raise
        holders = "; ".join(f"pid {r.pid} ({r.usename}, {r.application_name or 'no name'}, "
                            f"in a transaction since {r.xact_start})"
                            for r in conn.execute(sa.text(_HOLDERS_SQL)))
        raise MigrationError(
            f"waited {timeout_s:g} s for the migration lock (recon.schema_migrations) and another "
            f"session still holds it: {holders or 'it ended just now'}. Nothing was changed; run the "
            "command again when that session has finished (or end it).") from exc


def run_script(conn: sa.Connection, sql: str) -> None:
    """Run a multi-statement script as written: no parameters, so a '%' in it is just a character."""
    with driver(conn).cursor() as cur:
        cur.execute(sql)


def _apply(engine: sa.Engine, mig: Migration) -> None:
    try:
        with engine.begin() as conn:
            lock(conn)
            again = conn.execute(
                sa.text(postgres_sql("select_schema_migration")), {"v": mig.version}
            ).first()
            if again:  # another process applied it while we waited for the lock
                return
            run_script(conn, mig.sql)
            conn.execute(
                sa.text(postgres_sql("insert_schema_migration")),
                {"v": mig.version, "n": mig.name, "c": mig.checksum},
            )
    except (sa.exc.DBAPIError, psycopg.Error) as exc:
        orig = getattr(exc, "orig", None) or exc
        detail = str(orig).strip().splitlines()[0]
        raise MigrationError(
            f"migration {mig.name} failed and was rolled back, so the schema is as it was before it: "
            f"{detail}. Fix the file (or the database) and run `recon db upgrade` again."
        ) from exc
