"""Alerts: always a row in recon.audit_log, and a Slack-compatible webhook when one is configured."""

from __future__ import annotations

import json
import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)
_MAX_LINES = 20


@dataclass
class Alert:
    event: str          # breaker_opened | payout_suspended | critical_discrepancy | source_unavailable | run_failed
    subject: str        # scope, e.g. account:AE07..., token:USDX, run:<id>
    text: str
    details: dict[str, Any]


class Notifier:
    """Delivers alerts. A webhook that fails is retried, then recorded as undelivered: it never raises,
    because an alert must not stop flags from being written. A bad webhook setting is the same: a
    warning and an audit row, and alerts go to the audit log only."""

    def __init__(self, webhook_url: str | None, audit: Callable[[str, str, str, dict[str, Any]], None] | None,
                 timeout: float = 5.0, attempts: int = 3) -> None:
        self.setting_problem = _setting_problem(webhook_url)
        self.webhook_url = None if self.setting_problem else (webhook_url or "").strip() or None
        self.audit = audit
        self.timeout = timeout
        self.attempts = attempts
        self._reported = False
        if self.setting_problem:
            log.warning("%s", self.setting_problem)

    def report_setting_problem(self) -> None:
        """One audit row per notifier for a bad setting (the URL itself is not copied: it may hold a token)."""
        if not self.setting_problem or self._reported or self.audit is None:
            return
        try:
            self.audit("notifier", "alert_setting_invalid", "setting:RECON_WEBHOOK_URL",
                       {"problem": self.setting_problem})
            self._reported = True
        except Exception as exc:  # the audit row is best effort here; the run goes on
            log.warning("could not record the bad alert setting: %s", exc)

    def send(self, title: str, alerts: Sequence[Alert]) -> bool:
        self.report_setting_problem()
        if not alerts:
            return True
        delivered = self._post(title, alerts) if self.webhook_url else False
        if self.audit is not None:
            for a in alerts:
                self.audit("notifier", f"alert:{a.event}", a.subject,
                           {**a.details, "text": a.text, "webhook_delivered": delivered})
        return delivered

    def _post(self, title: str, alerts: Sequence[Alert]) -> bool:
        lines = [f"• *{a.event}* `{a.subject}`: {a.text}" for a in alerts[:_MAX_LINES]]
        if len(alerts) > _MAX_LINES:
            lines.append(f"… and {len(alerts) - _MAX_LINES} more (see recon.audit_log)")
        body = json.dumps({
            "text": f"{title}: {len(alerts)} alert(s)",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": title[:150]}},
                {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
            ],
        }).encode()
        for attempt in range(self.attempts):
            req = urllib.request.Request(self.webhook_url or "", data=body,  # noqa: S310 (scheme checked)
                                         headers={"Content-Type": "application/json"}, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310 (configured URL)
                    if 200 <= resp.status < 300:
                        return True
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and exc.code != 429:
                    log.warning("webhook refused the alert: HTTP %s", exc.code)
                    return False
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                log.warning("webhook unreachable (%s), attempt %d", exc.__class__.__name__, attempt + 1)
            time.sleep(min(2.0, 0.2 * 2**attempt) * (0.5 + random.random()))  # noqa: S311 (jitter)
        return False


def _setting_problem(webhook_url: str | None) -> str | None:
    url = (webhook_url or "").strip()
    if not url:
        return None
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in ("https", "http") or not url.split("://", 1)[1].split("/", 1)[0]:
        return (f"RECON_WEBHOOK_URL is not an http(s) URL (scheme {scheme or 'missing'!r}): alerts go "
                "to recon.audit_log only until it is fixed")
    return None

