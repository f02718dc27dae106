"""Bank statement files: how each one is accounted for (where they arrive: clients/folder_source.py).

Every file found ends as one row of recon.ingested_files: `ingested`, `duplicate` (same bytes,
or statements another file already delivered with the same content) or `quarantined` (moved
aside, with the reason); a person may later mark an ingested file `withdrawn`. One bad file never
stops the others. Registration only decides: the rows are written by the caller, in the same
transaction as the business date they feed, and files are moved aside only after that commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import sqlalchemy as sa

from clients.folder_source import StatementSource
from recon.camt.errors import CamtError
from recon.camt.parsed import ParsedFile, parse_file
from recon.camt.versions import content_digests
from recon.sql import postgres_sql
from stores import pg_discrepancies
from stores.pg_writer import write_rows
from stores.warehouse import Warehouse


@dataclass
class Registration:
    ingested: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    quarantined: dict[str, str] = field(default_factory=dict)
    parsed: dict[str, ParsedFile] = field(default_factory=dict)  # by sha256, read this run
    records: list[dict[str, Any]] = field(default_factory=list)  # rows for recon.ingested_files
    moves: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (sha256, reason)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


class _Owners:
    """Who already delivered each statement, and with which content (database plus this scan)."""

    def __init__(self, wh: Warehouse) -> None:
        self.by_key: dict[str, list[tuple[str, str | None]]] = {}
        for r in wh.rows(
                postgres_sql("select_statement_digests")):
            self.by_key.setdefault(r["key"], []).append((r["file_name"], r["digest"]))

    def add(self, name: str, keys: list[str], digests: dict[str, str]) -> None:
        for k in keys:
            self.by_key.setdefault(k, []).append((name, digests[k]))

    def delivered(self, key: str, digest: str) -> str | None:
        """The file that already delivered this statement with this content (unknown: same)."""
        for name, d in self.by_key.get(key, []):
            if d is None or d == digest:
                return name
        return None


def scan_new_files(wh: Warehouse, source: StatementSource, run_id: str | None = None
                   ) -> Registration:
    """Decide every file not yet in recon.ingested_files; writes nothing and moves nothing."""
    rows = wh.rows(postgres_sql("select_ingested_files"))
    seen = {(r["file_sha256"], r["file_name"]): r for r in rows}
    # Same name, size and modification time as when registered: the same bytes, not read again. The cost of
    # a scan follows the new files, not the folder's size.
    unchanged = {(r["file_name"], r["size_bytes"], r["mtime_ns"]): r["file_sha256"] for r in rows
                 if r["mtime_ns"] is not None and r["source"] == source.name}
    first_by_sha = {sha: (name, r["status"]) for (sha, name), r in seen.items()
                    if r["status"] in ("ingested", "withdrawn")}
    owners = _Owners(wh)
    out = Registration()
    for name in source.list():
        with source.local_path(name) as path:
            stat = path.stat()
            sha = unchanged.get((name, stat.st_size, stat.st_mtime_ns)) or sha256_file(path)
            if (sha, name) in seen:
                if seen[(sha, name)]["status"] == "quarantined":  # the same bad file, dropped again
                    out.moves[name] = (sha, "already quarantined once: same name and content")
                continue
            base = {"file_sha256": sha, "file_name": name, "source": source.name,
                    "size_bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns, "run_id": run_id}
            if sha in first_by_sha:
                first, status = first_by_sha[sha]
                what = "withdrawn file " if status == "withdrawn" else ""
                out.records.append({**base, "status": "duplicate", "duplicate_of": first,
                                    "reason": f"same content as {what}{first}"})
                out.duplicates.append(name)
                continue
            try:
                parsed = parse_file(path, name)
            except CamtError as exc:
                reason = exc.message
            except Exception as exc:  # an unexpected failure is still this file's, not the run's
                reason = f"unreadable: {type(exc).__name__}: {exc}"
            else:
                _register_parsed(base, parsed, owners, out)
                first_by_sha[sha] = (name, "ingested")
                continue
        out.records.append({**base, "status": "quarantined", "reason": reason})
        out.moves[name] = (sha, reason)
        out.quarantined[name] = reason
    for name, target in getattr(source, "links_out", {}).items():
        sha = hashlib.sha256(f"symlink:{target}".encode()).hexdigest()
        if (sha, name) not in seen:
            reason = (f"symbolic link to {target}, outside the drop folder: "
                      "not read and not moved")
            out.records.append({"file_sha256": sha, "file_name": name, "source": source.name,
                                "run_id": run_id, "status": "quarantined", "reason": reason,
                                "quarantine_path": "not moved (link outside the drop folder)"})
            out.quarantined[name] = reason
    return out


def _register_parsed(base: dict, parsed: ParsedFile, owners: _Owners, out: Registration) -> None:
    digests = content_digests(parsed.statements, parsed.balances, parsed.entries)
    keys = parsed.statement_keys
    delivered = {k: owners.delivered(k, digests[k]) for k in keys}
    new = [k for k in keys if delivered[k] is None]
    info = {"message_type": parsed.message_type, "message_id": parsed.message_id}
    if not new:
        first = delivered[keys[0]]
        out.records.append({**base, **info, "status": "duplicate", "duplicate_of": first,
                            "reason": f"every statement already delivered by {first}"})
        out.duplicates.append(parsed.name)
        return
    mine = parsed.only(new)
    notes = list(parsed.warnings)
    earlier = sorted({f for f in delivered.values() if f})
    if earlier:
        notes.insert(0, f"{len(keys) - len(new)} statement(s) already delivered by "
                        f"{', '.join(earlier)} skipped")
    out.records.append({**base, **info, "status": "ingested", "reason": "; ".join(notes) or None,
                        "business_date": mine.business_dates[0],
                        "business_dates": mine.business_dates,
                        "statements": mine.statements.height, "entries": mine.entries.height,
                        "statement_keys": new, "statement_digests": [digests[k] for k in new]})
    owners.add(parsed.name, new, digests)
    out.ingested.append(parsed.name)
    out.parsed[parsed.sha256] = parsed


def record_registration(conn: sa.Connection, reg: Registration) -> None:
    """The files' verdicts, inside the caller's transaction. Arrays travel as Postgres literals."""
    if not reg.records:
        return
    rows = []
    for r in reg.records:
        row = dict(r)
        for col in ("statement_keys", "business_dates", "statement_digests"):
            if col in row:
                row[col] = "{" + ",".join(str(x) for x in row[col]) + "}"
        rows.append(row)
    write_rows(conn, "ingested_files", pl.DataFrame(rows, infer_schema_length=None),
               ["file_sha256", "file_name"])


def move_quarantined(wh: Warehouse, source: StatementSource, reg: Registration) -> None:
    """After the verdicts are committed: move the quarantined files aside and say where.

    A run killed between the commit and the move leaves the file in place; the next run sees
    its verdict and moves it then (the first place it was moved to is the one recorded).
    """
    for name, (sha, reason) in reg.moves.items():
        try:
            where = source.quarantine(name, reason)
        except OSError as exc:
            where = f"not moved ({exc})"
        with wh.engine.begin() as conn:
            conn.execute(sa.text(postgres_sql("update_quarantine_path")),
                         {"w": where, "s": sha, "n": name})


def register_new_files(wh: Warehouse, source: StatementSource, run_id: str | None = None
                       ) -> Registration:
    """Account for every new file on its own (no business date loaded): one transaction."""
    reg = scan_new_files(wh, source, run_id)
    with wh.engine.begin() as conn:
        record_registration(conn, reg)
    move_quarantined(wh, source, reg)
    return reg


@dataclass
class Withdrawal:
    file_name: str
    file_sha256: str
    business_dates: list[Any]
    already: bool


def withdraw_file(wh: Warehouse, file: str | Path, by: str, reason: str) -> Withdrawal:
    """Mark an ingested file withdrawn (audited): its statements stop counting when its business
    dates are loaded again. A path that exists picks the file by content among same-named ones."""
    if not by.strip() or not reason.strip():
        raise ValueError("a withdrawal needs who (--by) and why (--reason)")
    name = Path(file).name
    rows = wh.rows(postgres_sql("select_files_by_name"), n=name)
    if Path(file).is_file():
        sha = sha256_file(Path(file))
        rows = [r for r in rows if r["file_sha256"] == sha]
    if not rows:
        raise LookupError(f"no ingested file named {name} in recon.ingested_files "
                          "(only ingested files can be withdrawn)")
    if len(rows) > 1:
        shas = ", ".join(r["file_sha256"][:12] for r in rows)
        raise LookupError(f"{len(rows)} ingested files are named {name} ({shas}); give the path "
                          "of the one to withdraw")
    row = rows[0]
    dates = sorted(row["business_dates"] or [])
    if row["status"] == "withdrawn":
        return Withdrawal(name, row["file_sha256"], dates, already=True)
    with wh.engine.begin() as conn:
        conn.execute(sa.text(
            postgres_sql("withdraw_file")),
            {"b": by, "r": reason, "s": row["file_sha256"], "n": name})
        pg_discrepancies.audit(conn, by, "camt_withdraw", f"file:{name}", {
            "file_sha256": row["file_sha256"], "reason": reason, "source": row["source"],
            "business_dates": [str(d) for d in dates]})
    return Withdrawal(name, row["file_sha256"], dates, already=False)
