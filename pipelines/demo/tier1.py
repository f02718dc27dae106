"""Tier 1 in the demo: the Monday's CAMT.054 notifications published to a JetStream server of the demo's
own (under its home, fresh each time) and checked by the listener before the intraday window runs, so
the window uses what tier 1 stored. Its findings share keys with the intraday and daily ones."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.demo.scenario import INTRADAY_DAY

# The window the Monday's notifications (09:00-09:29) fall in: tier 1 records its findings there.
TIER1_WINDOWS = [f"{INTRADAY_DAY:%Y-%m-%d}-09:00"]


@dataclass
class Tier1Summary:
    published: int = 0
    checked: int = 0
    duplicates: int = 0
    quarantined: int = 0
    tiers: Counter = field(default_factory=Counter)
    p50_ms: float | None = None
    max_ms: float | None = None
    lines: list[str] = field(default_factory=list)


def notification_files(drop: Path) -> list[Path]:
    return sorted(drop.glob(f"054_{INTRADAY_DAY:%Y%m%d}_*.xml"), key=lambda p: (p.stat().st_mtime_ns, p.name))


def run_tier1(drop: Path, home: Path) -> Tier1Summary:
    from clients.nats_bus import NatsSettings
    from embedded.nats_server import NatsServer
    from services.tier1_ledger import ledger_reader_from_env
    from services.tier1_listener import Listener
    from stores.warehouse import Warehouse

    files = notification_files(drop)
    srv = NatsServer(home / "nats").start()
    out = Tier1Summary(published=len(files))
    try:
        settings = NatsSettings(url=srv.url)
        wh = Warehouse.connect()
        listener = Listener(wh, settings, ledger_reader_from_env(), log=out.lines.append, batch=500,
                            keep_outcomes=True)

        async def go() -> None:
            await _publish(settings, files)
            await asyncio.wait_for(listener.run(asyncio.Event(), max_messages=len(files)), 120)

        asyncio.run(go())
        c = listener.counters
        out.checked, out.duplicates, out.quarantined = c.processed, c.duplicates, c.quarantined
        checks = [ch for o in c.outcomes for ch in o.checks]
        out.tiers = Counter(ch["tier"] for ch in checks)
        ms = sorted((ch["checked_at"] - ch["published_at"]).total_seconds() * 1000 for ch in checks
                    if ch["published_at"] is not None)
        if ms:
            out.p50_ms, out.max_ms = ms[len(ms) // 2], ms[-1]
    finally:
        srv.stop()
    return out


async def _publish(settings, files: list[Path]) -> None:  # type: ignore[no-untyped-def]
    from clients.nats_bus import connect, ensure_streams

    nc = await connect(settings, name="recon-demo")
    js = nc.jetstream()
    await ensure_streams(js, settings)
    for path in files:
        await js.publish("bank.notifications.credit", path.read_bytes())
    await nc.close()
