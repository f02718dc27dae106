"""Tier 1 benchmark on a real nats-server with JetStream and a real (embedded) Postgres.

1. Sustained: N notifications already on the stream, one listener drains them: notifications/s.
2. Latency: notifications published at 10, 100 and 1,000 per second for a few seconds each while a
   listener (its own process, as in production) checks them: p50 / p99 / max publish-to-verdict
   (the server's timestamp of the message to the listener's verdict), and whether any was lost.

    .venv/bin/python bench/bench_tier1.py [--sustained 10000] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nats  # noqa: E402

from clients.folder_source import LocalFolderSource  # noqa: E402
from clients.nats_bus import NatsSettings, ensure_streams  # noqa: E402
from embedded.nats_server import NatsServer  # noqa: E402
from embedded.postgres import embedded_url, stop_embedded  # noqa: E402
from recon.camt.model import Statement  # noqa: E402
from recon.camt.writer import camt_bytes  # noqa: E402
from recon.tier1.messages import notification_bytes  # noqa: E402
from stores.statement_days import load_business_date  # noqa: E402
from stores.warehouse import Warehouse  # noqa: E402

ACCOUNTS = [f"DE{i:02d}370400440532013{i:03d}" for i in range(10)]
OPENING = Decimal("100000000.00")
DAY = date(2026, 11, 16)

LISTENER = """
import asyncio, signal, sys
from decimal import Decimal
sys.path.insert(0, sys.argv[3])
from clients.nats_bus import NatsSettings
from services.tier1_listener import Listener
from stores.tier1_store import Ledger
from stores.warehouse import Warehouse
accounts = sys.argv[4].split(",")
ledger = Ledger({(a, "EUR"): Decimal("100000000.00") for a in accounts})
wh = Warehouse.connect(sys.argv[1])
listener = Listener(wh, NatsSettings(url=sys.argv[2]), lambda: ledger, log=lambda s: None, status_every_s=5)
async def main():
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await listener.run(stop)
asyncio.run(main())
"""


def setup(wh: Warehouse, folder: Path) -> None:
    folder.mkdir(parents=True)
    for i, iban in enumerate(ACCOUNTS):
        stmt = Statement(account_iban=iban, currency="EUR", opening_balance=OPENING, entries=[],
                         statement_id=f"STMT-{i}", created_at=datetime(2026, 11, 14, 5, tzinfo=UTC),
                         from_date=date(2026, 11, 13), to_date=date(2026, 11, 13), closing_balance=OPENING,
                         closing_date=date(2026, 11, 13), electronic_seq=1, legal_seq=1)
        (folder / f"053_{i}.xml").write_bytes(camt_bytes([stmt], kind="053", msg_id=f"M053-{i}",
                                                         created_at=stmt.created_at))
    load_business_date(wh, LocalFolderSource(folder), date(2026, 11, 13))


def bodies(prefix: str, n: int) -> list[bytes]:
    at = datetime(2026, 11, 16, 9, tzinfo=UTC)
    return [notification_bytes(ACCOUNTS[i % len(ACCOUNTS)], "EUR", Decimal("12.34"), "CRDT", DAY, f"{prefix}{i}",
                               at + timedelta(seconds=i % 1800)) for i in range(n)]


async def publish(url: str, messages: list[bytes], rate: float | None) -> float:
    """Publish at `rate` per second (None: as fast as the server takes them); returns seconds taken."""
    nc = await nats.connect(url)
    js = nc.jetstream()
    await ensure_streams(js, NatsSettings(url=url))
    started = time.monotonic()
    pending = []
    for i, body in enumerate(messages):
        if rate:
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        pending.append(await js.publish_async("iso20022.camt.054", body))
        if len(pending) >= 500:
            await asyncio.gather(*pending)
            pending = []
    await asyncio.gather(*pending)
    took = time.monotonic() - started
    await nc.close()
    return took


def start_listener(db_url: str, nats_url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", LISTENER, db_url, nats_url, str(ROOT), ",".join(ACCOUNTS)])


def checked(wh: Warehouse, prefix: str) -> int:
    return int(wh.rows("SELECT count(*) n FROM recon.notification_checks WHERE message_id LIKE :p",
                       p=f"MSG-054-{prefix}%")[0]["n"])


def wait_for(wh: Warehouse, prefix: str, n: int, timeout: float) -> float:
    started = time.monotonic()
    while checked(wh, prefix) < n and time.monotonic() - started < timeout:
        time.sleep(0.1)
    return time.monotonic() - started


def latencies(wh: Warehouse, prefix: str) -> tuple[float, float, float]:
    row = wh.rows(
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) p50, percentile_cont(0.99) WITHIN GROUP "
        "(ORDER BY ms) p99, max(ms) mx FROM (SELECT extract(epoch FROM checked_at - published_at) * 1000 AS ms "
        "FROM recon.notification_checks WHERE message_id LIKE :p) x", p=f"MSG-054-{prefix}%")[0]
    return float(row["p50"]), float(row["p99"]), float(row["mx"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sustained", type=int, default=10_000, help="notifications drained for the sustained rate")
    ap.add_argument("--seconds", type=float, default=10.0, help="seconds of publishing at each rate")
    ap.add_argument("--json", action="store_true", help="after the table, print the cases as one JSON list")
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="recon-bench-tier1-"))
    srv = NatsServer(home / "nats").start()
    db_url = embedded_url(home / "pg").replace("postgresql+psycopg://", "postgresql://", 1)
    wh = Warehouse.connect(db_url)
    listener = None
    rows = []
    try:
        setup(wh, home / "drop")
        # 1. sustained: the backlog is there before the listener starts
        messages = bodies("S", args.sustained)
        asyncio.run(publish(srv.url, messages, None))
        listener = start_listener(db_url, srv.url)
        wait_for(wh, "S", len(messages), 600)
        done = checked(wh, "S")
        # From the first message received to the last verdict: the listener's start-up is not counted.
        span = float(wh.rows("SELECT extract(epoch FROM max(checked_at) - min(received_at)) s "
                             "FROM recon.notification_checks WHERE message_id LIKE 'MSG-054-S%'")[0]["s"])
        print(f"sustained: {done} of {len(messages)} checked in {span:.1f} s = {done / span:,.0f} notifications/s",
              flush=True)
        cases: list[dict[str, object]] = [{"case": "sustained", "notifications": done, "seconds": span,
                                           "per_second": done / span}]
        # 2. latency at fixed publish rates, the listener already running
        for rate in (10, 100, 1000):
            prefix = f"L{rate}-"
            messages = bodies(prefix, int(rate * args.seconds))
            sent = asyncio.run(publish(srv.url, messages, rate))
            drained = wait_for(wh, prefix, len(messages), 300)
            done = checked(wh, prefix)
            p50, p99, mx = latencies(wh, prefix)
            rows.append((rate, len(messages), len(messages) / sent, done, p50, p99, mx, drained))
        print("\n| rate/s | published | achieved/s | checked | lost | p50 ms | p99 ms | max ms | drained s |")
        print("|---|---|---|---|---|---|---|---|---|")
        for rate, n, achieved, done, p50, p99, mx, drained in rows:
            print(f"| {rate} | {n} | {achieved:,.0f} | {done} | {n - done} | {p50:,.0f} | {p99:,.0f} | {mx:,.0f} "
                  f"| {drained:.1f} |")
        target = next(r for r in rows if r[0] == 100)
        print(f"\ntarget p99 <= 500 ms at 100/s: {'met' if target[5] <= 500 else 'NOT met'} ({target[5]:.0f} ms); "
              f"loss at 1,000/s: {rows[-1][1] - rows[-1][3]}")
        if args.json:
            cases += [{"case": f"{rate}/s", "published": n, "achieved_per_second": achieved, "checked": done,
                       "lost": n - done, "p50_ms": p50, "p99_ms": p99, "max_ms": mx, "drained_s": drained}
                      for rate, n, achieved, done, p50, p99, mx, drained in rows]
            print(json.dumps(cases), flush=True)
        return 0 if all(r[1] == r[3] for r in rows) else 1
    finally:
        if listener is not None:
            listener.send_signal(signal.SIGTERM)
            listener.wait(30)
        srv.stop()
        wh.engine.dispose()
        stop_embedded(home / "pg")
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
