"""Each source in turn missing, unreachable or half-readable on a day the demo world has reconciled.

For each: the run still succeeds, no finding changes status, no partition loses a row, the verdicts that
depend on the source say unknown (the others stay as they were), a source_unavailable finding names
the source, no flag is raised and no file outside the drop folder moves. Restored, the day is again
what the complete run made of it, row for row.

Subset of the matrix (each case is two runs of the day): the drop folder missing; the SQL ledger
unreachable; the file ledger half-readable (a table missing); ethereum's node and Horizon unreachable;
the price file missing; the reserves file missing and the reserves setting empty; the credit and chain
files each missing one comma. `make test` runs the first of each kind of fault (DEFAULT_FAULTS marks the rest);
RECON_FAULTS=all runs them all.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from stores.identifiers import render
from tests.faults.conftest import Reconciled

CLOSED = "127.0.0.1:9"  # nothing listens on the discard port


def _ledger_unreachable(r: Reconciled, mp: pytest.MonkeyPatch) -> None:
    mp.setenv("RECON_LEDGER_URL", f"postgresql://recon@{CLOSED}/ledger")


def _ledger_files_half(r: Reconciled, mp: pytest.MonkeyPatch) -> None:
    """The ledger as files, every table but the accounts (the other tables read, that one not)."""
    folder = r.home / "ledger-files"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for t in r.wh.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = 'ledger'"):
        if t["table_name"] != "accounts":
            _export(r, t["table_name"], folder / f"{t['table_name']}.parquet")
    mp.setenv("RECON_LEDGER_KIND", "files")
    mp.setenv("RECON_LEDGER_DIR", str(folder))


def _export(r: Reconciled, table: str, path: Path) -> None:
    r.wh.query(render("SELECT * FROM ledger.{table}", table=table)).write_parquet(path)


def _chain(name: str) -> Callable[[Reconciled, pytest.MonkeyPatch], None]:
    def apply(r: Reconciled, mp: pytest.MonkeyPatch) -> None:
        def change(data: dict) -> None:
            if name == "stellar":
                data["stellar"]["horizon_url"] = f"http://{CLOSED}"
            else:
                next(c for c in data["evm"] if c["name"] == name)["rpc_url"] = f"http://{CLOSED}"
        mp.setenv("RECON_CHAIN_CONFIG", str(r.rewrite_json("RECON_CHAIN_CONFIG", change)))
    return apply


def _prices_missing(r: Reconciled, mp: pytest.MonkeyPatch) -> None:
    def change(data: dict) -> None:
        data["prices"]["path"] = str(r.home / "no-such-prices.csv")
    mp.setenv("RECON_CREDIT_CONFIG", str(r.rewrite_json("RECON_CREDIT_CONFIG", change)))


def _comma_missing(setting: str) -> Callable[[Reconciled, pytest.MonkeyPatch], None]:
    def apply(r: Reconciled, mp: pytest.MonkeyPatch) -> None:
        text = Path(r.world.env[setting]).read_text()
        broken = r.home / f"broken-{setting.lower()}.json"
        broken.write_text(text.replace(",\n", "\n", 1))
        mp.setenv(setting, str(broken))
    return apply


# id -> (fault, source named by the finding, verdict tables left unknown)
FAULTS: dict[str, tuple[Callable[[Reconciled, pytest.MonkeyPatch], None], str, set[str]]] = {
    "drop_folder_missing": (lambda r, mp: mp.setenv("RECON_STATEMENTS_DIR", str(r.home / "no-such-drop")),
                            "drop_folder", {"balance_checks", "backing_checks"}),
    "ledger_sql_unreachable": (_ledger_unreachable, "ledger.", {"balance_checks", "reserve_status",
                                                                 "backing_checks", "ltv_positions"}),
    "ledger_files_half_readable": (_ledger_files_half, "ledger.accounts", {"balance_checks"}),
    "ethereum_unreachable": (_chain("ethereum"), "evm.ethereum", {"backing_checks"}),
    "horizon_unreachable": (_chain("stellar"), "stellar", {"backing_checks", "ltv_positions"}),
    "prices_missing": (_prices_missing, "prices", {"ltv_positions"}),
    "reserves_file_missing": (lambda r, mp: mp.setenv("RECON_RESERVES_CONFIG", str(r.home / "none.json")),
                              "reserves_config", {"backing_checks", "reserve_status"}),
    "credit_config_comma_missing": (_comma_missing("RECON_CREDIT_CONFIG"), "credit_config", {"ltv_positions"}),
    # The chain file also names Horizon, where credit collateral is read: credit bands go unknown too.
    "chain_config_comma_missing": (_comma_missing("RECON_CHAIN_CONFIG"), "chain_config",
                                   {"backing_checks", "ltv_positions"}),
}


# Run by `make test`: one source of each kind (folder, database, node, configuration file).
DEFAULT_FAULTS = {"drop_folder_missing", "ledger_sql_unreachable", "ethereum_unreachable", "reserves_file_missing",
         "chain_config_comma_missing"}
SELECTED = list(FAULTS) if os.environ.get("RECON_FAULTS") == "all" else [f for f in FAULTS if f in DEFAULT_FAULTS]


@pytest.mark.parametrize("fault", SELECTED)
def test_a_source_down_leaves_the_day_as_it_was_with_its_verdicts_unknown(
        reconciled: Reconciled, fault: str) -> None:
    apply, source, dependent = FAULTS[fault]
    before, files = reconciled.complete(), reconciled.files_outside_drop()
    with pytest.MonkeyPatch.context() as monkeypatch:
        apply(reconciled, monkeypatch)
        reconciled.run()
    after = reconciled.state()

    changed = {k: (s, after["findings"].get(k)) for k, s in before["findings"].items()
               if after["findings"].get(k) != s}
    assert changed == {}, "no finding may change status on a failed read"
    assert after["flags"] == before["flags"], "nothing is flagged from a read that failed"
    lost = {t: (n, after["rows"][t]) for t, n in before["rows"].items() if after["rows"][t] < n}
    assert lost == {}, "no partition loses a row"
    for table, verdicts in before["verdicts"].items():
        now = after["verdicts"][table]
        assert set(now) == set(verdicts), table
        moved = {k: (v, now[k]) for k, v in verdicts.items() if now[k] not in (v, "unknown")}
        assert moved == {}, f"{table}: a verdict may only become unknown"
        unknown = {k for k, v in now.items() if v == "unknown" and verdicts[k] != "unknown"}
        if table in dependent:
            assert unknown, f"{table} depends on {source}: some verdict must say unknown"
        else:
            assert not unknown, f"{table} does not depend on {source}"
    assert any(s.startswith(source) for s in reconciled.open_sources()), reconciled.open_sources()
    assert reconciled.files_outside_drop() == files

    shutil.rmtree(reconciled.home / "ledger_snapshots" / reconciled.day, ignore_errors=True)
    reconciled.run()
    restored = reconciled.state()
    assert restored == before, "restored, the day is the complete run's again"
    assert not any(s.startswith(source) for s in reconciled.open_sources())


def test_an_empty_reserves_setting_opens_nothing(reconciled: Reconciled) -> None:
    # Not configured is a state: no critical redemption or books finding, no payout suspension from defaults.
    before = reconciled.complete()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("RECON_RESERVES_CONFIG", "")
        reconciled.run()
    after = reconciled.state()
    assert after["findings"] == before["findings"] and after["flags"] == before["flags"]
    assert after["rows"] == before["rows"]
    assert set(after["verdicts"]["backing_checks"].values()) == {"unknown"}
    assert set(after["verdicts"]["reserve_status"].values()) == {"unknown"}
    assert after["verdicts"]["balance_checks"] == before["verdicts"]["balance_checks"]
    run = reconciled.wh.rows("SELECT sources FROM recon.runs WHERE partition_key = :p ORDER BY started_at DESC "
                             "LIMIT 1", p=reconciled.day)[0]
    assert run["sources"]["reserves_config"]["state"] == "not_configured"
    reconciled.run()
    assert reconciled.state() == before
