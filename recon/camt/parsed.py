"""A whole file read into the three canonical frames, ready to be written by business date."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import polars as pl

from recon.camt import frames
from recon.camt.reader import read_all


@dataclass(frozen=True)
class ParsedFile:
    name: str
    sha256: str
    size: int
    message_type: str
    message_id: str
    statements: pl.DataFrame
    balances: pl.DataFrame
    entries: pl.DataFrame
    warnings: list[str] = field(default_factory=list)

    @property
    def statement_keys(self) -> list[str]:
        return self.statements["statement_key"].to_list()

    @property
    def business_dates(self) -> list[date]:
        return sorted(set(self.statements["business_date"].to_list()))

    def only(self, keys: Collection[str], day: date | None = None) -> ParsedFile:
        """The same file restricted to some statements (and to one business date)."""
        keep = pl.col("statement_key").is_in(list(keys))
        if day is not None:
            keep = keep & (pl.col("business_date") == day)
        return replace(self, statements=self.statements.filter(keep),
                       balances=self.balances.filter(keep), entries=self.entries.filter(keep))


def parse_file(path: str | Path, name: str | None = None) -> ParsedFile:
    """Read a CAMT file completely; raises CamtError (the quarantine reason) when it cannot."""
    reader, entries = read_all(path, source_file=name)
    assert reader.message is not None and reader.sha256 is not None
    return ParsedFile(
        name=reader.source_file, sha256=reader.sha256, size=reader.size,
        message_type=reader.message.message_type, message_id=reader.message.message_id,
        statements=frames.statements_frame(reader.statements),
        balances=frames.balances_frame(reader.balances), entries=entries,
        warnings=list(reader.warnings),
    )
