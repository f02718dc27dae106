"""Transaction matching for a business day: bank movements of the window against the ledger snapshot."""

from collections import Counter
from datetime import date

import dagster as dg
import polars as pl

from assets import source_kit as kit
from assets.ledger import ledger_as_of
from assets.partitions import CALENDAR, business_day_partitions
from recon.ledger.scales import with_sent_scale
from recon.ledger.tables import ACCOUNTS, TRANSACTIONS
from recon.matching import MatchConfig, bank_movements, ledger_movements, ledger_rows_wanted, match_transactions
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource
from stores import matching_store as store

# Rows of the last LOOKBACK business days are matched again each day, so a late arrival closes an
# earlier missing_*; older rows still open (named by an open discrepancy) are carried explicitly.
LOOKBACK_BUSINESS_DAYS = 10

# A day takes over what the business day before it left open or matched, so it depends on that
# day's matching: Dagster's backfills (UI, dg launch) run the days of a range in order, never two at once.
PREVIOUS_DAY = dg.AssetDep("transaction_matches",
                           partition_mapping=dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=-1))


def _counts(frame: pl.DataFrame, col: str) -> dict[str, dg.MetadataValue]:
    return {f"{col}_{k}": dg.MetadataValue.int(n) for k, n in sorted(Counter(frame[col].to_list()).items())}


@dg.asset(group_name="matching", partitions_def=business_day_partitions,
          deps=["bank_entries", "ledger_transactions", "ledger_accounts", PREVIOUS_DAY],
          description="Bank movements matched to ledger transactions, strongest key first; the rest in "
                      "transit or a discrepancy.")
def transaction_matches(context: dg.AssetExecutionContext, ledger: LedgerResource,
                        warehouse: WarehouseResource) -> dg.MaterializeResult:
    p = context.partition_key
    day, cutoff, wh = date.fromisoformat(p[:10]), ledger_as_of(p), warehouse.get()
    start = CALENDAR.business_days_back(day, LOOKBACK_BUSINESS_DAYS)
    carried_bank, carried_ledger = store.open_keys(wh, p)
    done_bank, done_ledger = store.matched_before(wh, p, start, carried_bank, carried_ledger)

    # Only the window's and the carried rows of the snapshot are read, not the ledger's whole history.
    wanted = ledger_rows_wanted(start, carried_ledger)
    reads = [kit.read(context, wh, f"ledger.{TRANSACTIONS.name}",
                      lambda: ledger.source().snapshot_rows(TRANSACTIONS, cutoff, p, wanted), cutoff),
             kit.ledger_table(context, wh, ledger, ACCOUNTS, cutoff)]
    bank_state = kit.run_states(wh, context.run.run_id, "drop_folder").get("drop_folder", "complete")
    if any(r.value is None for r in reads) or bank_state != "complete":
        # The partition keeps its matches and findings as they were; nothing is matched against nothing.
        return dg.MaterializeResult(metadata={**kit.metadata(reads, 0, 1),
                                              "drop_folder": dg.MetadataValue.text(bank_state)})
    txns, accounts = reads[0].value, reads[1].value
    assert txns is not None and accounts is not None  # both read, or the asset returned above
    bank = bank_movements(store.bank_window(wh, start, day, carried_bank))
    moves = ledger_movements(txns, accounts)
    moves = moves.filter(pl.col("booking_date").is_between(start, day) | pl.col("txn_id").is_in(carried_ledger))
    bank = bank.filter(~pl.col("entry_key").is_in(list(done_bank)))
    moves = moves.filter(~pl.col("txn_id").is_in(list(done_ledger)))

    result = match_transactions(bank, moves, MatchConfig(as_of=day))
    matches = pl.concat([result.matches, result.proposals])
    found = result.discrepancies
    # Stored as the ledger sent each amount (its decimals), not padded to the frame's scale.
    matches = with_sent_scale(matches, {"ledger_txn_id": "txn_id"}, txns, "amount_scale", "ledger_amount_scale")
    transit = with_sent_scale(result.in_transit, {"key": "txn_id", "side": "side"},
                              txns.with_columns(side=pl.lit("ledger")), "amount_scale", "amount_scale")
    written = store.write_matches(wh, p, matches, transit, context.run.run_id)
    recorded = wh.record_discrepancies(store.DETECTOR, p, found, context.run.run_id, cutoff=cutoff)
    confirmed = result.matches.height
    rows = bank.height + moves.height
    matched_rows = result.outcomes().filter(pl.col("state") == "matched").height if rows else 0
    return dg.MaterializeResult(metadata={
        **kit.metadata(reads, rows, 0),
        "bank_rows": dg.MetadataValue.int(bank.height),
        "ledger_rows": dg.MetadataValue.int(moves.height),
        "confirmed_pairs": dg.MetadataValue.int(confirmed),
        "proposed_pairs": dg.MetadataValue.int(result.proposals.height),
        "in_transit": dg.MetadataValue.int(result.in_transit.height),
        "match_rate": dg.MetadataValue.float(matched_rows / rows if rows else 1.0),
        "discrepancies": dg.MetadataValue.int(found.height),
        "discrepancies_cleared": dg.MetadataValue.int(recorded.cleared),
        **_counts(found, "type"), **_counts(found, "severity"),
        **{k: dg.MetadataValue.int(v) for k, v in written.items()},
        "window": dg.MetadataValue.text(f"{start} .. {day}"),
    })
