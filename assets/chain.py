"""Chain assets: supply, balances and transfers of every configured EVM chain and Stellar, read at
the business date's cut-off and written to recon.chain_*; checks say which reads are incomplete."""

import dagster as dg

from assets.chain_reads import read_evm_chain, read_stellar
from assets.partitions import business_day_partitions
from resources.evm import EvmResource
from resources.stellar import StellarResource
from resources.warehouse import Warehouse, WarehouseResource

INCOMPLETE_SQL = (
    "SELECT chain, asset, error FROM recon.chain_reads "
    "WHERE partition_key = :p AND chain = ANY(:chains) AND status <> 'complete' ORDER BY chain, asset"
)


def read_metadata(results: list[dict[str, object]]) -> dict[str, dg.MetadataValue]:
    meta: dict[str, dg.MetadataValue] = {}
    for r in results:
        chain = str(r["chain"])
        meta[f"{chain}_block"] = dg.MetadataValue.int(int(r["block"])) if r["block"] is not None \
            else dg.MetadataValue.text("unknown")
        meta[f"{chain}_holders"] = dg.MetadataValue.int(int(r.get("holders", 0) or 0))
        meta[f"{chain}_transfers"] = dg.MetadataValue.int(int(r.get("transfers", 0) or 0))
    failed = [f"{r['chain']}:{a}" for r in results for a in r["failed"]]  # type: ignore[union-attr]
    meta["failed_reads"] = dg.MetadataValue.int(len(failed))
    if failed:
        meta["failed"] = dg.MetadataValue.text(", ".join(failed))
    return meta


@dg.asset(
    partitions_def=business_day_partitions, group_name="chain", kinds={"python", "postgres"},
    check_specs=[dg.AssetCheckSpec("reads_complete", asset="evm_chain_reads")],
)
def evm_chain_reads(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, evm: EvmResource
) -> dg.MaterializeResult:
    """ERC-20 supply, tracked balances and Transfer logs per EVM chain at the pinned block."""
    wh = warehouse.get()
    names = evm.chain_names()
    results = [read_evm_chain(wh, context.partition_key, evm.client(n)) for n in names]
    check = reads_complete_check(wh, context.partition_key, names)
    return dg.MaterializeResult(metadata=read_metadata(results), check_results=[check])


@dg.asset(
    partitions_def=business_day_partitions, group_name="chain", kinds={"python", "postgres"},
    check_specs=[dg.AssetCheckSpec("reads_complete", asset="stellar_chain_reads")],
)
def stellar_chain_reads(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, stellar: StellarResource
) -> dg.MaterializeResult:
    """Stellar asset supply, tracked account balances and payments at the pinned ledger."""
    wh = warehouse.get()
    results = [read_stellar(wh, context.partition_key, stellar.client())] if stellar.enabled() else []
    check = reads_complete_check(wh, context.partition_key, ["stellar"])
    return dg.MaterializeResult(metadata=read_metadata(results), check_results=[check])


def reads_complete_check(wh: Warehouse, partition_key: str, chains: list[str]) -> dg.AssetCheckResult:
    """Every configured asset was read at the pinned block (failed reads leave checks 'unknown')."""
    rows = wh.rows(INCOMPLETE_SQL, p=partition_key, chains=chains)
    table = "\n".join(f"| {r['chain']} | {r['asset']} | {r['error']} |" for r in rows)
    return dg.AssetCheckResult(
        check_name="reads_complete",
        passed=not rows,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"incomplete": dg.MetadataValue.int(len(rows)),
                  "reads": dg.MetadataValue.md("| chain | asset | error |\n|---|---|---|\n" + table)},
    )
