"""Where bank notifications arrive: a NATS JetStream stream, its durable consumer and its dead-letter stream.

RECON_NATS_URL: "embedded" (the default: a server under $RECON_HOME/nats), one or more nats:// or
tls:// URLs (comma-separated), or empty: not configured (never a default address).
RECON_NATS_CREDS: a .creds file (JWT + NKey); RECON_NATS_TLS_CA / _CERT / _KEY: TLS files.
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field
from typing import Any

from embedded.nats_server import NatsUnavailable, embedded_nats_url

EMBEDDED = "embedded"
SUBJECTS = ("iso20022.camt.054", "bank.notifications.credit", "bank.notifications.debit")
STREAM = "BANK_NOTIFICATIONS"
DURABLE = "recon-tier1"
DEAD_LETTER_STREAM = "RECON_DEAD_LETTER"
DEAD_LETTER_SUBJECT = "recon.deadletter.camt054"

__all__ = ["DEAD_LETTER_SUBJECT", "DURABLE", "EMBEDDED", "STREAM", "SUBJECTS", "NatsSettings", "NatsUnavailable"]


class NatsNotConfigured(NatsUnavailable):
    """RECON_NATS_URL is set but empty: tier 1 has no server to read."""


@dataclass(frozen=True)
class NatsSettings:
    url: str = EMBEDDED
    creds: str | None = None
    tls_ca: str | None = None
    tls_cert: str | None = None
    tls_key: str | None = None
    stream: str = STREAM
    subjects: tuple[str, ...] = SUBJECTS
    durable: str = DURABLE
    dead_letter_subject: str = DEAD_LETTER_SUBJECT
    # A message not acknowledged within this time goes to another listener (or this one, again).
    ack_wait_s: float = 30.0
    max_ack_pending: int = 2000
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: Any) -> NatsSettings:
        env = os.environ
        values: dict[str, Any] = {
            "url": env.get("RECON_NATS_URL", EMBEDDED).strip(),
            "creds": env.get("RECON_NATS_CREDS") or None,
            "tls_ca": env.get("RECON_NATS_TLS_CA") or None,
            "tls_cert": env.get("RECON_NATS_TLS_CERT") or None,
            "tls_key": env.get("RECON_NATS_TLS_KEY") or None,
        }
        if env.get("RECON_NATS_STREAM"):
            values["stream"] = env["RECON_NATS_STREAM"]
        if env.get("RECON_NATS_DURABLE"):
            values["durable"] = env["RECON_NATS_DURABLE"]
        values.update(overrides)
        return cls(**values)

    def server_urls(self) -> list[str]:
        if not self.url:
            raise NatsNotConfigured(
                "RECON_NATS_URL is empty: tier 1 is not configured. Set it to nats://host:4222 (or tls://), "
                "or to 'embedded' for a local server under .recon/nats")
        if self.url == EMBEDDED:
            return [embedded_nats_url()]
        urls = [u.strip() for u in self.url.split(",") if u.strip()]
        for u in urls:
            if not u.startswith(("nats://", "tls://", "ws://", "wss://")):
                raise NatsUnavailable(f"RECON_NATS_URL must be nats:// or tls:// URLs or 'embedded'; got {u!r}")
        return urls

    def describe(self) -> str:
        """The server for logs and status, without credentials."""
        if self.url == EMBEDDED:
            return "embedded"
        return ",".join(u.split("@")[-1] for u in self.url.split(","))

    def tls_context(self) -> ssl.SSLContext | None:
        if not (self.tls_ca or self.tls_cert) and not self.url.startswith("tls://"):
            return None
        ctx = ssl.create_default_context(cafile=self.tls_ca)
        if self.tls_cert:
            ctx.load_cert_chain(self.tls_cert, self.tls_key)
        return ctx


async def connect(settings: NatsSettings, name: str = "recon", **callbacks: Any) -> Any:
    """A connection that reconnects forever: a restarting server pauses the listener, never ends it."""
    import nats

    opts: dict[str, Any] = {"servers": settings.server_urls(), "name": name, "max_reconnect_attempts": -1,
                            "reconnect_time_wait": 0.5, "connect_timeout": 5, "allow_reconnect": True}
    if settings.creds:
        opts["user_credentials"] = settings.creds
    tls = settings.tls_context()
    if tls is not None:
        opts["tls"] = tls
    opts.update(callbacks)
    try:
        return await nats.connect(**opts)
    except Exception as exc:
        raise NatsUnavailable(f"cannot connect to NATS at {settings.describe()}: {type(exc).__name__}: {exc}. "
                              "Check RECON_NATS_URL, RECON_NATS_CREDS and the TLS files.") from exc


async def ensure_streams(js: Any, settings: NatsSettings) -> None:
    """The notification stream and the dead-letter stream, created when missing (file storage: they
    survive a server restart); an existing stream is left as its owner configured it."""
    from nats.js.api import RetentionPolicy, StorageType, StreamConfig
    from nats.js.errors import NotFoundError

    for name, subjects in ((settings.stream, list(settings.subjects)),
                           (DEAD_LETTER_STREAM, [settings.dead_letter_subject])):
        try:
            await js.stream_info(name)
        except NotFoundError:
            await js.add_stream(StreamConfig(name=name, subjects=subjects, storage=StorageType.FILE,
                                             retention=RetentionPolicy.LIMITS, duplicate_window=120.0))


async def ensure_consumer(js: Any, settings: NatsSettings) -> None:
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
    from nats.js.errors import NotFoundError

    try:
        await js.consumer_info(settings.stream, settings.durable)
    except NotFoundError:
        # Never give up on a message: one that failed for want of Postgres is delivered again.
        await js.add_consumer(settings.stream, ConsumerConfig(
            durable_name=settings.durable, ack_policy=AckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.ALL,
            ack_wait=settings.ack_wait_s, max_deliver=-1, max_ack_pending=settings.max_ack_pending))
