"""`recon camt`: look inside bank CAMT files, load a drop folder by hand, withdraw a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from pipelines.cli.common import open_warehouse, print_json

app = typer.Typer(help="Bank statements: inspect CAMT.052/053/054 files, ingest a drop folder, "
                       "withdraw a file.",
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
    """Account for every new file (ingested, duplicate, quarantined) and write its dates.

    A relative --drop is taken from the directory you run this in; the folder is identified by
    its real path, however it is spelled.
    """
    from clients.folder_source import LocalFolderSource, StatementSourceUnavailable
    from stores.statement_days import load_business_date
    from stores.statement_files import register_new_files

    try:
        source = LocalFolderSource(drop, base=Path.cwd())
    except StatementSourceUnavailable as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    wh = open_warehouse()
    try:
        if day:
            first = load_business_date(wh, source, date.fromisoformat(day))
            reg, loads = first.registration, {day: first}
        else:
            reg = register_new_files(wh, source)
            days = sorted({d for p in reg.parsed.values() for d in p.business_dates})
            loads = {str(d): load_business_date(wh, source, d) for d in days}
    except StatementSourceUnavailable as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    out: dict[str, Any] = {"ingested": reg.ingested, "duplicates": reg.duplicates,
           "quarantined": reg.quarantined,
           "dates": {d: {"statements": x.statements.height, "rows": x.entries.height,
                         "unbalanced": x.findings.filter(
                             x.findings["type"] == "statement_unbalanced").height,
                         "not_counted": int((~x.choices["counted"]).sum()) if x.choices.height
                         else 0,
                         "files_missing": x.files_missing, "links": x.links.height}
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
                   f"{x['unbalanced']} unbalanced, {x['links']} notifications linked, "
                   f"{x['not_counted']} not counted (see recon.bank_statement_choices)")
        for name in x["files_missing"]:
            typer.secho(f"  {name} is gone and its statements of {d} were never stored: "
                        "left out", fg=typer.colors.YELLOW)


@app.command()
def withdraw(
    file: str = typer.Argument(..., help="The file's name as ingested (or its path)."),
    by: str = typer.Option(..., "--by", help="Who withdraws it (kept in recon.audit_log)."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in recon.audit_log)."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Withdraw an ingested bank file: its statements stop counting, audited with who and why.

    The file stays where it is. Each business date it fed loads without it on its next run;
    the command prints those dates and the command to re-run them.
    """
    from stores.statement_files import withdraw_file

    wh = open_warehouse()
    try:
        done = withdraw_file(wh, file, by, reason)
    except (LookupError, ValueError) as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(1) from exc
    dates = [str(d) for d in done.business_dates]
    if as_json:
        print_json({"file": done.file_name, "file_sha256": done.file_sha256,
                    "already_withdrawn": done.already, "rerun_business_dates": dates})
        return
    verb = "was already withdrawn" if done.already else f"withdrawn by {by}"
    typer.echo(f"{done.file_name} ({done.file_sha256[:12]}) {verb}.")
    typer.echo("Its statements stop counting when these business dates are run again:")
    for d in dates:
        typer.echo(f"  recon run daily --date {d}")
