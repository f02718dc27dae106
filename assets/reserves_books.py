"""The reserve accounts' books operation by operation, and the bank entry or chain transfer behind each
top-up and withdrawal. Logic in recon/reserves/reserve_books.py."""

from datetime import timedelta

import dagster as dg
import polars as pl

from assets import reserves_inputs as inputs
from assets import source_kit as kit
from assets.partitions import business_day_partitions
from assets.reserves import GROUP, _day, _record
from recon.reserves import tables
from recon.reserves.reserve_books import BANK_MOVES, CHAIN_MOVES, check_books, match_movements, operation_log
from recon.sql import postgres_sql
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores import reserve_store

BANK_SQL = postgres_sql("select_reserve_bank_moves")
CHAIN_SQL = postgres_sql("select_reserve_chain_moves")
# A top-up or withdrawal may wait this long for its bank entry or transfer before it is unmatched.
MOVEMENT_WINDOW = timedelta(days=2)


@dg.asset(partitions_def=business_day_partitions, group_name=GROUP, kinds={"python", "postgres"},
          deps=["bank_entries", "evm_chain_reads", "stellar_chain_reads"])
def reserve_book_checks(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                        ledger: LedgerResource) -> dg.MaterializeResult:
    """Non-positive top-ups, withdrawals above available, releases above their lock, available below zero;
    top-ups and withdrawals without the movement that carried them; the operations for analytics."""
    wh, (day, cutoff), key = warehouse.get(), _day(context), context.partition_key
    errors: dict[str, str] = {}
    accounts = inputs.ledger_read(context, wh, ledger, tables.RESERVE_ACCOUNTS, cutoff, errors)
    ops = inputs.ledger_read(context, wh, ledger, tables.RESERVE_OPERATIONS, cutoff, errors)
    if accounts is None or ops is None:
        # The ledger reads recorded their source_unavailable findings; nothing is judged or cleared here.
        return dg.MaterializeResult(metadata={"status": dg.MetadataValue.text("unknown"),
                                              "errors": dg.MetadataValue.json(errors)})
    log = operation_log(accounts, ops, cutoff)
    reserve_store.write_operation_log(wh, log, key, context.run.run_id)
    refs = sorted(set(log.filter(pl.col("operation").is_in(["top_up", "withdrawal"]))["reference"].drop_nulls()))
    bank = inputs.warehouse_frame(wh, BANK_SQL, BANK_MOVES, "bank_entries", d=day, refs=refs)
    chain = inputs.warehouse_frame(wh, CHAIN_SQL, CHAIN_MOVES, "chain_transfers",
                                   hashes=[r.lower() for r in refs])
    invalid = check_books(accounts, ops, cutoff)
    moves = match_movements(accounts, ops, bank, chain, cutoff, MOVEMENT_WINDOW)
    meta = _record(wh, "reserve_books", key, invalid, context.run.run_id, True)
    # A movement is only missing when the bank side was read whole: else nothing it found is closed.
    bank_read = kit.run_states(wh, context.run.run_id, "drop_folder").get("drop_folder", "complete") == "complete"
    meta_moves = _record(wh, "reserve_movements", key, moves.findings, context.run.run_id, bank_read)
    return dg.MaterializeResult(metadata={
        "book_breaks": meta["discrepancies"], "flags_opened": meta["flags_opened"],
        "movements_matched": dg.MetadataValue.int(moves.matched),
        "movements_in_transit": dg.MetadataValue.int(moves.in_transit),
        "movements_unmatched": meta_moves["discrepancies"], "operations": dg.MetadataValue.int(log.height)})
