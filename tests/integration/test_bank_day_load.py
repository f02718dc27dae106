"""A day's bank load is one transaction: a loader killed mid-load leaves nothing of the day, and the
next load writes it whole. A file that is gone never blocks its date."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

from clients.folder_source import LocalFolderSource
from stores.identifiers import render
from stores.statement_days import load_business_date
from stores.statement_files import register_new_files
from stores.warehouse import Warehouse
from tests.support.bank_files import new_account, statement, write_statement

PROJECT = Path(__file__).resolve().parents[2]

# Runs the real load, and kills its own process (SIGKILL) once every table of the day is written
# but before the commit: what a crash, an OOM kill or `kill -9` at the worst moment does.
KILLED_LOADER = textwrap.dedent("""
    import os, signal, sys
    from datetime import date
    import stores.statement_days as days
    from clients.folder_source import LocalFolderSource
    from stores.warehouse import Warehouse

    real = days.write_rows

    def write_then_die(conn, table, *args, **kwargs):
        out = real(conn, table, *args, **kwargs)
        if table == "bank_statement_choices":
            print("written, not committed", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return out

    days.write_rows = write_then_die
    wh = Warehouse.connect(sys.argv[1], upgrade=False)
    days.load_business_date(wh, LocalFolderSource(sys.argv[2]), date.fromisoformat(sys.argv[3]))
""")


def _day(wh: Warehouse, day: date) -> dict[str, int]:
    out = {}
    for table in ("bank_statements", "bank_balances", "bank_entries", "bank_statement_choices"):
        count = render("SELECT count(*) AS n FROM recon.{table} WHERE business_date = :d", table=table)
        out[table] = wh.rows(count, d=day)[0]["n"]
    return out


def test_a_loader_killed_mid_load_leaves_nothing_and_the_day_then_loads_whole(
        warehouse: Warehouse, tmp_path: Path) -> None:
    day = date(2026, 7, 1)
    drop = tmp_path / "drop"
    drop.mkdir()
    for i in range(3):
        write_statement(drop / f"s{i}.xml", statement(new_account(), day, ["1.00", "2.00"]))
    url = warehouse.engine.url.render_as_string(hide_password=False)

    killed = subprocess.run([sys.executable, "-c", KILLED_LOADER, url, str(drop), str(day)], cwd=PROJECT,
                            env={**os.environ, "PYTHONPATH": str(PROJECT)}, capture_output=True, text=True,
                            timeout=300)

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert "written, not committed" in killed.stdout
    assert _day(warehouse, day) == {"bank_statements": 0, "bank_balances": 0, "bank_entries": 0,
                                    "bank_statement_choices": 0}
    assert warehouse.rows("SELECT count(*) AS n FROM recon.ingested_files WHERE source = :s",
                          s=f"drop_folder:{drop.resolve()}") == [{"n": 0}]

    load = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert sorted(load.registration.ingested) == ["s0.xml", "s1.xml", "s2.xml"]
    assert _day(warehouse, day) == {"bank_statements": 3, "bank_balances": 6, "bank_entries": 6,
                                    "bank_statement_choices": 3}


def test_a_removed_file_keeps_counting_from_its_stored_rows(warehouse: Warehouse, tmp_path: Path) -> None:
    day = date(2026, 7, 2)
    drop = tmp_path / "drop"
    drop.mkdir()
    for i in range(2):
        write_statement(drop / f"s{i}.xml", statement(new_account(), day, ["3.00", "4.00"]))
    first = load_business_date(warehouse, LocalFolderSource(drop), day)
    (drop / "s1.xml").unlink()

    again = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert again.complete and again.files_from_store == ["s1.xml"]
    assert again.writes["bank_entries"].changed == 0  # the same rows, not a day emptied
    assert sorted(again.statements["statement_key"].to_list()) == sorted(first.statements["statement_key"].to_list())


def test_a_file_gone_before_its_day_was_loaded_is_left_out_and_said(
        warehouse: Warehouse, tmp_path: Path) -> None:
    day = date(2026, 7, 3)
    drop = tmp_path / "drop"
    drop.mkdir()
    kept, gone = new_account(), new_account()
    write_statement(drop / "kept.xml", statement(kept, day, ["1.00"]))
    write_statement(drop / "gone.xml", statement(gone, day, ["1.00"]))
    register_new_files(warehouse, LocalFolderSource(drop))  # registered, its day not loaded yet
    data = (drop / "gone.xml").read_bytes()
    (drop / "gone.xml").unlink()

    load = load_business_date(warehouse, LocalFolderSource(drop), day)

    assert not load.complete and load.files_missing == ["gone.xml"]
    assert load.statements["account"].to_list() == [kept]
    # Put back, the file is read again and the day is whole.
    (drop / "gone.xml").write_bytes(data)
    whole = load_business_date(warehouse, LocalFolderSource(drop), day)
    assert sorted(whole.statements["account"].to_list()) == sorted([kept, gone])
