"""Bank statement files: where they arrive (a source), and how each one is accounted for.

Every file found ends as one row of recon.ingested_files: `ingested`, `duplicate` (same bytes,
or statements another file already delivered) or `quarantined` (moved aside, with the reason).
One bad file never stops the others.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import dagster as dg
import polars as pl

from recon.camt import schemas
from recon.camt.errors import CamtError
from recon.camt.findings import unbalanced_statements
from recon.camt.linking import KEYS, link_movements
from recon.camt.parsed import ParsedFile, parse_file
from resources.warehouse import Warehouse, WriteStats

QUARANTINE_DIR = "quarantine"
LINK_WINDOW_DAYS = 10  # a notification is booked in a statement within this many days
_SKIPPED_SUFFIXES = (".partial", ".tmp", ".part", ".reason.txt")


class StatementSource(Protocol):
    """Where files arrive. A local folder today; an object store implements the same four calls."""

    name: str

    def list(self) -> list[str]: ...

    def local_path(self, file_name: str) -> Iterator[Path]: ...

    def exists(self, file_name: str) -> bool: ...

    def quarantine(self, file_name: str, reason: str) -> str: ...


class LocalFolderSource:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.name = f"drop_folder:{self.root}"

    def list(self) -> list[str]:
        """Files in arrival order (mtime, then name): the first of two copies is the original.

        Hidden and half-written files (.partial, .tmp) are not files yet.
        """
        if not self.root.is_dir():
            raise FileNotFoundError(f"statement drop folder {self.root} does not exist")
        found = [p for p in self.root.iterdir() if p.is_file()
                 and not p.name.startswith(".") and not p.name.endswith(_SKIPPED_SUFFIXES)]
        return [p.name for p in sorted(found, key=lambda p: (p.stat().st_mtime_ns, p.name))]

    @contextmanager
    def local_path(self, file_name: str) -> Iterator[Path]:
        yield self.root / file_name

    def exists(self, file_name: str) -> bool:
        return (self.root / file_name).is_file()

    def quarantine(self, file_name: str, reason: str) -> str:
        """Move the file into quarantine/ (never delete it) with its reason beside it."""
        target_dir = self.root / QUARANTINE_DIR
        target_dir.mkdir(exist_ok=True)
        target = target_dir / file_name
        n = 1
        while target.exists():
            target, n = target_dir / f"{file_name}.{n}", n + 1
        shutil.move(str(self.root / file_name), target)
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n")
        return str(target)


class StatementsResource(dg.ConfigurableResource):
    """The statement drop folder (RECON_STATEMENTS_DIR)."""

    drop_folder: str

    def source(self) -> StatementSource:
        return LocalFolderSource(self.drop_folder)


@dataclass
class Registration:
    ingested: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    quarantined: dict[str, str] = field(default_factory=dict)
    parsed: dict[str, ParsedFile] = field(default_factory=dict)  # by sha256, read this run


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def register_new_files(wh: Warehouse, source: StatementSource, run_id: str | None = None
                       ) -> Registration:
    """Account for every file not yet in recon.ingested_files."""
    seen = {(r["file_sha256"], r["file_name"]): r for r in wh.rows(
        "SELECT file_sha256, file_name, status FROM recon.ingested_files")}
    first_by_sha = {sha: name for (sha, name), r in seen.items() if r["status"] == "ingested"}
    out = Registration()
    for name in source.list():
        with source.local_path(name) as path:
            sha = sha256_file(path)
            if (sha, name) in seen:
                if seen[(sha, name)]["status"] == "quarantined":  # the same bad file, dropped again
                    _move_aside(source, name, "already quarantined once: same name and content")
                continue
            base = {"file_sha256": sha, "file_name": name, "source": source.name,
                    "size_bytes": path.stat().st_size, "run_id": run_id}
            if sha in first_by_sha:
                _record(wh, {**base, "status": "duplicate", "duplicate_of": first_by_sha[sha],
                             "reason": f"same content as {first_by_sha[sha]}"})
                out.duplicates.append(name)
                continue
            try:
                parsed = parse_file(path, name)
            except CamtError as exc:
                reason = exc.message
            except Exception as exc:  # an unexpected failure is still this file's, not the run's
                reason = f"unreadable: {type(exc).__name__}: {exc}"
            else:
                _register_parsed(wh, base, parsed, out)
                first_by_sha[sha] = name
                continue
        where = _move_aside(source, name, reason)
        _record(wh, {**base, "status": "quarantined", "reason": reason, "quarantine_path": where})
        out.quarantined[name] = reason
    return out


def _move_aside(source: StatementSource, name: str, reason: str) -> str | None:
    """Quarantine; a file that cannot be moved is still recorded (and says why it stayed)."""
    try:
        return source.quarantine(name, reason)
    except OSError as exc:
        return f"not moved ({exc})"


def _register_parsed(wh: Warehouse, base: dict, parsed: ParsedFile, out: Registration) -> None:
    keys = parsed.statement_keys
    owners = {r["k"]: r["file_name"] for r in wh.rows(
        "SELECT f.file_name, k FROM recon.ingested_files f, unnest(f.statement_keys) AS k "
        "WHERE f.status = 'ingested' AND k = ANY(CAST(:keys AS text[]))", keys=keys)}
    new = [k for k in keys if k not in owners]
    info = {"message_type": parsed.message_type, "message_id": parsed.message_id}
    if not new:
        first = owners[keys[0]]
        _record(wh, {**base, **info, "status": "duplicate", "duplicate_of": first,
                     "reason": f"every statement already delivered by {first}"})
        out.duplicates.append(parsed.name)
        return
    mine = parsed.only(new)
    notes = list(parsed.warnings)
    if owners:
        notes.insert(0, f"{len(owners)} statement(s) already delivered by "
                        f"{', '.join(sorted(set(owners.values())))} skipped")
    _record(wh, {**base, **info, "status": "ingested", "reason": "; ".join(notes) or None,
                 "business_date": mine.business_dates[0], "business_dates": mine.business_dates,
                 "statements": mine.statements.height, "entries": mine.entries.height,
                 "statement_keys": new})
    out.ingested.append(parsed.name)
    out.parsed[parsed.sha256] = parsed


def _record(wh: Warehouse, row: dict) -> None:
    """One file's verdict. Arrays travel as Postgres array literals (keys are hex, dates ISO)."""
    for col in ("statement_keys", "business_dates"):
        if col in row:
            row[col] = "{" + ",".join(str(x) for x in row[col]) + "}"
    frame = pl.DataFrame([row], infer_schema_length=None)
    wh.write("ingested_files", frame, key=["file_sha256", "file_name"])


@dataclass
class DayLoad:
    """What one business date holds after a load, and what each write changed."""

    registration: Registration
    files: list[str]
    statements: pl.DataFrame
    balances: pl.DataFrame
    entries: pl.DataFrame
    links: pl.DataFrame
    findings: pl.DataFrame
    writes: dict[str, WriteStats]


def load_business_date(wh: Warehouse, source: StatementSource, day: date,
                       run_id: str | None = None) -> DayLoad:
    """Register new files, then write exactly the statements of `day` (partition replaced)."""
    reg = register_new_files(wh, source, run_id)
    owned = wh.rows(
        "SELECT file_sha256, file_name, statement_keys FROM recon.ingested_files "
        "WHERE status = 'ingested' AND source = :src AND CAST(:d AS date) = ANY(business_dates) "
        "ORDER BY ingested_at, file_name", d=day, src=source.name)
    parts = [(reg.parsed.get(f["file_sha256"]) or _reread(source, f, day))
             .only(f["statement_keys"], day) for f in owned]
    statements = _concat([p.statements for p in parts], schemas.STATEMENTS)
    balances = _concat([p.balances for p in parts], schemas.BALANCES)
    entries = _concat([p.entries for p in parts], schemas.ENTRIES)
    partition = {"business_date": day}
    writes = {
        "bank_statements": wh.write("bank_statements", statements, ["statement_key"], partition),
        "bank_balances": wh.write("bank_balances", balances, ["statement_key", "position"],
                                  partition),
        "bank_entries": wh.write("bank_entries", entries, ["entry_key"], partition),
    }
    links = _links(wh, entries, day)
    writes["bank_entry_links"] = wh.write("bank_entry_links", links, ["notification_entry_key"],
                                          partition)
    return DayLoad(reg, [f["file_name"] for f in owned], statements, balances, entries, links,
                   unbalanced_statements(statements), writes)


def _reread(source: StatementSource, f: dict, day: date) -> ParsedFile:
    name = f["file_name"]
    if not source.exists(name):
        raise FileNotFoundError(
            f"{name} holds statements of {day} but is no longer in {source.name}; "
            f"put it back to reload {day} (nothing was written)")
    with source.local_path(name) as path:
        parsed = parse_file(path, name)
    if parsed.sha256 != f["file_sha256"]:
        raise ValueError(f"{name} changed since it was ingested (sha256 {f['file_sha256']}); "
                         "a corrected file must arrive under a new name (nothing was written)")
    return parsed


def _concat(frames: list[pl.DataFrame], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def _links(wh: Warehouse, entries: pl.DataFrame, day: date) -> pl.DataFrame:
    """Link notifications of the last days (not linked elsewhere) to this day's statements."""
    booked = entries.filter(pl.col("message_type").str.starts_with("camt.053."))
    accounts = booked["account"].unique().to_list()
    empty = pl.DataFrame(schema={**schemas.LINKS, "business_date": pl.Date})
    if not accounts:
        return empty
    cols = ["entry_key", "account", "direction", "amount", *KEYS]
    rows = wh.rows(
        f"SELECT {', '.join(cols)} FROM recon.bank_entries e "
        "WHERE e.message_type NOT LIKE 'camt.053.%' AND e.account = ANY(CAST(:a AS text[])) "
        "AND e.business_date BETWEEN CAST(:d AS date) - :w AND CAST(:d AS date) "
        "AND NOT EXISTS (SELECT 1 FROM recon.bank_entry_links l WHERE "
        "l.notification_entry_key = e.entry_key AND l.business_date <> CAST(:d AS date))",
        a=accounts, d=day, w=LINK_WINDOW_DAYS)
    if not rows:
        return empty
    notes = pl.DataFrame(rows, schema={c: schemas.ENTRIES[c] for c in cols})
    return link_movements(notes, booked).with_columns(business_date=pl.lit(day))
