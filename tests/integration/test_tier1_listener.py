"""Tier 1 on the real servers: a nats-server with JetStream started per test, and real Postgres.

Each test puts a fault into the server or the stream and checks what a bank-integration engineer
counts on: every notification stored once, never counted twice, nothing lost, nothing blocking.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import nats
import pytest

from clients.nats_bus import DEAD_LETTER_STREAM, ensure_consumer, ensure_streams
from embedded.nats_server import NatsServer
from recon.tier1.notification import read_notification
from services.tier1_listener import Listener
from stores.tier1_store import Delivery, Tier1Store
from stores.warehouse import Warehouse
from tests.integration.tier1_world import (
    EUR,
    GBP,
    OPENING,
    LedgerBook,
    count,
    listen,
    load_statements,
    note,
    publish,
    settings,
)


@pytest.fixture
def world(fresh_warehouse: Warehouse, tmp_path: Path) -> Warehouse:
    load_statements(fresh_warehouse, tmp_path / "drop")
    return fresh_warehouse


def position(wh: Warehouse, iban: str) -> Decimal:
    return wh.rows("SELECT balance FROM recon.bank_positions WHERE account = :a", a=iban)[0]["balance"]


def test_redelivery_after_a_crash_between_check_and_ack_is_not_counted_again(world, nats_server):
    s = settings(nats_server.url, ack_wait_s=1.0)
    asyncio.run(publish(nats_server.url, [note("CRASH1", "250.00")]))

    async def check_then_crash() -> None:
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        await ensure_streams(js, s)
        await ensure_consumer(js, s)
        sub = await js.pull_subscribe_bind(durable=s.durable, stream=s.stream)
        msg = (await sub.fetch(1, timeout=5))[0]
        d = Delivery(s.stream, msg.metadata.sequence.stream, msg.subject, msg.metadata.timestamp,
                     msg.metadata.timestamp, msg.data)
        Tier1Store(world).handle(read_notification(msg.data, d.name), d, LedgerBook().read())
        await nc.close()  # committed, never acknowledged: the process died here

    asyncio.run(check_then_crash())
    listener = listen(world, s, LedgerBook(), 1)

    assert listener.counters.duplicates == 1 and listener.counters.processed == 0
    assert count(world, "SELECT count(*) n FROM recon.notification_checks") == 1
    assert position(world, EUR) == OPENING[EUR] + Decimal("250.00")

    # The bank republishes the same message: a duplicate on record, never a second movement.
    asyncio.run(publish(nats_server.url, [note("CRASH1", "250.00")], subject="bank.notifications.credit"))
    listen(world, s, LedgerBook(), 1)
    assert position(world, EUR) == OPENING[EUR] + Decimal("250.00")
    dup = world.rows("SELECT status, duplicate_of FROM recon.ingested_files WHERE file_name LIKE '%#2'")[0]
    assert dup == {"status": "duplicate", "duplicate_of": "BANK_NOTIFICATIONS/iso20022.camt.054#1"}


def test_a_poison_message_is_dead_lettered_and_quarantined_without_blocking_the_stream(world, nats_server):
    s = settings(nats_server.url)
    asyncio.run(publish(nats_server.url, [b"<Document><unclosed>", note("AFTER1", "10.00")]))
    listener = listen(world, s, LedgerBook(), 2)

    assert listener.counters.quarantined == 1 and listener.counters.processed == 1
    row = world.rows("SELECT status, reason, quarantine_path, source FROM recon.ingested_files "
                     "WHERE status = 'quarantined'")[0]
    assert "malformed XML" in row["reason"] and row["source"] == "jetstream:BANK_NOTIFICATIONS"
    assert row["quarantine_path"].startswith("nats:recon.deadletter.camt054#")

    async def dead_letters() -> list:
        nc = await nats.connect(nats_server.url)
        js = nc.jetstream()
        sub = await js.pull_subscribe("recon.deadletter.camt054", durable="inspect", stream=DEAD_LETTER_STREAM)
        msgs = await sub.fetch(10, timeout=2)
        await nc.close()
        return msgs

    parked = asyncio.run(dead_letters())
    assert [m.data for m in parked] == [b"<Document><unclosed>"]
    assert "malformed XML" in parked[0].headers["Recon-Reason"]
    assert position(world, EUR) == OPENING[EUR] + Decimal("10.00")


def test_a_burst_of_10000_is_checked_once_each(world, nats_server):
    n = 10_000
    bodies = [note(f"B{i}", "1.01" if i % 2 else "2.00", iban=EUR if i % 3 else GBP, minute=i % 600)
              for i in range(n)]
    asyncio.run(publish(nats_server.url, bodies))
    listener = listen(world, settings(nats_server.url), LedgerBook(), n, timeout=120)

    assert listener.counters.processed == n and listener.counters.duplicates == 0
    assert count(world, "SELECT count(DISTINCT stream_seq) n FROM recon.notification_checks") == n
    eur = sum(Decimal("1.01") if i % 2 else Decimal("2.00") for i in range(n) if i % 3)
    gbp = sum(Decimal("1.01") if i % 2 else Decimal("2.00") for i in range(n) if not i % 3)
    assert position(world, EUR) == OPENING[EUR] + eur
    assert position(world, GBP) == OPENING[GBP] + gbp


def test_the_server_restarting_mid_stream_loses_nothing(world, nats_server: NatsServer):
    s = settings(nats_server.url)
    asyncio.run(publish(nats_server.url, [note(f"R{i}", "1.00") for i in range(300)]))
    lines: list[str] = []
    listener = Listener(world, s, LedgerBook().read, log=lines.append, batch=20, status_every_s=0.5)

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(listener.run(stop))
        while listener.counters.processed < 50:
            await asyncio.sleep(0.01)
        await asyncio.to_thread(nats_server.kill)  # a hard stop, mid-batch
        await asyncio.to_thread(nats_server.start)  # same port, same JetStream store
        await publish(nats_server.url, [note(f"R{i}", "1.00") for i in range(300, 500)])
        for _ in range(900):
            if listener.counters.processed >= 500:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # anything delivered twice would show now
        stop.set()
        await asyncio.wait_for(task, 30)

    asyncio.run(scenario())
    assert count(world, "SELECT count(*) n FROM recon.notification_checks") == 500
    assert position(world, EUR) == OPENING[EUR] + Decimal(500)
    assert any("reconnected" in line or "fetch failed" in line for line in lines)


def test_two_listeners_on_one_durable_consumer_handle_each_message_once(world, nats_server):
    s = settings(nats_server.url)
    n = 1000
    asyncio.run(publish(nats_server.url, [note(f"T{i}", "3.00", iban=EUR if i % 2 else GBP) for i in range(n)]))
    a = Listener(world, s, LedgerBook().read, log=lambda _: None, batch=25)
    b = Listener(world, s, LedgerBook().read, log=lambda _: None, batch=25)

    async def both() -> None:
        stop = asyncio.Event()
        tasks = [asyncio.create_task(x.run(stop)) for x in (a, b)]
        while a.counters.processed + b.counters.processed + a.counters.duplicates + b.counters.duplicates < n:
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks), 30)

    asyncio.run(both())
    assert a.counters.processed > 0 and b.counters.processed > 0
    assert a.counters.processed + b.counters.processed == n
    assert count(world, "SELECT count(*) n FROM recon.notification_checks") == n
    assert position(world, EUR) == OPENING[EUR] + Decimal(3 * n // 2)
    assert position(world, GBP) == OPENING[GBP] + Decimal(3 * n // 2)
    assert count(world, "SELECT count(*) n FROM recon.listener_status WHERE state = 'stopped'") == 2


def test_a_notification_for_an_unknown_account_is_stored_and_unknown_never_ok(world, nats_server):
    stranger = "FR1420041010050500013M02606"
    body = note("U1", "75.00").replace(EUR.encode(), stranger.encode())
    asyncio.run(publish(nats_server.url, [body]))
    listen(world, settings(nats_server.url), LedgerBook(), 1)

    check = world.rows("SELECT account, tier, action, reason, amount FROM recon.notification_checks")[0]
    assert check["account"] == stranger and check["tier"] == "unknown" and check["action"] == "record"
    assert "not an account of the ledger" in check["reason"] and check["amount"] == Decimal("75.00")
    found = world.rows("SELECT type, severity, status FROM recon.discrepancies WHERE scope_id = :a", a=stranger)
    assert found == [{"type": "source_unavailable", "severity": "unknown", "status": "open"}]
    assert count(world, "SELECT count(*) n FROM recon.circuit_breakers") == 0


def test_an_account_with_an_open_breaker_is_still_checked_and_the_breaker_not_stacked(world, nats_server):
    book = LedgerBook()
    book.balances[(EUR, "EUR")] = OPENING[EUR] + Decimal("50000")  # the ledger already counts money the bank lacks
    asyncio.run(publish(nats_server.url, [note("K1", "100.00")]))
    listen(world, settings(nats_server.url), book, 1)
    first = world.rows("SELECT tier, action, flag_id, flag_state, discrepancy_key FROM recon.notification_checks")[0]
    assert (first["tier"], first["action"], first["flag_state"]) == ("critical", "circuit_breaker", "opened")
    # The same key as the intraday and daily balance checks: one lifecycle.
    assert first["discrepancy_key"] == f"balance_mismatch|account|{EUR}|balance:EUR"

    asyncio.run(publish(nats_server.url, [note("K2", "200.00")]))
    listen(world, settings(nats_server.url), book, 1)
    second = world.rows("SELECT tier, flag_id, flag_state, bank_balance FROM recon.notification_checks "
                        "WHERE stream_seq = 2")[0]
    assert second["flag_state"] == "already_open" and second["flag_id"] == first["flag_id"]
    assert second["bank_balance"] == OPENING[EUR] + Decimal("300.00")
    assert count(world, "SELECT count(*) n FROM recon.circuit_breakers WHERE status = 'open'") == 1
