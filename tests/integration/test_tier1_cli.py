"""`recon publish`, `recon listen` and `recon listen --status` as people run them: the installed
command in a subprocess, against a real nats-server and real Postgres; SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from stores.tier1_store import listener_status
from stores.warehouse import Warehouse
from tests.integration.tier1_world import EUR, OPENING, load_statements, note

RECON = str(Path(sys.executable).parent / "recon")


def _env(url: str, db: str, ledger_dir: Path, home: Path) -> dict[str, str]:
    return {**os.environ, "RECON_NATS_URL": url, "RECON_DATABASE_URL": db, "RECON_LEDGER_KIND": "files",
            "RECON_LEDGER_DIR": str(ledger_dir), "RECON_HOME": str(home), "RECON_WEBHOOK_URL": ""}


def test_publish_listen_sigterm_and_status(fresh_warehouse: Warehouse, fresh_database_url: str, nats_server,
                                           tmp_path: Path) -> None:
    load_statements(fresh_warehouse, tmp_path / "drop")
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    (ledger / "accounts.csv").write_text(
        f"account_id,iban,currency,ledger_balance,as_of\nacc-eur,{EUR},EUR,{OPENING[EUR]},2026-11-01T00:00:00Z\n")
    files = []
    for i, amount in enumerate(("120.00", "80.50")):
        path = tmp_path / f"054_{i}.xml"
        path.write_bytes(note(f"CLI{i}", amount))
        files.append(str(path))
    env = _env(nats_server.url, fresh_database_url, ledger, tmp_path / "home")

    out = subprocess.run([RECON, "publish", *files, "--subject", "bank.notifications.credit"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "BANK_NOTIFICATIONS #2" in out.stdout

    listener = subprocess.Popen([RECON, "listen", "--status-every", "0.5"], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if fresh_warehouse.rows("SELECT count(*) n FROM recon.notification_checks")[0]["n"] == 2:
            break
        time.sleep(0.2)
    listener.send_signal(signal.SIGTERM)
    logged, _ = listener.communicate(timeout=30)
    assert listener.returncode == 0, logged
    assert "stopped: 2 checked" in logged, logged
    assert "tier=minor action=record" in logged, logged  # 120 on 1,000,000: 0.012 %

    checks = fresh_warehouse.rows("SELECT subject, amount, bank_balance, tier FROM recon.notification_checks "
                                  "ORDER BY stream_seq")
    assert [c["bank_balance"] for c in checks] == [OPENING[EUR] + 120, OPENING[EUR] + Decimal("200.50")]
    assert {c["subject"] for c in checks} == {"bank.notifications.credit"}

    # What `recon listen --status` prints (the command reads this row).
    row = listener_status(fresh_warehouse)[0]
    assert row["state"] == "stopped" and row["num_pending"] == 0 and row["last_stream_seq"] == 2

