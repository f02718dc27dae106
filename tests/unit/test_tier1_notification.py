"""Tier 1's pure parts: reading a notification, its amounts at the bank's scale, its window, its settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from clients.nats_bus import NatsNotConfigured, NatsSettings, NatsUnavailable
from recon.tier1.messages import notification_bytes
from recon.tier1.notification import UnreadableNotification, at_bank_scale, read_notification, window_partition

AT = datetime(2026, 11, 16, 9, 47, tzinfo=UTC)


def test_a_notification_is_read_with_its_amount_as_sent() -> None:
    body = notification_bytes("DE89370400440532013000", "EUR", Decimal("1234.50"), "DBIT", date(2026, 11, 16),
                              "R1", AT)
    n = read_notification(body, "x")
    (e,) = n.entries
    assert (e.account, e.currency, e.direction, e.amount, e.status) == (
        "DE89370400440532013000", "EUR", "DBIT", Decimal("1234.50"), "BOOK")
    assert e.signed == Decimal("-1234.50") and e.notified_at == AT and n.message_id == "MSG-054-R1"


@pytest.mark.parametrize("body, reason", [
    (b"", "empty message"),
    (b"<Document><unclosed>", "malformed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DOCTYPE not allowed"),  # never expanded
])
def test_unreadable_messages_say_why(body: bytes, reason: str) -> None:
    with pytest.raises(UnreadableNotification, match=reason):
        read_notification(body, "x")


def test_a_statement_is_not_a_notification() -> None:
    from recon.camt.model import Statement
    from recon.camt.writer import camt_bytes

    body = camt_bytes([Statement(account_iban="DE89370400440532013000", currency="EUR", entries=[],
                                 opening_balance=Decimal(1), closing_balance=Decimal(1))], kind="053")
    with pytest.raises(UnreadableNotification, match=r"not a camt\.054"):
        read_notification(body, "x")


@pytest.mark.parametrize("amount, ccy, expected", [
    ("100.00000", "EUR", "100.00"),   # the currency's scale when it loses nothing
    ("100.12345", "EUR", "100.12345"),  # never rounded: a bank may send 5 decimals
    ("1500.000", "JPY", "1500"),
    ("1.234", "KWD", "1.234"),
])
def test_amounts_keep_the_bank_scale(amount: str, ccy: str, expected: str) -> None:
    assert str(at_bank_scale(Decimal(amount), ccy)) == expected


def test_findings_belong_to_the_intraday_window_of_the_notification() -> None:
    assert window_partition(AT) == "2026-11-16-09:30"
    assert window_partition(AT, "Asia/Kolkata") == "2026-11-16-15:00"  # 09:47 UTC is 15:17 in Mumbai


def test_server_settings_never_default_to_an_address() -> None:
    with pytest.raises(NatsNotConfigured, match="not configured"):
        NatsSettings(url="").server_urls()
    with pytest.raises(NatsUnavailable, match="nats:// or tls://"):
        NatsSettings(url="http://host:4222").server_urls()
    assert NatsSettings(url="nats://a:4222, tls://b:4222").server_urls() == ["nats://a:4222", "tls://b:4222"]
    assert NatsSettings(url="nats://user:secret@a:4222").describe() == "a:4222"
