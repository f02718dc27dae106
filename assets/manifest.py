"""The run manifest: every source's cut-off and every input's content hash, then the run's verdict."""

from datetime import date

import dagster as dg

from assets import freshness
from assets.ledger import ledger_as_of
from assets.partitions import CALENDAR, business_day_partitions
from recon.kinds import OPEN_STATUSES
from recon.ledger.tables import ACCOUNTS, TRANSACTIONS
from recon.sql import postgres_sql
from resources.ledger import LedgerResource
from resources.warehouse_resource import WarehouseResource

_FILES = postgres_sql("select_ingested_files_of_day")
_PINS = postgres_sql("select_chain_pins")
_FOUND = postgres_sql("count_open_findings")
DAILY_OUTPUTS = ["bank_entries", "transaction_matches", "balance_checks", "evm_chain_reads", "stellar_chain_reads",
                 "backing_checks", "reserve_ledger_audit", "reserve_utilization", "custodial_balance_checks",
                 "ltv_positions", "credit_repayments"]


@dg.asset(group_name="outputs", partitions_def=business_day_partitions, deps=DAILY_OUTPUTS,
          kinds={"postgres"}, check_specs=[freshness.spec("run_manifest")],
          description="recon.runs for this run: cut-offs per source (statement date, ledger as-of, block and "
                      "ledger pins), input hashes, and the open findings by type and severity.")
def run_manifest(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                 ledger: LedgerResource) -> dg.MaterializeResult:
    p, run_id, wh = context.partition_key, context.run.run_id, warehouse.get()
    files = wh.rows(_FILES, ds=CALENDAR.days_of(date.fromisoformat(p)))  # a Saturday statement counts for Monday
    pins = wh.rows(_PINS, p=p)
    found = wh.rows(_FOUND, p=p, open_statuses=list(OPEN_STATUSES))
    # The day's pinned ledger snapshots, whichever run took them: a backfill may split a day over runs.
    snapshots = ledger.pinned_sha256(p, (ACCOUNTS, TRANSACTIONS))
    as_of = ledger_as_of(p).isoformat()
    cutoffs = {"statement_business_date": p, "ledger_as_of": as_of, **{f"ledger_{t}": as_of for t in snapshots},
               **{f"{r['chain']}_block": {"number": r["block_number"], "hash": r["block_hash"],
                                          "time": r["block_time"], "status": r["status"]} for r in pins}}
    inputs = {"statement_files": {f["file_name"]: f["file_sha256"] for f in files},
              **{f"ledger_{t}_sha256": sha for t, sha in snapshots.items()}}
    wh.start_run("daily", p, cutoffs, inputs, run_id=run_id)
    summary = {"open_findings": {f"{r['type']}/{r['severity']}": r["n"] for r in found}}
    wh.finish_run(run_id, "succeeded", summary)
    return dg.MaterializeResult(metadata={
        "statement_files": dg.MetadataValue.int(len(files)),
        "chains_pinned": dg.MetadataValue.int(sum(1 for r in pins if r["status"] == "complete")),
        "open_findings": dg.MetadataValue.int(sum(r["n"] for r in found)),
    }, check_results=[freshness.sources_fresh_check(wh, p, "run_manifest", run_id)])
