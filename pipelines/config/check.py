"""Reach every configured source once: reachable, unreachable (with why) or not configured.

Nothing is written anywhere and no alert is sent: the webhook is only connected to, never posted to."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa

from pipelines.config.load import ProjectConfig
from recon.sql import postgres_sql

REACHABLE, UNREACHABLE, NOT_CONFIGURED = "reachable", "unreachable", "not configured"


@dataclass(frozen=True)
class Reach:
    source: str
    state: str
    detail: str = ""


def _try(source: str, probe: Callable[[], str]) -> Reach:
    try:
        return Reach(source, REACHABLE, probe())
    except Exception as exc:  # any failure to reach is the answer, with its reason
        return Reach(source, UNREACHABLE, f"{type(exc).__name__}: {exc}".splitlines()[0][:200])


def _store(config: ProjectConfig) -> str:
    from stores.warehouse import Warehouse

    wh = Warehouse.connect(config.value("store.database_url"), upgrade=False)
    with wh.engine.connect() as conn:
        version = conn.execute(sa.text(postgres_sql("show_server_version"))).scalar()
    wh.engine.dispose()
    return f"PostgreSQL {version}" + (" (embedded)" if wh.embedded else "")


def _webhook(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    with socket.create_connection((parts.hostname or "", port), timeout=5):
        return f"{parts.hostname}:{port} accepts connections (nothing posted)"


def _folder(path: str) -> str:
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        raise PermissionError(f"{folder} is not readable and writable")
    return f"{sum(1 for p in folder.iterdir() if p.is_file())} file(s) in it"


def _ledger(config: ProjectConfig) -> str:
    from resources.ledger import LedgerResource

    kind = config.value("ledger.kind") or "files"
    if kind == "files":
        return _folder(config.value("ledger.dir") or "")
    schema = config.value("ledger.db_schema") or "ledger"
    source = LedgerResource(kind="sql", url=config.value("ledger.url"), db_schema=schema)
    engine = source.source().engine  # type: ignore[attr-defined]
    try:
        tables = sa.inspect(engine).get_table_names(schema=schema)
    finally:
        engine.dispose()
    if not tables:
        raise LookupError(f"schema {schema!r} has no tables")
    return f"schema {schema}: {len(tables)} tables"


def _chains(path: str) -> Iterator[Reach]:
    from clients.stellar_client import StellarClient
    from resources.evm import EvmClient, load_evm_chains
    from resources.stellar import StellarResource

    try:
        chains = load_evm_chains(path)
    except Exception as exc:
        yield Reach("chains", UNREACHABLE, f"{path}: {exc}")
        return
    for chain in chains:
        def evm(chain=chain) -> str:  # type: ignore[no-untyped-def]
            client = EvmClient(chain.settings())
            client.check_chain_id()
            return f"chain id {chain.chain_id}, block {client.head()}"
        yield _try(f"chain {chain.name}", evm)
    stellar = StellarResource(config_file=path)
    if stellar.enabled():
        def horizon() -> str:
            seq, _ = StellarClient(stellar.settings()).head()
            return f"ledger {seq}"
        yield _try("chain stellar", horizon)
        if stellar.soroban_configured():
            yield _try("chain stellar soroban", lambda: f"ledger {stellar.soroban().latest_ledger()}")


def _file(path: str, section: str, parse: Callable[[], object]) -> str:
    if section not in json.loads(Path(path).read_text()):
        raise KeyError(f"{path} has no {section!r} object")
    parse()
    return f"{path} parsed"


def check_sources(config: ProjectConfig) -> list[Reach]:
    from resources.credit import CreditResource
    from resources.prices import PriceResource
    from resources.reserves import ReservesResource

    out = [_try("output store", lambda: _store(config))]
    hook = config.value("alerts.webhook_url")
    out.append(_try("alerts webhook", lambda: _webhook(hook)) if hook else Reach("alerts webhook", NOT_CONFIGURED))
    drop = config.value("statements.drop_folder")
    out.append(_try("bank statements", lambda: _folder(drop)) if drop else Reach("bank statements", NOT_CONFIGURED))
    ledger = config.value("ledger.url") or config.value("ledger.dir")
    out.append(_try("ledger", lambda: _ledger(config)) if ledger else Reach("ledger", NOT_CONFIGURED))
    chains = config.value("chains.file")
    out += list(_chains(chains)) if chains else [Reach("chains", NOT_CONFIGURED)]
    reserves = config.value("reserves.file")
    out.append(_try("reserve books", lambda: _file(reserves, "reserves",
                                                   ReservesResource(config_file=reserves).config))
               if reserves else Reach("reserve books", NOT_CONFIGURED))
    credit = config.value("credit.file")
    if credit:
        out.append(_try("credit rules", lambda: _file(credit, "credit",
                                                      CreditResource(config_file=credit).credit_rules)))
        now = datetime.now(UTC)
        out.append(_try("prices", lambda: _prices(PriceResource(config_file=credit), now)))
    else:
        out += [Reach("credit rules", NOT_CONFIGURED), Reach("prices", NOT_CONFIGURED)]
    return out


def _prices(resource: object, now: datetime) -> str:
    read = resource.source().read(now - timedelta(days=30), now)  # type: ignore[attr-defined]
    return f"{read.prices.height} price rows in the last 30 days"
