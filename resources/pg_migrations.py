"""Numbered SQL migrations: each file applied once, in order, in its own transaction."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
import sqlalchemy as sa

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "sql" / "postgres"
GRANTS_FILE = MIGRATIONS_DIR / "grants_analyst.sql"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Serialises concurrent upgrades (two runs starting at once) on one database.
_LOCK_ID = 0x5245434F4E  # "RECON"


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


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    found = []
    for path in sorted(directory.glob("*.sql")):
        m = _NAME.match(path.name)
        if m:
            found.append(Migration(m.group(1), path.name, path.read_text()))
    versions = [m.version for m in found]
    dupes = {v for v in versions if versions.count(v) > 1}
    if dupes:
        raise MigrationError(f"two migration files share the number(s) {sorted(dupes)} in {directory}")
    return found


def upgrade(engine: sa.Engine, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Apply pending migrations; return the names applied. Safe to call on every start."""
    applied_now: list[str] = []
    with engine.begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        conn.execute(sa.text("CREATE SCHEMA IF NOT EXISTS recon"))
        conn.execute(sa.text(
            "CREATE TABLE IF NOT EXISTS recon.schema_migrations ("
            " version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        ))
        done = {r.version: r for r in conn.execute(sa.text("SELECT * FROM recon.schema_migrations"))}
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
        run_script(conn, GRANTS_FILE.read_text())
    return applied_now


def run_script(conn: sa.Connection, sql: str) -> None:
    """Run a multi-statement script as written: no parameters, so a '%' in it is just a character."""
    with conn.connection.driver_connection.cursor() as cur:
        cur.execute(sql)


def _apply(engine: sa.Engine, mig: Migration) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
            again = conn.execute(
                sa.text("SELECT 1 FROM recon.schema_migrations WHERE version = :v"), {"v": mig.version}
            ).first()
            if again:  # another process applied it while we waited for the lock
                return
            run_script(conn, mig.sql)
            conn.execute(
                sa.text("INSERT INTO recon.schema_migrations (version, name, checksum) VALUES (:v, :n, :c)"),
                {"v": mig.version, "n": mig.name, "c": mig.checksum},
            )
    except (sa.exc.DBAPIError, psycopg.Error) as exc:
        orig = getattr(exc, "orig", None) or exc
        detail = str(orig).strip().splitlines()[0]
        raise MigrationError(
            f"migration {mig.name} failed and was rolled back, so the schema is as it was before it: "
            f"{detail}. Fix the file (or the database) and run `recon db upgrade` again."
        ) from exc
