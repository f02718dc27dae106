"""`recon camt`: look inside bank CAMT files, and load a drop folder by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from pipelines.cli.common import open_warehouse, print_json

app = typer.Typer(help="Bank statements: inspect CAMT.052/053/054 files, ingest a drop folder.",
                  no_args_is_help=True)


@app.command()
def inspect(
    files: list[Path] = typer.Argument(..., help="CAMT files to read."),
    as_json: bool = typer.Option(False, "--json", help="One JSON array, one object per file."),
    rows: bool = typer.Option(False, "--rows", help="Also print every entry/transaction row."),
) -> None:
    """Message and version; per statement its balances, balance proof, counts, total and UETRs.

    Exits 1 when a file cannot be read (the reason is printed); a statement that does not
    balance is reported, not an error.
    """
    from recon.camt.summary import summarize

    results = [summarize(f, with_rows=rows) for f in files]
    if as_json:
        print_json(results)
    else:
        for r in results:
            _print_file(r)
    if any(r["message"] is None for r in results):
        raise typer.Exit(1)


def _print_file(r: dict[str, Any]) -> None:
    typer.secho(f"{r['file']}: {r['message'] or 'UNREADABLE'}", bold=True)
    for s in r["statements"]:
        proof = s["proof"]
        verdict = {True: "balances", False: "DOES NOT BALANCE", None: "no OPBD/CLBD"}[
            proof["proof_ok"]]
        typer.echo(f"  {s['id']}  account {s['account']} {s['currency'] or ''}  "
                   f"business date {s['business_date']}")
        typer.echo(f"    entries {s['entries']}, rows {s['rows']}, signed total "
                   f"{s['signed_entry_total']}, proof: {verdict}")
        for b in s["balances"]:
            typer.echo(f"    {b['type']:<6} {b['amount']:>20}  {b['date'] or ''}")
        if s["uetrs"]:
            typer.echo(f"    UETRs: {', '.join(s['uetrs'])}")
        for row in s.get("rows_detail", []):
            typer.echo("    " + "  ".join(f"{k}={v}" for k, v in row.items()
                                          if k not in ("statement_key", "entry_key")))
    for e in r["errors"]:
        typer.secho(f"  ! {e}", fg=typer.colors.YELLOW if r["message"] else typer.colors.RED)


@app.command()
def ingest(
    drop: Path = typer.Option(..., "--drop", envvar="RECON_STATEMENTS_DIR",
                              help="The statement drop folder."),
    day: str = typer.Option(None, "--date", help="Reload this business date (YYYY-MM-DD); "
                                                 "default: every date the new files hold."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Account for every new file (ingested, duplicate, quarantined) and write its dates."""
    from resources.statement_days import load_business_date
    from resources.statements import LocalFolderSource, register_new_files

    wh = open_warehouse()
    source = LocalFolderSource(drop)
    reg = register_new_files(wh, source)
    days = ([date.fromisoformat(day)] if day else
            sorted({d for p in reg.parsed.values() for d in p.business_dates}))
    loads = {str(d): load_business_date(wh, source, d) for d in days}
    out = {"ingested": reg.ingested, "duplicates": reg.duplicates,
           "quarantined": reg.quarantined,
           "dates": {d: {"statements": x.statements.height, "rows": x.entries.height,
                         "unbalanced": x.findings.height, "links": x.links.height}
                     for d, x in loads.items()}}
    if as_json:
        print_json(out)
        return
    for name in reg.ingested:
        typer.echo(f"ingested     {name}")
    for name in reg.duplicates:
        typer.echo(f"duplicate    {name}")
    for name, reason in reg.quarantined.items():
        typer.secho(f"quarantined  {name}: {reason}", fg=typer.colors.RED)
    for d, x in out["dates"].items():
        typer.echo(f"{d}: {x['statements']} statements, {x['rows']} rows, "
                   f"{x['unbalanced']} unbalanced, {x['links']} notifications linked")
