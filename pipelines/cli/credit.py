"""`recon credit`: the credit book's LTV positions as the last run computed them."""

from __future__ import annotations

import json
from decimal import Decimal
from enum import Enum

import typer

from pipelines.cli.common import print_json
from recon.credit.rules import BANDS, UNKNOWN
from recon.sql import postgres_sql

Band = Enum("Band", {b: b for b in (*BANDS, UNKNOWN)}, type=str)  # type: ignore[misc]

app = typer.Typer(help="Collateralised credit: LTV bands, margin calls and liquidations per credit line.",
                  no_args_is_help=True)



@app.command()
def positions(
    date: str = typer.Option(None, "--date", help="Business date (YYYY-MM-DD); default: the latest computed."),
    band: list[Band] = typer.Option(None, "--band", help="Only these bands (repeatable), e.g. --band margin_call."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Each credit line's debt, collateral value (with and without yield), LTV, band and liquidation."""
    from pipelines.cli.reading import rows as read

    day = date or read(postgres_sql("select_latest_ltv_partition"))[0]["p"]
    if day is None:
        typer.secho("no LTV positions yet: materialise ltv_positions (recon run daily --date D)",
                    fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(1)
    # NUMERIC arrives at the scale it was stored at: what the source sent, to the last digit.
    rows = read(postgres_sql("select_ltv_positions"), {"p": day, "bands": [b.value for b in band] if band else None})
    if not rows and not band:
        typer.secho(f"no LTV positions for {day}: materialise ltv_positions (recon run daily --date {day})",
                    fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(1)
    if as_json:
        for r in rows:
            r["assets"] = json.loads(r["assets"]) if isinstance(r["assets"], str) else r["assets"]
        print_json({"business_date": day, "positions": rows})
        return
    from recon.money import show

    typer.echo(f"LTV positions for {day} ({len(rows)} lines; the yield cushion absorbs a drawdown before a "
               "line changes band: bands use ltv with cushion)")
    typer.echo(f"{'line':<14} {'ccy':<4} {'debt':>22} {'collateral':>22} {'yield cushion':>18} {'ltv':>11} "
               f"{'ltv w/ cushion':>14} {'band':<20} {'liquidate':>22} reason")
    for r in rows:
        ltv = "n/a" if r["ltv"] is None else f"{Decimal(r['ltv']):.4%}"
        with_cushion = "n/a" if r["ltv_with_cushion"] is None else f"{Decimal(r['ltv_with_cushion']):.4%}"
        ccy = r["currency"]
        coll = "" if r["collateral_value"] is None else show(Decimal(r["collateral_value"]), ccy)
        cushion = "" if r["yield_cushion_value"] is None else show(Decimal(r["yield_cushion_value"]), ccy)
        debt, liquidate = show(Decimal(r["debt"]), ccy), show(Decimal(r["liquidation_value"] or 0), ccy)
        typer.echo(f"{r['credit_line_id']:<14} {ccy or '':<4} {debt:>22} {coll:>22} {cushion:>18} {ltv:>11} "
                   f"{with_cushion:>14} {r['band']:<20} {liquidate:>22} {r['reason'] or ''}")
