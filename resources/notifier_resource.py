"""Dagster's handle on where alerts go (apart from clients/notifier.py, which needs no Dagster)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dagster as dg

from clients.notifier import Notifier


class NotifierResource(dg.ConfigurableResource):
    """Where alerts go: a Slack-compatible incoming-webhook URL (empty: audit log only)."""

    webhook_url: str = ""

    def get(self, audit: Callable[[str, str, str, dict[str, Any]], None] | None = None) -> Notifier:
        return Notifier(self.webhook_url, audit)
