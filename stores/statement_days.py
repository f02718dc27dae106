"""A business date's bank data: the statements of the day written as one partition, and the day's
notifications linked to the statement entries that booked them.

One day's load is one transaction: the new files' verdicts (recon.ingested_files), the day's
statements, balances, entries, links and the rule's choices commit together or not at all, so a
killed load leaves nothing half-written and the next run loads the day whole. Files are moved to
quarantine only after that commit.

Where a file that delivered statements of the day is no longer in the folder (or its name now
holds other bytes), the statements of it that the day already stored keep counting from those
rows (they were read completely, and the file's hash identifies them); any it delivered that were
never stored are left out and listed in `files_missing` (the load is then not complete). A file
stops counting only when a person withdraws it (`recon camt withdraw`), never because it moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl
import sqlalchemy as sa

from clients.folder_source import StatementSource
from recon.camt import schemas
from recon.camt.findings import unbalanced_statements
from recon.camt.linking import KEYS, link_movements
from recon.camt.parsed import ParsedFile, parse_file
from recon.camt.versions import CANDIDATE_COLUMNS, choose, content_digests
from recon.discrepancies import discrepancy_frame
from recon.sql import postgres_sql
from stores.identifiers import names, render
from stores.pg_writer import WriteStats, write_rows
from stores.statement_files import Registration, move_quarantined, record_registration, scan_new_files
from stores.warehouse import Warehouse

LINK_WINDOW_DAYS = 10  # a notification is booked in a statement within this many days


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
    choices: pl.DataFrame = field(default_factory=pl.DataFrame)
    files_missing: list[str] = field(default_factory=list)
    files_from_store: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every statement the day's files delivered was read (from the file or its stored rows)."""
        return not self.files_missing


@dataclass
class _Part:
    sha: str
    name: str
    parsed: ParsedFile
    digests: dict[str, str]


def load_business_date(wh: Warehouse, source: StatementSource, day: date,
                       run_id: str | None = None) -> DayLoad:
    """Register new files, then write exactly the statements of `day` that count, in one commit."""
    reg = scan_new_files(wh, source, run_id)
    parts, missing, stored = _day_parts(wh, source, day, reg)
    candidates = _candidates(parts)
    choices, version_findings = choose(candidates)
    counted: dict[str, set[str]] = {}
    for r in choices.filter(pl.col("counted")).iter_rows(named=True):
        counted.setdefault(r["file_sha256"], set()).add(r["statement_key"])
    kept = [p.parsed.only(counted.get(p.sha, set()), day) for p in parts]
    statements = _concat([p.statements for p in kept], schemas.STATEMENTS)
    balances = _concat([p.balances for p in kept], schemas.BALANCES)
    entries = _concat([p.entries for p in kept], schemas.ENTRIES)
    partition = {"business_date": day}
    with wh.engine.begin() as conn:
        record_registration(conn, reg)
        writes = {
            "bank_statements": write_rows(conn, "bank_statements", statements, ["statement_key"],
                                          partition),
            "bank_balances": write_rows(conn, "bank_balances", balances,
                                        ["statement_key", "position"], partition),
            "bank_entries": write_rows(conn, "bank_entries", entries, ["entry_key"], partition),
        }
        links = _links(conn, entries, day)
        writes["bank_entry_links"] = write_rows(conn, "bank_entry_links", links,
                                                ["notification_entry_key"], partition)
        writes["bank_statement_choices"] = write_rows(
            conn, "bank_statement_choices", choices.with_columns(run_id=pl.lit(run_id, pl.String())),
            ["business_date", "file_sha256", "statement_key"], partition)
    move_quarantined(wh, source, reg)
    findings = pl.concat([unbalanced_statements(statements), discrepancy_frame(version_findings)])
    return DayLoad(reg, sorted({p.name for p in parts}), statements, balances, entries, links,
                   findings, writes, choices, missing, stored)


def _day_parts(wh: Warehouse, source: StatementSource, day: date, reg: Registration
               ) -> tuple[list[_Part], list[str], list[str]]:
    """Every file that delivered statements of `day` and is not withdrawn, read whole."""
    known = wh.rows(
        postgres_sql("select_files_of_day"),
        d=day, src=source.name)
    known += [r for r in reg.records if r["status"] == "ingested" and day in r["business_dates"]
              and not any(k["file_sha256"] == r["file_sha256"] and k["file_name"] == r["file_name"]
                          for k in known)]
    parts, missing, stored = [], [], []
    for f in known:
        keys, sha = list(f["statement_keys"]), f["file_sha256"]
        given = dict(zip(keys, f["statement_digests"] or [], strict=False))
        parsed = reg.parsed.get(sha) or _reread(source, f)
        if parsed is None:
            parsed = _stored(wh, sha, f["file_name"], day)
            if parsed.statements.height == 0:
                missing.append(f["file_name"])
                continue
            stored.append(f["file_name"])
        mine = parsed.only(keys, day)
        digests = content_digests(mine.statements, mine.balances, mine.entries)
        parts.append(_Part(sha, f["file_name"], mine, {**digests, **given}))
    return parts, missing, stored


def _reread(source: StatementSource, f: dict[str, Any]) -> ParsedFile | None:
    """The file again, when it is still there with the bytes it was ingested with."""
    name = f["file_name"]
    if not source.exists(name):
        return None
    with source.local_path(name) as path:
        parsed = parse_file(path, name)
    return parsed if parsed.sha256 == f["file_sha256"] else None


def _stored(wh: Warehouse, sha: str, name: str, day: date) -> ParsedFile:
    """What the day already holds from a file that is gone: its rows, read back exactly."""
    statements = _typed(wh.query(
        postgres_sql("select_file_statements"),
        s=sha, d=day), schemas.STATEMENTS)
    keys = statements["statement_key"].to_list()
    balances = _typed(wh.query(postgres_sql("select_statement_balances"),
                               k=keys), schemas.BALANCES)
    entries = _typed(wh.query(postgres_sql("select_statement_entries"),
                              k=keys), schemas.ENTRIES)
    return ParsedFile(name, sha, 0, "", "", statements, balances, entries)


def _typed(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if frame.height == 0:
        return pl.DataFrame(schema=schema)
    return frame.select([pl.col(c).cast(t) if c in frame.columns else pl.lit(None, t).alias(c)
                         for c, t in schema.items()])


def _candidates(parts: list[_Part]) -> pl.DataFrame:
    frames = []
    for p in parts:
        s = p.parsed.statements
        frames.append(s.with_columns(
            content_sha256=pl.col("statement_key").replace_strict(p.digests, default=None),
            file_sha256=pl.lit(p.sha), source_file=pl.lit(p.name)).select(CANDIDATE_COLUMNS))
    if frames:
        return pl.concat(frames)
    schema = {**schemas.STATEMENTS, "content_sha256": pl.String()}
    return pl.DataFrame(schema={c: schema[c] for c in CANDIDATE_COLUMNS})


def _concat(frames: list[pl.DataFrame], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def _links(conn: sa.Connection, entries: pl.DataFrame, day: date) -> pl.DataFrame:
    """Link notifications of the last days (not linked elsewhere) to this day's statements."""
    booked = entries.filter(pl.col("message_type").str.starts_with("camt.053."))
    accounts = booked["account"].unique().to_list()
    empty = pl.DataFrame(schema={**schemas.LINKS, "business_date": pl.Date})
    if not accounts:
        return empty
    cols = ["entry_key", "account", "direction", "amount", *KEYS]
    select = render(postgres_sql("select_unlinked_notifications"), columns=names(cols, "e"))
    rows = [dict(r._mapping) for r in conn.execute(sa.text(select), {"a": accounts, "d": day, "w": LINK_WINDOW_DAYS})]
    if not rows:
        return empty
    notes = pl.DataFrame(rows, schema={c: schemas.ENTRIES[c] for c in cols})
    return link_movements(notes, booked).with_columns(business_date=pl.lit(day))
