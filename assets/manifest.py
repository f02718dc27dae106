"""The run manifest: every source's cut-off and every input's content hash, then the run's verdict."""

import dagster as dg

from assets import freshness
from assets.ledger import ledger_as_of
from assets.partitions import business_day_partitions
from recon.kinds import OPEN_STATUSES
from recon.sql import postgres_sql
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
def run_manifest(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    p, run_id, wh = context.partition_key, context.run.run_id, warehouse.get()
    files = wh.rows(_FILES, d=p)
    pins = wh.rows(_PINS, p=p)
    found = wh.rows(_FOUND, p=p, open_statuses=list(OPEN_STATUSES))
    cutoffs = {"statement_business_date": p, "ledger_as_of": ledger_as_of(p).isoformat(),
               **{f"{r['chain']}_block": {"number": r["block_number"], "hash": r["block_hash"],
                                          "time": r["block_time"], "status": r["status"]} for r in pins}}
    inputs = {"statement_files": {f["file_name"]: f["file_sha256"] for f in files}}
    wh.start_run("daily", p, cutoffs, inputs, run_id=run_id)
    summary = {"open_findings": {f"{r['type']}/{r['severity']}": r["n"] for r in found}}
    wh.finish_run(run_id, "succeeded", summary)
    return dg.MaterializeResult(metadata={
        "statement_files": dg.MetadataValue.int(len(files)),
        "chains_pinned": dg.MetadataValue.int(sum(1 for r in pins if r["status"] == "complete")),
        "open_findings": dg.MetadataValue.int(sum(r["n"] for r in found)),
    }, check_results=[freshness.sources_fresh_check(wh, p, "run_manifest", run_id)])
