"""The reserve ledger audit's reads and writes: books from the ledger source, receipts from the chains,
per-chain and per-redemption verdicts to recon.reserve_ledger_audit and recon.redemption_audit."""

from __future__ import annotations

from datetime import datetime

import dagster as dg
import polars as pl

from assets import reserves_inputs as inputs
from assets import source_kit as kit
from recon import sources as S
from recon.discrepancies import Discrepancy
from recon.reserves import schemas, tables
from recon.reserves.config import ReservesConfig
from recon.reserves.redemption_log import LogAudit, audit_log, redemption_key
from recon.reserves.redemption_onchain import OnchainAudit, hashes_to_read, verify_onchain
from resources.evm import EvmResource
from resources.ledger import LedgerResource
from stores.warehouse import Warehouse

CHAIN_COLUMNS: dict[str, pl.DataType] = {
    "chain": pl.String(), "chain_id": pl.Int64(), "initial_reserve": schemas.AMOUNT, "top_ups": schemas.AMOUNT,
    "real_count": pl.Int64(), "real_amount": schemas.AMOUNT, "test_count": pl.Int64(),
    "test_amount": schemas.AMOUNT, "refused_count": pl.Int64(), "expected_reserve": schemas.AMOUNT,
    "ledger_reserve": schemas.AMOUNT, "findings": pl.Int64(), "last_updated": schemas.TS, "notes": pl.String(),
    "ledger_rows": pl.Int64(),
}


def run_ledger_audit(context: dg.AssetExecutionContext, wh: Warehouse, source: LedgerResource, evm: EvmResource,
                     config: ReservesConfig, cutoff: datetime
                     ) -> tuple[dict[str, dg.MetadataValue], list[Discrepancy], bool]:
    partition_key, run_id = context.partition_key, context.run.run_id
    errors: dict[str, str] = {}
    ledger = inputs.ledger_read(context, wh, source, tables.RESERVE_LEDGER, cutoff, errors)
    # The log is read as far as the reserve ledger's last update, so both describe the same moment.
    as_of = max([cutoff, *(ledger["last_updated"].drop_nulls().to_list() if ledger is not None else [])])
    log = inputs.ledger_read(context, wh, source, tables.REDEMPTIONS, as_of, errors)
    ops = inputs.ledger_read(context, wh, source, tables.RESERVE_OPERATIONS, as_of, errors)
    if ledger is None or log is None or ops is None:
        # The source's own finding names it (source_kit); this audit's rows and findings stay as they were.
        return {"status": dg.MetadataValue.text("unknown")}, [], False
    books = audit_log(config, ledger, log, ops)
    receipts, chain_errors = inputs.read_receipts(wh, evm, partition_key, cutoff, hashes_to_read(config, log))
    kit.record(context, wh, [S.unavailable(f"evm.{c}", f"redemption receipts: {e}", cutoff.isoformat())
                             for c, e in chain_errors.items()])
    onchain = verify_onchain(config, log, receipts)
    _write(wh, partition_key, run_id, books, onchain, log, ledger)
    found = books.findings + onchain.findings
    verified = sum(1 for o in onchain.outcome.values() if o == "verified")
    summary: dict[str, dg.MetadataValue] = {
        "chains": dg.MetadataValue.int(len(books.chains)),
        "real_redemptions": dg.MetadataValue.int(sum(c.real_count for c in books.chains)),
        "test_redemptions": dg.MetadataValue.int(sum(c.test_count for c in books.chains)),
        "verified_on_chain": dg.MetadataValue.int(verified),
        "unverified": dg.MetadataValue.int(sum(1 for f in onchain.findings if f.type == "redemption_unverified")),
        "chain_read_errors": dg.MetadataValue.text("; ".join(f"{c}: {e}" for c, e in chain_errors.items())
                                                   or "none"),
    }
    return summary, found, onchain.complete


def _write(wh: Warehouse, partition_key: str, run_id: str, books: LogAudit, onchain: OnchainAudit,
           log: pl.DataFrame, ledger: pl.DataFrame) -> None:
    ledger = schemas.conform(ledger, schemas.RESERVE_LEDGER, "reserve_ledger")

    def as_read(chain_id: int) -> dict:
        """The chain's reserve ledger row (its last update and notes) when there is exactly one."""
        rows = ledger.filter(pl.col("chain_id") == chain_id)
        one = rows.row(0, named=True) if rows.height == 1 else {}
        return {"last_updated": one.get("last_updated"), "notes": one.get("notes"), "ledger_rows": rows.height}

    per_chain = pl.DataFrame([{
        "chain": c.chain, "chain_id": c.chain_id, "initial_reserve": c.initial, "top_ups": c.top_ups,
        "real_count": c.real_count, "real_amount": c.real_amount, "test_count": c.test_count,
        "test_amount": c.test_amount, "refused_count": c.refused_count, "expected_reserve": c.expected_reserve,
        "ledger_reserve": c.ledger_reserve,
        "findings": sum(1 for f in books.findings if f.scope_id == c.chain), **as_read(c.chain_id)}
        for c in books.chains],
        schema=CHAIN_COLUMNS)
    scope = {"partition_key": partition_key}
    wh.write("reserve_ledger_audit", _stamp(per_chain, partition_key, run_id), ["partition_key", "chain"], scope)
    log = schemas.conform(log, schemas.REDEMPTIONS, "redemptions").with_columns(pl.col("test_mode").fill_null(False))
    rows = []
    for r in log.iter_rows(named=True):
        key = redemption_key(r)
        chain = next((c.chain for c in books.chains if c.chain_id == r["chain_id"]), str(r["chain_id"]))
        rows.append({"redemption_key": key, "chain": chain, "tx_hash": r["tx_hash"],
                     "user_address": r["user_address"], "amount": r["amount"], "redeemed_at": r["redeemed_at"],
                     "test_mode": r["test_mode"], "status": r["status"], "reserve_before": r["reserve_before"],
                     "reserve_after": r["reserve_after"],
                     "problems": ",".join(books.broken.get(key, [])) or None,
                     "onchain": onchain.outcome.get(key, "skipped")})
    schema = {"redemption_key": pl.String(), "chain": pl.String(), "tx_hash": pl.String(),
              "user_address": pl.String(), "amount": schemas.AMOUNT, "redeemed_at": schemas.TS,
              "test_mode": pl.Boolean(), "status": pl.String(), "reserve_before": schemas.AMOUNT,
              "reserve_after": schemas.AMOUNT, "problems": pl.String(), "onchain": pl.String()}
    frame = pl.DataFrame(rows, schema=schema).unique("redemption_key", keep="first", maintain_order=True)
    wh.write("redemption_audit", _stamp(frame, partition_key, run_id), ["partition_key", "redemption_key"], scope)


def _stamp(frame: pl.DataFrame, partition_key: str, run_id: str) -> pl.DataFrame:
    return frame.with_columns(pl.lit(partition_key).alias("partition_key"), pl.lit(run_id).alias("run_id"))
