"""`recon holders`: custodial users' off-chain balances against the chain (the chain is the truth)."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import typer

from pipelines.cli.common import print_json

if TYPE_CHECKING:
    import polars as pl

    from clients.stellar_client import StellarClient
    from resources.evm import EvmResource
    from resources.stellar import StellarResource

app = typer.Typer(help="Custodial balances: compare with the chain; change them only when asked.",
                  no_args_is_help=True)


def read_on_chain(evm: EvmResource, stellar: StellarResource, off: pl.DataFrame, only: list[str],
                  at: datetime) -> tuple[pl.DataFrame, dict[str, str]]:
    """Balances at each chain's last confirmed block (Stellar: closed ledger) at or before `at`:
    off-chain addresses plus configured holders. A node that has not reached `at` is an error, never a
    silent old read."""
    import polars as pl

    from clients.chain_retry import ChainReadError
    from recon.chain.units import to_decimal
    from recon.reserves import schemas

    rows: list[dict] = []
    errors: dict[str, str] = {}
    for name in evm.chain_names():
        if only and name not in only:
            continue
        try:
            client = evm.client(name)
            block = client.pin(at).block_number
            for token in client.s.tokens:
                holders = _holders(off, name, token.symbol, client.s.holders)
                for holder, raw in client.balances(token, holders, block).items():
                    rows.append({"chain": name, "asset": token.symbol, "holder": holder,
                                 "balance": to_decimal(raw, token.decimals)})
        except ChainReadError as exc:
            errors[name] = str(exc)
    if stellar.enabled() and (not only or "stellar" in only):
        try:
            rows += _stellar_balances(stellar.client(), off, at)
        except ChainReadError as exc:
            errors["stellar"] = str(exc)
    return schemas.conform(pl.DataFrame(rows, schema=schemas.CHAIN_BALANCES), schemas.CHAIN_BALANCES,
                           "chain_balances"), errors


def _holders(off: pl.DataFrame, chain: str, asset: str, configured: tuple[str, ...]) -> list[str]:
    import polars as pl

    mine = off.filter((pl.col("chain") == chain) & (pl.col("asset") == asset))["address"]
    return list(dict.fromkeys([*mine.to_list(), *configured]))


def _stellar_balances(client: StellarClient, off: pl.DataFrame, at: datetime) -> list[dict]:
    """Each account's balance of the issued asset at the pinned ledger (read now, rolled back)."""
    ledger = client.pin(at).block_number
    rows = []
    for code, issuer in client.s.assets:
        for holder in _holders(off, client.s.name, code, client.s.accounts):
            balance = client.balances_at(holder, ledger).get(f"{code}:{issuer}", Decimal(0))
            rows.append({"chain": client.s.name, "asset": code, "holder": holder, "balance": balance})
    return rows


@app.command()
def reconcile(
    apply: bool = typer.Option(False, "--apply", help="Write the changes (default: a dry run that changes nothing)."),
    by: str = typer.Option(None, "--by", help="Who applies the changes (recorded in the audit rows)."),
    chain: list[str] = typer.Option(None, "--chain", help="Only this chain (repeatable)."),
    ledger_url: str = typer.Option(..., "--ledger-url", envvar="RECON_LEDGER_URL",
                                   help="The service's database holding the custodial balances."),
    schema: str = typer.Option("ledger", "--schema", help="Schema of custodial_balances and its audit table."),
    chain_config: str = typer.Option(..., "--chain-config", envvar="RECON_CHAIN_CONFIG", help="Chains JSON."),
    reserves_config: str = typer.Option(None, "--reserves-config", envvar="RECON_RESERVES_CONFIG",
                                        help="JSON with a 'reserves' object (tolerances per asset)."),
    at: datetime = typer.Option(None, "--at", formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S"],
                                help="Compare as of this moment (UTC unless an offset is given); default: now."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    user: str = typer.Option(None, "--user", help="Only this user: an address (or user id) in the books."),
    admin: bool = typer.Option(False, "--admin", help="Every user: the administrator's reconciliation (the "
                               "default; accepted under the specification's name)."),
) -> None:
    """Compare users' off-chain balances with their on-chain balances; with --apply, set them to the chain's."""
    if user and admin:
        typer.secho("--user and --admin exclude each other: one user, or every user", fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    import polars as pl
    import sqlalchemy as sa

    from pipelines.cli.holders_apply import apply_plan
    from recon.reserves import tables
    from recon.reserves.config import ReservesConfig
    from recon.reserves.custodial import custodial_plan
    from recon.sources import ConfigurationError, NotConfigured
    from resources.evm import EvmResource
    from resources.ledger import LedgerError, LedgerResource
    from resources.reserves import ReservesResource
    from resources.stellar import StellarResource

    try:
        config = ReservesResource(config_file=reserves_config).config()
    except NotConfigured as exc:
        # Only the comparison tolerances come from there: the specification's, said out loud.
        if not as_json:  # a script's JSON stays parseable; a person is told
            typer.secho(f"{exc}; comparing with the default tolerances", fg=typer.colors.YELLOW, err=True)
        config = ReservesConfig()
    except ConfigurationError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    moment = datetime.now(UTC) if at is None else at if at.tzinfo else at.replace(tzinfo=UTC)
    try:
        off = LedgerResource(kind="sql", url=ledger_url, db_schema=schema).source().read(
            tables.CUSTODIAL_BALANCES, moment)
    except LedgerError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    if chain:
        off = off.filter(pl.col("chain").is_in(chain))
    if user:
        off = off.filter((pl.col("address").str.to_lowercase() == user.lower()) | (pl.col("user_id") == user))
        if off.is_empty():
            typer.secho(f"{user}: no custodial balance in {schema}.custodial_balances"
                        + (f" on {', '.join(chain)}" if chain else ""), fg=typer.colors.RED, err=True)
            raise typer.Exit(2)
    on, errors = read_on_chain(EvmResource(config_file=chain_config), StellarResource(config_file=chain_config),
                               off, chain or [], moment)
    if user:  # configured holders (treasury, desks) are not this user
        on = on.filter(pl.col("holder").str.to_lowercase().is_in([a.lower() for a in off["address"].to_list()]))
    plan = custodial_plan(config, off, on)
    changes = plan.filter(pl.col("action") != "ok")
    result: dict = {"mode": "apply" if apply else "dry_run", "scope": f"user {user}" if user else "all users",
                    "users": plan.height,
                    "changes": [_exact(r, _decimals(chain_config)) for r in changes.to_dicts()],
                    "chain_errors": errors}
    if apply:
        engine = sa.create_engine(ledger_url.replace("postgresql://", "postgresql+psycopg://", 1))
        report = apply_plan(engine, schema, plan, by or getpass.getuser())
        result.update(applied=report.applied, skipped=report.skipped, failed=report.failed)
    if as_json:
        print_json(result)
    else:
        _print(result, changes)
    if apply and result["failed"]:
        raise typer.Exit(1)


def _decimals(chain_config: str) -> dict[tuple[str, str], int]:
    """(chain, asset) -> the token's decimals: each EVM token's own, Stellar's 7."""
    from clients.chain_retry import ChainReadError
    from recon.chain.units import STELLAR_DECIMALS
    from resources.evm import EvmResource
    from resources.stellar import StellarResource

    out = {(c.name, t.symbol): t.decimals for c in EvmResource(config_file=chain_config).configured()
           for t in c.tokens}
    stellar = StellarResource(config_file=chain_config)
    try:
        settings = stellar.settings() if stellar.enabled() else None
    except ChainReadError:
        settings = None
    if settings is not None:
        out.update({(settings.name, code): STELLAR_DECIMALS for code, _ in settings.assets})
    return out


def _exact(row: dict, decimals: dict[tuple[str, str], int]) -> dict:
    """Token amounts at the token's own decimals, not the frame's common scale."""
    from recon.money import exact

    scale = decimals.get((str(row.get("chain")), str(row.get("asset"))))
    return {k: exact(v, scale) if isinstance(v, Decimal) else v for k, v in row.items()}


def _print(result: dict, changes: pl.DataFrame) -> None:
    from recon.money import show

    verb = "changed" if result["mode"] == "apply" else "would change"
    typer.echo(f"{result['users']} custodial balances compared; {changes.height} differ from the chain")
    for r in changes.iter_rows(named=True):
        typer.echo(f"  {r['action']:<16} {r['chain']:<9} {r['asset']:<6} {r['user_id']:<20} "
                   f"{show(r['off_chain']):>20} -> {show(r['on_chain']):>20}  ({show(r['difference'])})")
    for name, why in result["chain_errors"].items():
        typer.secho(f"  {name}: not read ({why}); its users are unknown", fg=typer.colors.YELLOW)
    if result["mode"] == "dry_run":
        typer.echo("Dry run: nothing changed. Run with --apply to write.")
        return
    typer.echo(f"{len(result['applied'])} {verb}, {len(result['skipped'])} skipped, {len(result['failed'])} failed")
    for r in result["skipped"] + result["failed"]:
        typer.echo(f"  {r['user_id']}: {r['reason']}")
