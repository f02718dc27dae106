"""`recon credit`: the credit book's LTV positions as the last run computed them."""

from __future__ import annotations

import json
from enum import Enum

import typer

from pipelines.cli.common import open_warehouse, print_json
from recon.credit.rules import BANDS, UNKNOWN

Band = Enum("Band", {b: b for b in (*BANDS, UNKNOWN)}, type=str)  # type: ignore[misc]

app = typer.Typer(help="Collateralised credit: LTV bands, margin calls and liquidations per credit line.",
                  no_args_is_help=True)

_COLUMNS = ("credit_line_id", "currency", "debt", "collateral_value", "collateral_value_with_cushion", "ltv",
            "ltv_with_cushion", "threshold_watch", "threshold_margin_call", "threshold_partial_liquidation",
            "threshold_full_liquidation", "band", "liquidation_value", "topup_value", "effective_target_ltv",
            "reason", "assets", "stellar_ledger", "cutoff", "run_id")
_ORDER = "CASE band WHEN 'full_liquidation' THEN 0 WHEN 'partial_liquidation' THEN 1 WHEN 'unknown' THEN 2 " \
         "WHEN 'margin_call' THEN 3 WHEN 'watch' THEN 4 ELSE 5 END, ltv DESC NULLS FIRST, credit_line_id"


@app.command()
def positions(
    date: str = typer.Option(None, "--date", help="Business date (YYYY-MM-DD); default: the latest computed."),
    band: list[Band] = typer.Option(None, "--band", help="Only these bands (repeatable), e.g. --band margin_call."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Each credit line's debt, collateral value (with and without yield), LTV, band and liquidation."""
    wh = open_warehouse()
    day = date or wh.query("SELECT max(partition_key) AS p FROM recon.ltv_positions")["p"][0]
    if day is None:
        typer.secho("no LTV positions yet: materialise ltv_positions (recon run daily --date D)",
                    fg=typer.colors.YELLOW, err=True)
        raise typer.Exit(1)
    where = "partition_key = :p" + (" AND band = ANY(:bands)" if band else "")
    frame = wh.query(f"SELECT {', '.join(_COLUMNS)} FROM recon.ltv_positions WHERE {where} ORDER BY {_ORDER}",
                     p=day, bands=[b.value for b in band or []])
    rows = frame.to_dicts() if frame.height else []
    if as_json:
        for r in rows:
            r["assets"] = json.loads(r["assets"]) if isinstance(r["assets"], str) else r["assets"]
        print_json({"business_date": day, "positions": rows})
        return
    typer.echo(f"LTV positions for {day} ({len(rows)} lines; bands use collateral without the yield cushion)")
    typer.echo(f"{'line':<14} {'ccy':<4} {'debt':>18} {'collateral':>18} {'ltv':>11} {'band':<20} "
               f"{'liquidate':>18} reason")
    for r in rows:
        ltv = "n/a" if r["ltv"] is None else f"{r['ltv']:.4%}"
        coll = "" if r["collateral_value"] is None else f"{r['collateral_value']:.2f}"
        typer.echo(f"{r['credit_line_id']:<14} {r['currency'] or '':<4} {r['debt']:>18.2f} {coll:>18} {ltv:>11} "
                   f"{r['band']:<20} {r['liquidation_value'] or 0:>18.2f} {r['reason'] or ''}")
