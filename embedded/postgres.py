"""The embedded PostgreSQL (pgserver) used when no RECON_DATABASE_URL is given."""

from __future__ import annotations

import logging
import os
import secrets
import subprocess
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

from recon.sql import postgres_sql

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATABASE = "recon"
_HBA_MARK = "# reserve-recon: every role signs in with its password"
_HBA = f"""{_HBA_MARK} (scram-sha-256); nothing is trusted.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""


class DatabaseUnavailable(RuntimeError):
    """The output store cannot be reached; the message says what to do."""


def recon_home() -> Path:
    return Path(os.environ.get("RECON_HOME", PROJECT_ROOT / ".recon"))


def pgdata_dir(home: Path | None = None) -> Path:
    return (home or recon_home()) / "pg"


def _import_pgserver():  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; pgserver falls back to /tmp, which is fine.
        warnings.simplefilter("ignore")
        import pgserver
    return pgserver


def _server(pgdata: Path, cleanup_mode: str | None):  # type: ignore[no-untyped-def]
    pgserver = _import_pgserver()
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    _clear_stale_lock(pgdata)
    try:
        srv = pgserver.get_server(pgdata, cleanup_mode=cleanup_mode)
        # A handle cached in this process may point at a server stopped (or a directory removed) since.
        with srv._lock:
            srv.ensure_pgdata_inited()
            srv.ensure_postgres_running()
        return srv
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, AssertionError) as exc:
        log = pgdata / "log"
        raise DatabaseUnavailable(
            f"The embedded PostgreSQL under {pgdata} did not start ({exc.__class__.__name__}); "
            f"see its log at {log}, or set RECON_DATABASE_URL to use another server."
        ) from exc


def _clear_stale_lock(pgdata: Path) -> None:
    """Remove postmaster.pid when its process is gone or a zombie (what a crash or a killed VM leaves)."""
    import psutil

    lock = pgdata / "postmaster.pid"
    try:
        pid = int(lock.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return
    try:
        proc = psutil.Process(pid)
        alive = proc.status() != psutil.STATUS_ZOMBIE and proc.name().startswith("postgres")
        # A reused pid may be another server's: a postmaster runs in its own data directory.
        alive = alive and Path(proc.cwd()).resolve() == pgdata.resolve()
    except psutil.AccessDenied:
        alive = True  # cannot tell: leave the lock to the server's own check
    except psutil.Error:
        alive = False
    if not alive:
        lock.unlink(missing_ok=True)


def embedded_url(pgdata: Path | None = None, *, keep_running: bool = True) -> str:
    """Start (or reuse) the embedded server and return a SQLAlchemy URL to its `recon` database.

    keep_running leaves the server up after this process exits, so later runs, the UI and analysts
    share it; `recon db stop` stops it cleanly. Every role signs in with its password (nothing is
    trusted): the owner's is generated once and kept beside the data directory (0600).
    """
    pgdata = Path(os.path.realpath(pgdata or pgdata_dir()))
    srv = _server(pgdata, None if keep_running else "delete")
    owner = secret(pgdata, "owner")
    uri = srv.get_uri().replace("postgres:@", f"postgres:{quote(owner, safe='')}@", 1)
    _require_passwords(srv, pgdata, owner)
    # pgserver's lock between processes: steps starting at once never alter one role together.
    from psycopg import sql

    with srv._lock, _connect(uri, pgdata) as conn:
        if conn.execute(postgres_sql("select_database"), {"name": DATABASE}).fetchone() is None:
            conn.execute(composed("create_database", sql.Identifier(DATABASE)))
        analyst = os.environ.get("RECON_ANALYST_PASSWORD") or secret(pgdata, "analyst")
        _ensure_analyst(conn, analyst)
    return to_sqlalchemy_url(srv.get_uri(DATABASE).replace(
        "postgres:@", f"postgres:{quote(owner, safe='')}@", 1))


def secret(pgdata: Path, role: str) -> str:
    """A role's generated password, kept in <data dir>.<role>-password, readable by its owner only."""
    path = pgdata.with_name(f"{pgdata.name}.{role}-password")
    if not path.exists():
        # Written whole under another name, then linked in: two first starts agree on one password.
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24) + "\n")
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def _connect(uri: str, pgdata: Path):  # type: ignore[no-untyped-def]
    import psycopg

    try:
        return psycopg.connect(uri, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(
            f"The embedded PostgreSQL under {pgdata} refused the suite's owner role "
            f"({str(exc).strip().splitlines()[0]}); its password is kept in "
            f"{pgdata.name}.owner-password beside the data directory.") from exc


def _require_passwords(srv, pgdata: Path, owner: str) -> None:  # type: ignore[no-untyped-def]
    """Once per data directory: give the owner its password, then stop trusting local sign-ins."""
    hba = pgdata / "pg_hba.conf"
    if _HBA_MARK in hba.read_text():
        return
    import psycopg
    from psycopg import sql

    with srv._lock:  # pgserver's lock between processes: one of them does this
        if _HBA_MARK in hba.read_text():
            return
        with psycopg.connect(srv.get_uri(), autocommit=True, connect_timeout=10) as conn:
            conn.execute(composed("set_owner_password", sql.Literal(owner)))
            hba.write_text(_HBA)  # in place: the file keeps the server's owner and mode
            conn.execute(postgres_sql("reload_server_config"))


def _ensure_analyst(conn, password: str) -> None:  # type: ignore[no-untyped-def]
    """The read-only role signs in with its own password; its grants come with every upgrade."""
    from psycopg import sql

    exists = conn.execute(postgres_sql("select_analyst_role")).fetchone()
    conn.execute(composed("alter_analyst_role" if exists else "create_analyst_role", sql.Literal(password)))


def composed(name: str, *parts: Any) -> Any:
    """A query file whose {} take a name or literal that psycopg.sql quotes (the server's bootstrap: no
    SQLAlchemy, and names and passwords cannot be bound)."""
    from psycopg import sql

    return sql.SQL(postgres_sql(name)).format(*parts)


def stop_embedded(pgdata: Path | None = None) -> bool:
    """Stop the embedded server if it runs; True when one was stopped."""
    pgdata = pgdata or pgdata_dir()
    if not (pgdata / "postmaster.pid").exists():
        return False
    _import_pgserver()
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined]  # defined at import, per binary
    from pgserver.utils import PostmasterInfo

    _clear_stale_lock(pgdata)
    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or not info.is_running():
        return False
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return True


def to_sqlalchemy_url(url: str) -> str:
    """Any postgres URL -> the psycopg 3 driver SQLAlchemy 2.1 expects."""
    for prefix in ("postgresql+psycopg2://", "postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    raise DatabaseUnavailable(
        f"RECON_DATABASE_URL must be a PostgreSQL URL (postgresql://user:password@host:5432/db); "
        f"got one starting with {url.split(':', 1)[0]!r}."
    )
