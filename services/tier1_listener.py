"""The tier 1 listener: a durable JetStream pull consumer. Each message is stored and checked in one
Postgres transaction and acknowledged only after it commits; an unreadable one goes to the dead-letter
subject and is recorded as quarantined. A crash leaves unacknowledged messages on the server, which
delivers them again; the content hash makes a second delivery a duplicate, never a second movement."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from clients.nats_bus import NatsSettings, connect, ensure_consumer, ensure_streams
from embedded.postgres import DatabaseUnavailable
from recon.tier1.notification import UnreadableNotification, content_hash, read_notification
from stores.tier1_store import Delivery, Ledger, Outcome, Tier1Store, quarantine, save_status
from stores.warehouse import Warehouse

# A message that fails this many times for a reason other than the database is dead-lettered.
MAX_FAILURES = 5


@dataclass
class Counters:
    processed: int = 0
    duplicates: int = 0
    quarantined: int = 0
    failures: int = 0
    last_seq: int | None = None
    last_at: datetime | None = None
    outcomes: list[Outcome] = field(default_factory=list)


class Listener:
    def __init__(self, wh: Warehouse, settings: NatsSettings, read_ledger: Callable[[], Ledger],
                 log: Callable[[str], None] = print, batch: int = 200, status_every_s: float = 5.0,
                 keep_outcomes: bool = False) -> None:
        self.wh = wh
        self.settings = settings
        self.read_ledger = read_ledger
        self.store = Tier1Store(wh)
        self.log = log
        self.batch = batch
        self.status_every_s = status_every_s
        self.keep_outcomes = keep_outcomes
        self.counters = Counters()
        self.instance = f"{socket.gethostname()}:{os.getpid()}:{id(self) % 10000}"
        self.started_at = datetime.now(UTC)
        self._js: Any = None
        self._closing = False

    async def run(self, stop: asyncio.Event, max_messages: int | None = None) -> Counters:
        """Consume until `stop` is set (SIGTERM) or `max_messages` were handled."""
        nc = await connect(self.settings, name=f"recon-listen {self.instance}",
                           disconnected_cb=self._say("disconnected from NATS; reconnecting"),
                           reconnected_cb=self._say("reconnected to NATS"))
        try:
            self._js = nc.jetstream()
            await ensure_streams(self._js, self.settings)
            await ensure_consumer(self._js, self.settings)
            sub = await self._js.pull_subscribe_bind(durable=self.settings.durable, stream=self.settings.stream)
            self.log(f"listening: stream {self.settings.stream} ({', '.join(self.settings.subjects)}), "
                     f"durable consumer {self.settings.durable} on {self.settings.describe()}")
            await self._loop(sub, stop, max_messages)
            await _quiet(nc.flush(timeout=2))  # acks out before the last lag figure
            await self._status(sub, "stopped")
            await sub.unsubscribe()
        except BaseException:
            await self._status(None, "stopped")
            raise
        finally:
            self._closing = True
            await nc.drain() if nc.is_connected else await nc.close()
        self.log(f"stopped: {self.counters.processed} checked, {self.counters.duplicates} duplicates, "
                 f"{self.counters.quarantined} quarantined")
        return self.counters

    def _say(self, text: str) -> Callable[[], Any]:
        async def cb() -> None:
            if not self._closing:
                self.log(text)
        return cb

    async def _loop(self, sub: Any, stop: asyncio.Event, max_messages: int | None) -> None:
        """Fetch and parse the next batch while the previous one commits (one transaction at a time)."""
        next_status, fetched = 0.0, 0
        inflight: asyncio.Task | None = None
        try:
            while not stop.is_set():
                if max_messages is not None and fetched >= max_messages:
                    break
                if time.monotonic() >= next_status:
                    await self._status(sub, "running")
                    next_status = time.monotonic() + self.status_every_s
                want = self.batch if max_messages is None else min(self.batch, max_messages - fetched)
                try:
                    msgs = await sub.fetch(want, timeout=1.0)
                except TimeoutError:
                    continue
                except Exception as exc:  # the server restarting, a lost connection: wait, never stop
                    self.log(f"fetch failed ({type(exc).__name__}: {exc}); retrying")
                    await asyncio.sleep(0.5)
                    continue
                if stop.is_set():  # hand them back at once rather than after the ack wait
                    for msg in msgs:
                        await _quiet(msg.nak())
                    break
                fetched += len(msgs)
                items, readable = await self._prepare(msgs)
                if inflight is not None:
                    await inflight
                    inflight = None
                if items:
                    inflight = asyncio.create_task(self._commit(items, readable, self._ledger()))
        finally:
            if inflight is not None:
                await inflight

    def _ledger(self) -> Ledger:
        try:
            return self.read_ledger()
        except Exception as exc:  # a ledger that cannot be read gives unknown verdicts, never OK
            self.log(f"ledger unreadable: {type(exc).__name__}: {exc}")
            return Ledger({}, readable=False, error=str(exc))

    async def _prepare(self, msgs: list[Any]) -> tuple[list[tuple[Any, Delivery]], list[Any]]:
        """Unreadable messages to the dead letter; the others read, ready to commit."""
        items, readable = [], []
        for msg in msgs:
            meta = msg.metadata
            d = Delivery(meta.stream, meta.sequence.stream, msg.subject, meta.timestamp, datetime.now(UTC), msg.data)
            try:
                items.append((read_notification(msg.data, d.name), d))
                readable.append(msg)
            except UnreadableNotification as exc:
                await self._dead_letter(msg, d, content_hash(msg.data), str(exc))
        return items, readable

    async def _commit(self, items: list[tuple[Any, Delivery]], readable: list[Any], ledger: Ledger) -> None:
        """The batch in one transaction, then each message acknowledged."""
        try:
            outcomes = await asyncio.to_thread(self.store.handle_batch, items, ledger)
        except (sa.exc.OperationalError, sa.exc.InterfaceError, DatabaseUnavailable) as exc:
            self.log(f"{len(items)} message(s) not stored, Postgres unavailable or busy "
                     f"({type(exc).__name__}); delivered again")
            for msg in readable:
                await _quiet(msg.nak(delay=1))
            await asyncio.sleep(0.5)
            return
        except Exception:
            if len(items) > 1:  # find the one that fails; the others go through on their own
                for msg, item in zip(readable, items, strict=True):
                    await self._single(msg, item, ledger)
                return
            await self._single(readable[0], items[0], ledger)
            return
        for msg, outcome, (_, d) in zip(readable, outcomes, items, strict=True):
            await msg.ack()
            self._count(outcome, d)

    async def _single(self, msg: Any, item: tuple[Any, Delivery], ledger: Ledger) -> None:
        note, d = item
        try:
            outcome = await asyncio.to_thread(self.store.handle, note, d, ledger)
        except (sa.exc.OperationalError, sa.exc.InterfaceError, DatabaseUnavailable) as exc:
            self.log(f"seq={d.stream_seq} not stored, Postgres unavailable ({type(exc).__name__}); delivered again")
            await _quiet(msg.nak(delay=1))
            return
        except Exception as exc:
            self.counters.failures += 1
            if msg.metadata.num_delivered >= MAX_FAILURES:
                await self._dead_letter(msg, d, note.sha256,
                                        f"failed {msg.metadata.num_delivered} times: {type(exc).__name__}: {exc}")
            else:
                self.log(f"seq={d.stream_seq} failed ({type(exc).__name__}: {exc}); delivered again")
                await _quiet(msg.nak(delay=1))
            return
        await msg.ack()
        self._count(outcome, d)

    def _count(self, outcome: Outcome, d: Delivery) -> None:
        c = self.counters
        c.last_seq, c.last_at = d.stream_seq, d.received_at
        if self.keep_outcomes:
            c.outcomes.append(outcome)
        if outcome.status == "duplicate":
            c.duplicates += 1
            self.log(f"seq={d.stream_seq} {d.subject} duplicate of {outcome.duplicate_of}: not counted again")
            return
        c.processed += 1
        for ch in outcome.checks:
            ms = (ch["checked_at"] - d.published_at).total_seconds() * 1000 if d.published_at else float("nan")
            flag = f" flag={ch['flag_state']}#{ch['flag_id']}" if ch["flag_state"] else ""
            self.log(f"seq={d.stream_seq} {d.subject} {ch['account']} {ch['direction']} {ch['amount']} "
                     f"{ch['currency']} bank={ch['bank_balance']} ledger={ch['ledger_balance']} tier={ch['tier']} "
                     f"action={ch['action']}{flag} in {ms:.0f} ms")

    async def _dead_letter(self, msg: Any, d: Delivery, sha: str, reason: str) -> None:
        headers = {"Nats-Msg-Id": f"dlq:{d.stream}:{d.stream_seq}", "Recon-Reason": reason[:1000].replace("\n", " "),
                   "Recon-Subject": d.subject, "Recon-Stream-Seq": str(d.stream_seq)}
        try:
            ack = await self._js.publish(self.settings.dead_letter_subject, d.body, headers=headers)
            await asyncio.to_thread(quarantine, self.wh, sha, d, reason,
                                    f"nats:{self.settings.dead_letter_subject}#{ack.seq}")
        except Exception as exc:  # not yet parked anywhere: keep it on the stream
            self.log(f"seq={d.stream_seq} unreadable but not dead-lettered ({type(exc).__name__}: {exc}); retrying")
            await _quiet(msg.nak(delay=2))
            return
        await msg.ack()
        self.counters.quarantined += 1
        self.counters.last_seq = d.stream_seq
        self.log(f"seq={d.stream_seq} {d.subject} quarantined to {self.settings.dead_letter_subject}: {reason}")

    async def _status(self, sub: Any, state: str) -> None:
        c = self.counters
        row: dict[str, Any] = {"consumer": self.settings.durable, "instance": self.instance,
                               "stream": self.settings.stream, "server": self.settings.describe(), "state": state,
                               "processed": c.processed, "duplicates": c.duplicates, "quarantined": c.quarantined,
                               "last_stream_seq": c.last_seq, "last_message_at": c.last_at,
                               "started_at": self.started_at}
        if sub is not None:
            try:
                info = await sub.consumer_info()
                row.update(num_pending=info.num_pending, num_ack_pending=info.num_ack_pending)
                self.log(f"lag: {info.num_pending} waiting, {info.num_ack_pending} in flight, "
                         f"{c.processed} checked, {c.duplicates} duplicates, {c.quarantined} quarantined")
            except Exception:
                row["state"] = "server_unavailable"
        try:
            await asyncio.to_thread(save_status, self.wh, row)
        except Exception as exc:
            self.log(f"status not saved ({type(exc).__name__})")


async def _quiet(coro: Any) -> None:
    try:
        await coro
    except Exception:
        return
