"""The embedded PostgreSQL (pgserver) used when no RECON_DATABASE_URL is given."""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATABASE = "recon"


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
    except psutil.Error:
        alive = False
    if not alive:
        lock.unlink(missing_ok=True)


def embedded_url(pgdata: Path | None = None, *, keep_running: bool = True) -> str:
    """Start (or reuse) the embedded server and return a SQLAlchemy URL to its `recon` database.

    keep_running leaves the server up after this process exits, so later runs, the UI and analysts
    share it; `recon db stop` stops it cleanly.
    """
    srv = _server(pgdata or pgdata_dir(), None if keep_running else "delete")
    exists = srv.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}';")
    if "(1 row)" not in exists:
        srv.psql(f"CREATE DATABASE {DATABASE};")
    return to_sqlalchemy_url(srv.get_uri(DATABASE))


def stop_embedded(pgdata: Path | None = None) -> bool:
    """Stop the embedded server if it runs; True when one was stopped."""
    pgdata = pgdata or pgdata_dir()
    if not (pgdata / "postmaster.pid").exists():
        return False
    _import_pgserver()
    from pgserver._commands import pg_ctl
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
