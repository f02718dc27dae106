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
from pathlib import Path
from typing import Protocol

import dagster as dg
import polars as pl

from recon.camt.errors import CamtError
from recon.camt.parsed import ParsedFile, parse_file
from resources.warehouse import Warehouse

QUARANTINE_DIR = "quarantine"
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
        if not str(root).strip():  # Path("") is the working directory: never read or quarantine it
            raise FileNotFoundError("statement drop folder not configured (RECON_STATEMENTS_DIR is empty)")
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
