"""Streaming CAMT.052/053/054 reader: flat memory whatever the file size.

lxml iterparse fires on the end of GrpHdr, each Ntry and each Stmt/Rpt/Ntfctn only; an entry is
turned into rows and cleared at once, with the entries before it, so the tree never grows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
from lxml import etree

from recon.camt import frames
from recon.camt.entry import entry_rows, parse_entry
from recon.camt.errors import CamtError
from recon.camt.message import Message, StatementState, identify
from recon.camt.safe_xml import HashingReader, check_prolog, iter_end
from recon.camt.split import MARKER_TAG, FirstPart

# Files from this size on are read in two parts, one in a child process (see parallel.py).
PARALLEL_MIN_BYTES = 48 << 20

_TAGS = ["{*}GrpHdr", "{*}Stmt", "{*}Rpt", "{*}Ntfctn", "{*}Ntry"]
_ANY_GRPHDR = re.compile(r"^(\{[^}]*\})?GrpHdr$")
# Rows become a raw frame every so many, while still in the CPU cache; a batch is typed once.
_CHUNK_ROWS = 256


class CamtReader:
    """Read one file: iterate `entry_batches()`, then statements, balances, warnings are set."""

    def __init__(self, path: str | Path, *, batch_rows: int = 50_000, keep_uetrs: bool = False,
                 source_file: str | None = None, parallel: bool | None = None) -> None:
        self.path = Path(path)
        # None: in two processes from PARALLEL_MIN_BYTES on; True: whenever a cut is found.
        self.parallel = parallel
        self.source_file = source_file or self.path.name
        self.batch_rows = batch_rows
        self.keep_uetrs = keep_uetrs
        self.message: Message | None = None
        self.statements: list[dict[str, Any]] = []
        self.balances: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self.sha256: str | None = None
        self.size = 0
        self._st: StatementState | None = None
        # The open statement's element and its last entry read: held, so that each next entry
        # is checked by identity and its predecessor removed without building tag strings.
        self._stmt_el: Any = None
        self._prev_entry: Any = None
        self._pending: list[dict[str, Any]] = []
        self._parts: list[pl.DataFrame] = []
        self._buffered = 0  # rows in _parts
        self._position = 0
        # Reading one part of a split file (parallel.py): "first" ends at the cut, leaving the
        # statement it cuts open; "second" begins inside that statement and does not close it.
        self._part: str | None = None
        self.cut_statement: StatementState | None = None
        self.cut_chain: list[tuple[str, dict]] | None = None
        self._root_tag = "?"
        self.parts = 1  # 2 when the file was read in two parts at once
        self.second_part_peak_rss_kb: int | None = None  # the child process's, when it read one

    def entry_batches(self) -> Iterator[pl.DataFrame]:
        if self._split_worthwhile():
            from recon.camt.parallel import read_in_two_parts

            yield from read_in_two_parts(self)
            return
        yield from self.read_whole()

    def read_whole(self) -> Iterator[pl.DataFrame]:
        with self.path.open("rb") as raw:
            src = HashingReader(raw, check_prolog(raw))
            yield from self.parse(src)
            while src.read(1 << 20):
                pass  # trailing bytes after the root still belong to the file's hash
            self.sha256, self.size = src.sha256.hexdigest(), src.size
        self.finish()
        if self._pending or self._parts:
            yield self._flush()

    def read_first_part(self, raw: Any, split: Any) -> Iterator[pl.DataFrame]:
        """Batches of the file up to the cut; the rest of the file is only hashed."""
        self._part = "first"
        src = HashingReader(raw, check_prolog(raw))
        yield from self.parse(FirstPart(src, split))
        if self.cut_statement is None:
            raise CutMismatch("the first part did not end at its marker")
        while src.read(1 << 20):
            pass
        self.sha256, self.size = src.sha256.hexdigest(), src.size

    def read_second_part(self, src: Any) -> Iterator[pl.DataFrame]:
        self._part = "second"
        yield from self.parse(src)
        if self.cut_statement is None:
            raise CutMismatch("the second part never closed the statement it continues")
        if self._pending or self._parts:
            yield self._flush()

    def parse(self, src: Any) -> Iterator[pl.DataFrame]:
        events = iter_end(src, _TAGS)
        try:
            for _, el in events:
                self._on_end(el)
                if self._buffered + len(self._pending) >= self.batch_rows:
                    yield self._flush()
        except etree.XMLSyntaxError as exc:
            # At the last line of a file read to its end: the file stops mid-document.
            early = "Premature end" in exc.msg or (
                getattr(src, "eof", False) and exc.lineno is not None
                and exc.lineno >= src.newlines)
            what = "malformed XML (the file ends early: truncated?)" if early else "malformed XML"
            raise CamtError(f"{what}: {exc.msg}", self._where(), exc.lineno) from None
        self._root_tag = events.root.tag if events.root is not None else "?"

    def finish(self) -> None:
        """After the whole file: a file that is no CAMT message, or holds no statement, fails."""
        if self.message is None:
            raise CamtError(
                f"not a CAMT 052/053/054 message (root element {self._root_tag}, no GrpHdr)", "/")
        if not self.statements:
            m = self.message
            raise CamtError(f"missing mandatory element {m.statement_tag}", m.root_path)
        for s in self.statements:
            s["file_sha256"] = self.sha256

    def _split_worthwhile(self) -> bool:
        if self.parallel is False or type(self.path) is not type(Path()):
            return False
        if self.parallel is None:
            try:
                return self.path.stat().st_size >= PARALLEL_MIN_BYTES and (os.cpu_count() or 1) > 1
            except OSError:
                return False
        return True

    def _on_end(self, el: Any) -> None:
        m = self.message
        tag = el.tag
        if self.cut_statement is not None and self._part == "first":
            raise CutMismatch("the first part went on after its marker")
        if m is None:
            if _ANY_GRPHDR.match(tag):
                self.message = identify(el)
            elif tag.endswith("}Ntry") or tag == "Ntry":
                raise CamtError("not a CAMT message: Ntry before any GrpHdr", "/", el.sourceline)
            return
        if tag == m.ntry_tag:
            self._on_entry(el)
        elif tag == m.statement_full_tag:
            self._on_statement(el)

    def _state(self, stmt: Any) -> StatementState:
        if self._st is None:
            assert self.message is not None
            self._st = StatementState.open(
                stmt, self.message, len(self.statements) + 1, self.warnings, self.keep_uetrs)
        return self._st

    def _on_entry(self, el: Any) -> None:
        parent = el.getparent()
        m = self.message
        assert m is not None
        if parent is not self._stmt_el:
            if parent is None or parent.tag != m.statement_full_tag:
                return  # an Ntry outside a statement is not a bank movement of this message
            self._stmt_el, self._prev_entry = parent, None
        st = self._state(parent)
        st.entries += 1
        try:
            e, txs = parse_entry(el, m.ns_len)
        except CamtError as exc:
            raise exc.under(f"{st.path}/Ntry[{st.entries}]") from None
        e.update(st.row_context)
        e["entry_seq"] = st.entries
        rows = entry_rows(e, txs)
        prefix = f"{st.key}:{st.entries}:"
        for r in rows:
            self._position += 1
            r["position"] = self._position
            r["entry_key"] = f"{prefix}{r['tx_seq']}"
            if "warnings" in r:
                self.warnings.append(f"{st.path}/Ntry[{st.entries}]: {r['warnings']}")
        st.add(e, rows)
        self._pending.extend(rows)
        if len(self._pending) >= _CHUNK_ROWS:
            self._stash()
        el.clear()
        prev = self._prev_entry
        if prev is not None and prev.getparent() is parent:
            parent.remove(prev)
        self._prev_entry = el

    def _on_statement(self, el: Any) -> None:
        st = self._state(el)
        self._st = None
        self._stmt_el = self._prev_entry = None
        if self._part == "first" and len(el) and el[-1].tag == MARKER_TAG:
            self.cut_statement, self.cut_chain = st, _chain(el)
            return
        if self._part == "second" and self.cut_statement is None:
            self.cut_statement, self.cut_chain = st, _chain(el)
            el.clear()
            return
        self.close_statement(st)
        el.clear()
        prev = el.getprevious()
        while prev is not None and prev.tag == el.tag:
            el.getparent().remove(prev)
            prev = el.getprevious()

    def close_statement(self, st: StatementState) -> None:
        record, balances = st.close(self.source_file)
        self.statements.append(record)
        self.balances.extend(balances)
        if record["proof_ok"] is False:
            self.warnings.append(
                f"{st.path} ({record['statement_id']}) does not balance: opening "
                f"{record['opening_balance']} + booked {record['booked_total']} = "
                f"{record['proof_expected_closing']}, closing {record['closing_balance']}")

    def _stash(self) -> None:
        self._buffered += len(self._pending)
        self._parts.append(frames.raw_entries(self._pending))
        self._pending = []

    def _flush(self) -> pl.DataFrame:
        if self._pending:
            self._stash()
        parts, self._parts, self._buffered = self._parts, [], 0
        return frames.typed_entries(parts)

    def _where(self) -> str:
        if self.message is None:
            return "/"
        if self._st is None:
            return f"{self.message.root_path}/{self.message.statement_tag}[{len(self.statements) + 1}]"
        return f"{self._st.path}/Ntry[{self._st.entries + 1}]"


class CutMismatch(Exception):
    """The two parts of a split file do not join as the file reads whole: read it whole."""


def _chain(stmt: Any) -> list[tuple[str, dict]]:
    """The statement and its ancestors, with their namespaces: where a part's parser stands."""
    out = []
    el = stmt
    while el is not None:
        out.append((el.tag, dict(el.nsmap)))
        el = el.getparent()
    return out


def read_all(path: str | Path, *, keep_uetrs: bool = False, source_file: str | None = None
             ) -> tuple[CamtReader, pl.DataFrame]:
    """Read a whole file: (reader with statements/balances/warnings, all entry rows)."""
    reader = CamtReader(path, keep_uetrs=keep_uetrs, source_file=source_file)
    batches = list(reader.entry_batches())
    entries = pl.concat(batches) if batches else frames.entries_frame([])
    return reader, entries

