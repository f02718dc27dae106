"""Alerts reach a real local webhook; a failing webhook never stops the flags and is recorded."""

from __future__ import annotations

from recon.discrepancies import Discrepancy, discrepancy_frame
from stores.warehouse import Warehouse
from tests.support.webhook import webhook_receiver


def critical(scope: str) -> Discrepancy:
    return Discrepancy(type="balance_mismatch", scope_type="account", scope_id=scope, natural_key="2026-03-02",
                       severity="critical", action="circuit_breaker", summary=f"{scope}: ledger above bank by 2 %")


def audit_rows(wh: Warehouse, scope: str) -> list[dict]:
    return wh.rows("SELECT action, details FROM recon.audit_log WHERE subject = :s AND actor = 'notifier' "
                   "ORDER BY audit_id", s=f"account:{scope}")


def test_breaker_opening_reaches_the_webhook(warehouse: Warehouse) -> None:
    with webhook_receiver() as hook:
        wh = Warehouse(warehouse.engine, warehouse.embedded, hook.url)
        wh.record_discrepancies("notify-test", "2026-03-02", discrepancy_frame([critical("NT-1")]), "run-n1")
    assert len(hook.received) == 1
    message = hook.received[0]
    assert message["text"].endswith("2 alert(s)")
    body = message["blocks"][1]["text"]["text"]
    assert "breaker_opened" in body and "account:NT-1" in body and "ledger above bank" in body
    rows = audit_rows(warehouse, "NT-1")
    assert [r["action"] for r in rows] == ["alert:breaker_opened", "alert:critical_discrepancy"]
    assert all(r["details"]["webhook_delivered"] is True for r in rows)


def test_a_rerun_does_not_alert_again(warehouse: Warehouse) -> None:
    with webhook_receiver() as hook:
        wh = Warehouse(warehouse.engine, warehouse.embedded, hook.url)
        frame = discrepancy_frame([critical("NT-2")])
        wh.record_discrepancies("notify-rerun", "2026-03-02", frame, "run-a")
        wh.record_discrepancies("notify-rerun", "2026-03-02", frame, "run-b")
    assert len(hook.received) == 1


def test_webhook_errors_are_retried_then_recorded_and_flags_still_written(warehouse: Warehouse) -> None:
    with webhook_receiver(fail_first=99) as hook:
        wh = Warehouse(warehouse.engine, warehouse.embedded, hook.url)
        wh.notifier.attempts = 2
        result = wh.record_discrepancies("notify-down", "2026-03-02", discrepancy_frame([critical("NT-3")]), "r")
    assert hook.attempts == 2
    assert [f["kind"] for f in result.flags_opened] == ["circuit_breaker"]
    assert warehouse.rows("SELECT count(*) AS n FROM recon.circuit_breakers WHERE scope_id = 'NT-3' "
                          "AND status = 'open'")[0]["n"] == 1
    assert all(r["details"]["webhook_delivered"] is False for r in audit_rows(warehouse, "NT-3"))


def test_a_transient_error_is_retried_until_delivered(warehouse: Warehouse) -> None:
    with webhook_receiver(fail_first=1, status=503) as hook:
        wh = Warehouse(warehouse.engine, warehouse.embedded, hook.url)
        wh.record_discrepancies("notify-retry", "2026-03-02", discrepancy_frame([critical("NT-4")]), "r")
    assert hook.attempts == 2 and len(hook.received) == 1
