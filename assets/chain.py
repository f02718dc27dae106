"""Chain assets: supply, balances and transfers of every configured EVM chain and Stellar, read at
the business date's cut-off and written to recon.chain_*; checks say which reads are incomplete."""

from collections.abc import Callable

import dagster as dg

from assets import source_kit as kit
from assets.chain_reads import ChainRead, read_evm_chain, read_stellar
from assets.partitions import business_day_partitions
from recon import sources as S
from recon.sql import postgres_sql
from resources.evm import EvmResource
from resources.stellar import StellarResource
from resources.warehouse_resource import WarehouseResource
from stores.pg_discrepancies import partition_cutoff
from stores.warehouse import Warehouse

INCOMPLETE_SQL = postgres_sql("select_incomplete_chain_reads")

COMPLETE_SQL = postgres_sql("select_complete_chains")


# One chain's read and what was recorded for it as a source.
ChainResult = tuple[ChainRead, S.SourceRead[object]]


def read_metadata(results: list[ChainResult]) -> dict[str, dg.MetadataValue]:
    meta: dict[str, dg.MetadataValue] = {}
    for r, _ in results:
        meta[f"{r.chain}_block"] = dg.MetadataValue.int(r.block) if r.block is not None \
            else dg.MetadataValue.text("unknown")
        meta[f"{r.chain}_holders"] = dg.MetadataValue.int(r.holders)
        meta[f"{r.chain}_transfers"] = dg.MetadataValue.int(r.transfers)
    failed = [f"{r.chain}:{a}" for r, _ in results for a in r.failed]
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
    config = kit.read(context, wh, "chain_config", evm.chain_names)
    if config.value is None:
        return unread(context, wh, config)
    def evm_read(name: str) -> Callable[[], ChainRead]:
        return lambda: read_evm_chain(wh, context.partition_key, evm.client(name))

    results = [read_chain(context, wh, n, evm_read(n), "evm.") for n in config.value]
    check = reads_complete_check(wh, context.partition_key, config.value)
    return dg.MaterializeResult(metadata={**chain_metadata(results), **read_metadata(results)},
                                check_results=[check])


@dg.asset(
    partitions_def=business_day_partitions, group_name="chain", kinds={"python", "postgres"},
    check_specs=[dg.AssetCheckSpec("reads_complete", asset="stellar_chain_reads")],
)
def stellar_chain_reads(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, stellar: StellarResource
) -> dg.MaterializeResult:
    """Stellar asset supply, tracked account balances and payments at the pinned ledger."""
    wh = warehouse.get()
    config = kit.read(context, wh, "chain_config", stellar.enabled)
    if config.value is None:
        return unread(context, wh, config)
    results = [read_chain(context, wh, "stellar", lambda: read_stellar(wh, context.partition_key,
                                                                        stellar.client()), "")] \
        if config.value else []
    check = reads_complete_check(wh, context.partition_key, ["stellar"] if config.value else [])
    return dg.MaterializeResult(metadata={**chain_metadata(results), **read_metadata(results)},
                                check_results=[check])


def read_chain(context: dg.AssetExecutionContext, wh: Warehouse, name: str,
                read: Callable[[], ChainRead], prefix: str) -> ChainResult:
    """One chain's read (never raising), recorded as source `<prefix><name>`: complete, partial or not."""
    first = S.read_or_unknown(f"{prefix}{name}", read, partition_cutoff(context.partition_key).isoformat())
    result = first.value or ChainRead(name, None, ["*"], first.reason)
    failed = result.failed
    got: S.SourceRead[object] = first
    if first.value is not None and result.block is None:
        got = S.unavailable(got.source, result.error or "the pin failed", got.cutoff)
    elif first.value is not None and failed:
        got = S.partial(got.source, None, got.cutoff, failed, f"unread assets: {', '.join(failed)}")
    kit.record(context, wh, [got])
    return result, got


def chain_metadata(results: list[ChainResult]) -> dict[str, dg.MetadataValue]:
    reads = [got for _, got in results]
    unknown = sum(len(r.failed) for r, _ in results)
    return kit.metadata(reads, sum(r.holders for r, _ in results), unknown)


def unread(context: dg.AssetExecutionContext, wh: Warehouse, config: S.SourceRead[object]) -> dg.MaterializeResult:
    """The chain configuration itself could not be read: every chain's verdict is unknown, the check fails."""
    return dg.MaterializeResult(metadata=kit.metadata([config], 0, 1), check_results=[dg.AssetCheckResult(
        check_name="reads_complete", passed=False, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"source_state": dg.MetadataValue.text(config.state),
                  "reason": dg.MetadataValue.text(config.reason or "")})])


def reads_complete_check(wh: Warehouse, partition_key: str, chains: list[str]) -> dg.AssetCheckResult:
    """Every configured asset was read at the pinned block (failed reads leave checks 'unknown')."""
    rows = wh.rows(INCOMPLETE_SQL, p=partition_key, chains=chains)
    # Configured chains with no complete read at all fail too: zero reads proves nothing.
    done = {r["chain"] for r in wh.rows(COMPLETE_SQL, p=partition_key, chains=chains)} | {r["chain"] for r in rows}
    rows += [{"chain": c, "asset": "*", "error": "not read"} for c in chains if c not in done]
    table = "\n".join(f"| {r['chain']} | {r['asset']} | {r['error']} |" for r in rows)
    return dg.AssetCheckResult(
        check_name="reads_complete",
        passed=not rows,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={"incomplete": dg.MetadataValue.int(len(rows)),
                  "reads": dg.MetadataValue.md("| chain | asset | error |\n|---|---|---|\n" + table)},
    )
