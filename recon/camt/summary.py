"""What `recon camt inspect` and the conformance run print about a file, as plain JSON data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from recon.camt.errors import CamtError
from recon.camt.reader import CamtReader, read_all


class StatementsOnly(CamtReader):
    """Statements, balances, proofs and warnings; entry rows are counted, never kept as frames (no Polars:
    `recon camt inspect` stays light)."""

    def _stash(self) -> None:
        self._pending = []

    def _flush(self) -> Any:
        self._pending = []
        return None


def _read(path: str | Path, with_rows: bool) -> tuple[CamtReader, Any]:
    if with_rows:
        return read_all(path, keep_uetrs=True)
    reader = StatementsOnly(path, keep_uetrs=True, parallel=False)
    for _ in reader.entry_batches():
        pass
    return reader, None


def summarize(path: str | Path, with_rows: bool = False) -> dict[str, Any]:
    """One object per file: message, statements with balances and proof, and any errors."""
    out: dict[str, Any] = {"file": str(path), "message": None, "statements": [], "errors": []}
    try:
        reader, entries = _read(path, with_rows)
    except CamtError as exc:
        out["errors"].append(exc.message)
        return out
    except OSError as exc:
        out["errors"].append(f"cannot read file: {exc}")
        return out
    assert reader.message is not None
    out["message"] = reader.message.message_type
    out["message_id"] = reader.message.message_id
    out["sha256"] = reader.sha256
    out["errors"] = list(reader.warnings)  # kept for scripts reading notes here
    out["warnings"] = list(reader.warnings)
    for s in reader.statements:
        group = {
            "id": s["statement_id"],
            "account": s["account"],
            "currency": s.get("currency"),
            "business_date": s["business_date"],
            "entries": s["entries"],
            "rows": s["rows"],
            "signed_entry_total": s["signed_entry_total"],
            "balances": [
                {"type": b["balance_type"], "amount": b["signed_amount"],
                 "date": b.get("balance_datetime") or b.get("balance_date")}
                for b in s["balances"]
            ],
            "proof": {k: s.get(k) for k in ("opening_type", "opening_balance", "booked_total",
                                            "closing_balance", "proof_ok")},
            "uetrs": s["uetrs"],
        }
        if with_rows:
            import polars as pl

            from recon.stored_amounts import at_source_scale

            mine = at_source_scale("bank_entries",
                                   entries.filter(pl.col("statement_key") == s["statement_key"]))
            group["rows_detail"] = [_jsonable(r) for r in mine.iter_rows(named=True)]
        out["statements"].append(group)
    return out


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if v is None else v if isinstance(v, (bool, int, str)) else str(v))
            for k, v in row.items() if v is not None}
