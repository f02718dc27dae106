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

from collections.abc import Collection
from dataclasses import dataclass, field, replace
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
from settings.calendar import business_calendar
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
    links: pl.DataFrame
    findings: pl.DataFrame
    writes: dict[str, WriteStats]
    choices: pl.DataFrame = field(default_factory=pl.DataFrame)
    files_missing: list[str] = field(default_factory=list)
    files_from_store: list[str] = field(default_factory=list)
    balance_rows: int = 0
    entry_rows: int = 0
    entry_totals: list[dict[str, Any]] = field(default_factory=list)  # currency, entries, total, scale
    files_read: list[str] = field(default_factory=list)  # parsed in this load (new, or needed again)

    @property
    def complete(self) -> bool:
        """Every statement the day's files delivered was read (from the file or its stored rows), and
        every file in the folder could be read."""
        return not self.unread

    @property
    def unread(self) -> dict[str, str]:
        """File -> why it counts as not read: its statements of the day are not all here."""
        gone = {name: "delivered statements of the day, then left the folder before they were stored"
                for name in self.files_missing}
        return {**self.registration.unread, **gone}


@dataclass
class _Part:
    sha: str
    name: str
    parsed: ParsedFile
    digests: dict[str, str]


@dataclass
class _Held:
    """A file the day's last load already chose from, still in the folder with the same bytes: its candidates
    as chosen then, and the statements of it the store holds rows of (those that counted)."""

    sha: str
    name: str
    row: dict[str, Any]
    candidates: pl.DataFrame
    counted: set[str]


def load_business_date(wh: Warehouse, source: StatementSource, day: date,
                       run_id: str | None = None) -> DayLoad:
    """Register new files, then write exactly the statements of `day` that count, in one commit.

    A file the day already holds unchanged (same name and bytes) is not parsed again: its candidates come from
    the day's recorded choices and its counted rows stay as stored, so a re-run, or an intraday window, parses
    only new files and writes only what changed. Should the rule now count a statement of such a file that the
    store does not hold, that file is read again.

    The statements of `day` are those dated `day` or a non-business day since the business day before
    (recon/calendar.py `days_of`): a Saturday statement is loaded with Monday. Each keeps its own date."""
    days = business_calendar().days_of(day)
    reg = scan_new_files(wh, source, run_id)
    before = _typed(wh.query(postgres_sql("select_day_choices"), ds=days), _CHOICES)
    parts, held, missing, stored = _day_parts(wh, source, days, reg, before)
    while True:
        choices, version_findings = choose(_candidates(parts, held))
        counted: dict[str, set[str]] = {}
        for r in choices.filter(pl.col("counted")).iter_rows(named=True):
            counted.setdefault(r["file_sha256"], set()).add(r["statement_key"])
        lacking = [h for h in held if counted.get(h.sha, set()) - h.counted]
        if not lacking:
            break
        for h in lacking:
            held.remove(h)
            _add_part(wh, source, days, reg, h.row, parts, missing, stored)
    kept = [_of_days(p.parsed, counted.get(p.sha, set()), days) for p in parts]
    new = {"bank_statements": _concat([p.statements for p in kept], schemas.STATEMENTS),
           "bank_balances": _concat([p.balances for p in kept], schemas.BALANCES),
           "bank_entries": _concat([p.entries for p in kept], schemas.ENTRIES)}
    keys = {"bank_statements": ["statement_key"], "bank_balances": ["statement_key", "position"],
            "bank_entries": ["entry_key"]}
    now = sorted(k for ks in counted.values() for k in ks)
    gone = sorted(set(before.filter(pl.col("counted"))["statement_key"].to_list()) - set(now))
    read_again = new["bank_statements"]["statement_key"].to_list()
    partition = {"business_date": day}
    with wh.engine.begin() as conn:
        record_registration(conn, reg)
        writes = {t: _write_statements(conn, t, new[t], keys[t], days, now if before.height == 0 else None,
                                       gone, read_again) for t in new}
        statements = _typed(_frame(conn, postgres_sql("select_day_statements"), ds=days), schemas.STATEMENTS)
        held_booked = [k for h in held for k in h.counted & counted.get(h.sha, set())]
        links = _links(conn, new["bank_entries"], held_booked, statements, day, days)
        writes["bank_entry_links"] = write_rows(conn, "bank_entry_links", links,
                                                ["notification_entry_key"], partition)
        writes["bank_statement_choices"] = _write_days(
            conn, "bank_statement_choices", choices.with_columns(run_id=pl.lit(run_id, pl.String())),
            ["business_date", "file_sha256", "statement_key"], days)
        counts = conn.execute(sa.text(postgres_sql("count_day_bank_rows")), {"ds": days}).one()
        totals = [dict(r._mapping) for r in conn.execute(sa.text(postgres_sql("select_day_entry_totals")),
                                                         {"ds": days})]
    move_quarantined(wh, source, reg)
    findings = pl.concat([unbalanced_statements(statements), discrepancy_frame(version_findings)])
    return DayLoad(reg, sorted({p.name for p in parts} | {h.name for h in held}), statements, links,
                   findings, writes, choices, missing, stored, int(counts.balances), int(counts.entries),
                   totals, sorted(p.name for p in parts))


_CHOICES: dict[str, pl.DataType] = {
    **{c: {**schemas.STATEMENTS, "content_sha256": pl.String()}[c] for c in CANDIDATE_COLUMNS},
    "counted": pl.Boolean(), "rule": pl.String()}


def _of_days(parsed: ParsedFile, keys: Collection[str], days: list[date]) -> ParsedFile:
    keep = pl.col("statement_key").is_in(list(keys)) & pl.col("business_date").is_in(days)
    return replace(parsed, statements=parsed.statements.filter(keep), balances=parsed.balances.filter(keep),
                   entries=parsed.entries.filter(keep))


def _write_days(conn: sa.Connection, table: str, rows: pl.DataFrame, key: list[str], days: list[date]
                ) -> WriteStats:
    """Each date's rows replaced whole, so a re-run of the business day leaves none of a date behind."""
    stats = [write_rows(conn, table, rows.filter(pl.col("business_date") == d), key, {"business_date": d})
             for d in days]
    return WriteStats(sum(s.inserted for s in stats), sum(s.updated for s in stats), sum(s.deleted for s in stats))


def _write_statements(conn: sa.Connection, table: str, rows: pl.DataFrame, key: list[str], days: list[date],
                      counted: list[str] | None, gone: list[str], read_again: list[str]) -> WriteStats:
    """The day's `table` made exactly the counted statements' rows, touching only what changed: the rows read
    in this load upserted, the rows of statements that stopped counting deleted, and of statements read again
    the rows their new read no longer holds. `counted` (a day with no recorded choices) deletes any other."""
    stats = write_rows(conn, table, rows, key)
    deleted = 0
    steps: list[tuple[str, dict[str, Any], dict[str, str]]] = \
        [("delete_uncounted_day_rows", {"gone": gone}, {})] if gone else []
    if read_again:
        steps.append(("delete_unstaged_statement_rows", {"k": read_again},
                      {"stage_key": names(key, "s"), "table_key": names(key, "t")}))
    if counted is not None:
        steps.append(("delete_stray_day_rows", {"counted": counted}, {}))
    if steps:
        # The rows just upserted are not in the statistics yet: keep the planner off nested loops.
        conn.exec_driver_sql(postgres_sql("disable_nested_loops"))
        for name, params, parts in steps:
            sql = render(postgres_sql(name), table=table, **parts)
            deleted += conn.execute(sa.text(sql), {"ds": days, **params}).rowcount
        conn.exec_driver_sql(postgres_sql("enable_nested_loops"))
    return WriteStats(stats.inserted, stats.updated, deleted)


def _frame(conn: sa.Connection, sql: str, **params: Any) -> pl.DataFrame:
    result = conn.execute(sa.text(sql), params)
    cols = list(result.keys())
    rows = [tuple(r) for r in result]
    return pl.DataFrame(rows, schema=cols, orient="row", infer_schema_length=None) if rows \
        else pl.DataFrame(schema=cols)


def _day_parts(wh: Warehouse, source: StatementSource, days: list[date], reg: Registration, before: pl.DataFrame
               ) -> tuple[list[_Part], list[_Held], list[str], list[str]]:
    """Every file that delivered statements of the business day's dates and is not withdrawn: held as the
    day's last load chose from it when unchanged in the folder, else read whole."""
    known = wh.rows(
        postgres_sql("select_files_of_day"),
        ds=days, src=source.name)
    known += [r for r in reg.records if r["status"] == "ingested" and set(days) & set(r["business_dates"])
              and not any(k["file_sha256"] == r["file_sha256"] and k["file_name"] == r["file_name"]
                          for k in known)]
    by_sha = before.partition_by("file_sha256", as_dict=True) if before.height else {}
    parts: list[_Part] = []
    held: list[_Held] = []
    missing: list[str] = []
    stored: list[str] = []
    for f in known:
        sha, name = f["file_sha256"], f["file_name"]
        chosen = by_sha.get((sha,))
        if chosen is not None and sha not in reg.parsed and reg.present.get(name) == sha:
            counted = set(chosen.filter(pl.col("counted"))["statement_key"].to_list())
            held.append(_Held(sha, name, f, chosen.select(CANDIDATE_COLUMNS), counted))
        else:
            _add_part(wh, source, days, reg, f, parts, missing, stored)
    return parts, held, missing, stored


def _add_part(wh: Warehouse, source: StatementSource, days: list[date], reg: Registration, f: dict[str, Any],
              parts: list[_Part], missing: list[str], stored: list[str]) -> None:
    """One file of the day read whole: parsed this run, read again, or (gone) from its stored rows."""
    keys, sha = list(f["statement_keys"]), f["file_sha256"]
    given = dict(zip(keys, f["statement_digests"] or [], strict=False))
    parsed = reg.parsed.get(sha) or _reread(source, f)
    if parsed is None:
        parsed = _stored(wh, sha, f["file_name"], days)
        if parsed.statements.height == 0:
            missing.append(f["file_name"])
            return
        stored.append(f["file_name"])
    mine = _of_days(parsed, keys, days)
    digests = content_digests(mine.statements, mine.balances, mine.entries)
    parts.append(_Part(sha, f["file_name"], mine, {**digests, **given}))


def _reread(source: StatementSource, f: dict[str, Any]) -> ParsedFile | None:
    """The file again, when it is still there with the bytes it was ingested with."""
    name = f["file_name"]
    if not source.exists(name):
        return None
    try:
        with source.local_path(name) as path:
            parsed = parse_file(path, name)
    except OSError:  # gone or unreadable since it was listed: its stored rows count, as for a moved file
        return None
    return parsed if parsed.sha256 == f["file_sha256"] else None


def _stored(wh: Warehouse, sha: str, name: str, days: list[date]) -> ParsedFile:
    """What the day already holds from a file that is gone: its rows, read back exactly."""
    statements = _typed(wh.query(
        postgres_sql("select_file_statements"),
        s=sha, ds=days), schemas.STATEMENTS)
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


def _candidates(parts: list[_Part], held: list[_Held]) -> pl.DataFrame:
    frames = []
    for p in parts:
        s = p.parsed.statements
        frames.append(s.with_columns(
            content_sha256=pl.col("statement_key").replace_strict(p.digests, default=None),
            file_sha256=pl.lit(p.sha), source_file=pl.lit(p.name)).select(CANDIDATE_COLUMNS))
    frames += [h.candidates for h in held]
    if frames:
        return pl.concat(frames)
    return pl.DataFrame(schema={c: _CHOICES[c] for c in CANDIDATE_COLUMNS})


def _concat(frames: list[pl.DataFrame], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def _links(conn: sa.Connection, parsed: pl.DataFrame, held_keys: list[str], statements: pl.DataFrame,
           day: date, days: list[date]) -> pl.DataFrame:
    """Link notifications of the last days (not linked elsewhere) to this day's statements: their entries
    read in this load, and those the store holds (of files held unchanged) for the accounts notified."""
    accounts = statements.filter(pl.col("message_type").str.starts_with("camt.053."))["account"].unique().to_list()
    empty = pl.DataFrame(schema={**schemas.LINKS, "business_date": pl.Date})
    if not accounts:
        return empty
    cols = ["entry_key", "account", "direction", "amount", *KEYS]
    schema = {c: schemas.ENTRIES[c] for c in cols}
    select = render(postgres_sql("select_unlinked_notifications"), columns=names(cols, "e"))
    rows = [dict(r._mapping) for r in conn.execute(sa.text(select), {"a": accounts, "d": day, "w": LINK_WINDOW_DAYS})]
    if not rows:
        return empty
    notes = pl.DataFrame(rows, schema=schema)
    booked = parsed.filter(pl.col("message_type").str.starts_with("camt.053.")).select(cols).cast(schema)  # type: ignore[arg-type]
    if held_keys:
        select = render(postgres_sql("select_day_booked_entries"), columns=names(cols, "e"))
        stored = conn.execute(sa.text(select), {"ds": days, "a": notes["account"].unique().to_list(),
                                                "k": held_keys})
        booked = pl.concat([booked, pl.DataFrame([dict(r._mapping) for r in stored], schema=schema)])
    return link_movements(notes, booked).with_columns(business_date=pl.lit(day))
