"""The ledger now, for tier 1: read once per batch of notifications through the configured ledger source."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime

from recon.balances import ledger_balances
from recon.ledger.tables import ACCOUNTS
from recon.tier1.notification import at_bank_scale
from stores.tier1_store import Ledger


def ledger_reader_from_env() -> Callable[[], Ledger]:
    """RECON_LEDGER_KIND / _URL / _DIR as the jobs read them; not configured: every read fails (unknown)."""
    from resources.ledger import LedgerResource

    resource = LedgerResource(kind=os.environ.get("RECON_LEDGER_KIND") or "files",
                              url=os.environ.get("RECON_LEDGER_URL") or None,
                              snapshot_dir=os.environ.get("RECON_LEDGER_DIR") or None)
    source = None

    def read() -> Ledger:
        nonlocal source
        source = source or resource.source()
        frame = ledger_balances(source.read(ACCOUNTS, datetime.now(UTC)))
        return Ledger({(r["account"], r["currency"]): at_bank_scale(r["balance"], r["currency"])
                       for r in frame.iter_rows(named=True)})

    return read
