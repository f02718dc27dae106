"""A large file read in two parts at once: the first here, the second in a child process.

The first part's batches are yielded as they come (they are the file's first rows, numbered as
a whole read numbers them). The child writes its batches to a spool directory; they are yielded
after the first part, renumbered (row position, the cut statement's entry numbers and keys).
Whatever does not join exactly (a part that fails, warns, or stands elsewhere than the other
expects) makes the file be read whole, and the rows already yielded are not yielded again: the
result, errors and warnings included, is always the whole read's.
"""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from recon.camt import split as splitting
from recon.camt.message import StatementState
from recon.camt.reader import CamtReader

# The child is a fresh interpreter (no fork of a process holding Polars' threads, and unlike
# multiprocessing's spawn it never re-imports the caller's __main__).
_CHILD = "from recon.camt.parallel import second_part_main; second_part_main()"
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def read_in_two_parts(reader: CamtReader) -> Iterator[pl.DataFrame]:
    cut = splitting.plan(reader.path, reader.path.stat().st_size)
    if cut is None:
        yield from reader.read_whole()
        return
    spool: Path | None = None
    try:
        spool = Path(tempfile.mkdtemp(prefix="camt-part-"))
        child = _start(reader, cut, spool)
    except OSError:  # no temporary folder or no interpreter to start: one process reads it
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)
        yield from reader.read_whole()
        return
    try:
        yield from _two_parts(reader, cut, spool, child)
    finally:
        _stop(child)
        shutil.rmtree(spool, ignore_errors=True)


def _start(reader: CamtReader, cut: splitting.Split, spool: Path) -> subprocess.Popen[bytes]:
    job = (str(reader.path), cut, str(spool), reader.batch_rows, reader.keep_uetrs,
           reader.source_file)
    (spool / "job.pickle").write_bytes(pickle.dumps(job))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (_PACKAGE_ROOT, os.environ.get("PYTHONPATH")) if p)}
    return subprocess.Popen([sys.executable, "-c", _CHILD, str(spool)], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.kill()
    child.wait()


def _two_parts(reader: CamtReader, cut: splitting.Split, spool: Path,
               child: subprocess.Popen[bytes]) -> Iterator[pl.DataFrame]:
    delivered = 0
    second: dict[str, Any] | None = None
    try:
        with reader.path.open("rb") as raw:
            for batch in reader.read_first_part(raw, cut):
                delivered += batch.height
                yield batch
        child.wait()
        # The spool is our own mkdtemp directory (mode 0700): nothing else writes there.
        second = pickle.loads((spool / "answer.pickle").read_bytes())  # noqa: S301
        joined = _join(reader, second)
    except Exception:  # CutMismatch or any failure: the whole read gives the result or error
        joined = None
    if joined is None or second is None:
        _stop(child)
        yield from _whole_after(reader, delivered)
        return
    tail, files = joined
    if tail is not None:
        yield tail
    for f in files:
        yield _renumbered(pl.read_ipc(f), second["fix"])
        Path(f).unlink()
    reader.finish()


def _join(reader: CamtReader, second: dict[str, Any] | None) -> tuple[Any, list[str]] | None:
    """Merge the second part's statements into the reader, or None when the parts do not join."""
    st = reader.cut_statement
    if second is None or second.get("error") or st is None:
        return None
    if (second["message"] != reader.message or second["chain"] != reader.cut_chain
            or second["head"] != st.head or second["key"] != st.key
            or second["row_context"] != st.row_context):
        return None
    tail = reader._flush() if reader._pending or reader._parts else None
    fix = {"rows": reader._position, "entries": st.entries, "key": st.key,
           "statements": len(reader.statements) + 1}
    second["fix"] = fix
    st.entries += second["entries"]
    st.rows += second["rows"]
    st.signed_total += second["signed_total"]
    st.booked_total += second["booked_total"]
    st.uetrs.update(dict.fromkeys(second["uetrs"]))
    reader.close_statement(st)
    reader.cut_statement = None
    for record in second["statements"]:
        record["position"] += fix["statements"]
    reader.statements.extend(second["statements"])
    reader.balances.extend(second["balances"])
    reader._position += second["positions"]
    reader.parts = 2
    reader.second_part_peak_rss_kb = second["peak_rss_kb"]
    return tail, second["files"]


def _renumbered(batch: pl.DataFrame, fix: dict[str, Any]) -> pl.DataFrame:
    """A second-part batch numbered as the whole file numbers it."""
    cut = pl.col("statement_key") == fix["key"]
    entry_seq = pl.when(cut).then(pl.col("entry_seq") + fix["entries"]).otherwise(pl.col("entry_seq"))
    out = batch.with_columns(pl.col("position") + fix["rows"], entry_seq.alias("entry_seq"))
    key = pl.concat_str([pl.col("statement_key"), pl.col("entry_seq").cast(pl.String),
                         pl.col("tx_seq").cast(pl.String)], separator=":")
    return out.with_columns(pl.when(cut).then(key).otherwise(pl.col("entry_key")).alias("entry_key"))


def _whole_after(reader: CamtReader, delivered: int) -> Iterator[pl.DataFrame]:
    """The whole read, less the rows the first part already gave (the same rows, in order)."""
    fresh = CamtReader(reader.path, batch_rows=reader.batch_rows, keep_uetrs=reader.keep_uetrs,
                       source_file=reader.source_file, parallel=False)
    try:
        for batch in fresh.read_whole():
            if delivered >= batch.height:
                delivered -= batch.height
                continue
            yield batch.slice(delivered) if delivered else batch
            delivered = 0
    finally:
        for name in ("message", "statements", "balances", "warnings", "sha256", "size"):
            setattr(reader, name, getattr(fresh, name))


def second_part_main() -> None:
    """The child: read the second part, spool its batches, write what the parent joins."""
    spool = Path(sys.argv[1])
    try:
        path, cut, _, batch_rows, keep_uetrs, source_file = pickle.loads(  # noqa: S301
            (spool / "job.pickle").read_bytes())
        answer = _read_second(Path(path), cut, spool, batch_rows, keep_uetrs, source_file)
    except BaseException as exc:
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    partial = spool / "answer.partial"
    partial.write_bytes(pickle.dumps(answer))
    partial.rename(spool / "answer.pickle")


def _read_second(path: Path, cut: splitting.Split, spool: Path, batch_rows: int,
                 keep_uetrs: bool, source_file: str) -> dict[str, Any]:
    reader = CamtReader(path, batch_rows=batch_rows, keep_uetrs=keep_uetrs,
                        source_file=source_file, parallel=False)
    src = splitting.SecondPart(path, cut)
    files = []
    try:
        for i, batch in enumerate(reader.read_second_part(src)):
            f = spool / f"{i:06d}.arrow"
            batch.write_ipc(f, compression="uncompressed")
            files.append(str(f))
    finally:
        src.close()
    st: StatementState = reader.cut_statement  # type: ignore[assignment]
    if reader.warnings:
        return {"error": "the second part has warnings: their paths are the whole read's"}
    return {"message": reader.message, "chain": reader.cut_chain, "head": st.head, "key": st.key,
            "row_context": st.row_context, "entries": st.entries, "rows": st.rows,
            "signed_total": Decimal(st.signed_total), "booked_total": Decimal(st.booked_total),
            "uetrs": list(st.uetrs), "statements": reader.statements, "balances": reader.balances,
            "positions": reader._position, "files": files, "peak_rss_kb": _peak_rss_kb()}


def _peak_rss_kb() -> int | None:
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
    except (OSError, StopIteration):
        return None
