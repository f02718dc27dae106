"""A business date's bank data: the statements of the day written as one partition, and the day's
notifications linked to the statement entries that booked them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from recon.camt import schemas
from recon.camt.findings import unbalanced_statements
from recon.camt.linking import KEYS, link_movements
from recon.camt.parsed import ParsedFile, parse_file
from resources.statements import Registration, StatementSource, register_new_files
from resources.warehouse import Warehouse, WriteStats

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
