"""ReservesConfig from parsed JSON (the `reserves` object of a configuration file); amounts as strings."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from recon.reserves.config import (
    RedemptionChain,
    ReservesConfig,
    Tiers,
    TokenBacking,
    UtilizationLevels,
)
from recon.sources import ConfigurationError, NotConfigured, load_json


def _required(entry: dict[str, Any], key: str, where: str) -> Any:
    """A figure the books start from is never assumed: a listed chain without it is a configuration error."""
    if key not in entry:
        raise ValueError(f"{where}.{key} is required (the reserve at launch is never assumed)")
    return entry[key]


def decimal_setting(value: Any, where: str) -> Decimal:
    if isinstance(value, float):
        raise ValueError(f"{where}: write {value!r} as a string so no digit is lost")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ValueError(f"{where}: {value!r} is not a number") from exc


def config_from_dict(data: dict[str, Any]) -> ReservesConfig:
    """Keys as in README.md; anything absent keeps the specification's default."""
    kw: dict[str, Any] = {}
    if "tokens" in data:
        kw["tokens"] = tuple(
            TokenBacking(token=t["token"], currency=t["currency"], chain_assets=dict(t["chain_assets"]),
                         reserve_accounts=tuple(t.get("reserve_accounts", ())),
                         ledger_reserve_chains=tuple(t.get("ledger_reserve_chains", ())),
                         tolerance=decimal_setting(t.get("tolerance", "0.0001"), f"tokens.{t['token']}.tolerance"))
            for t in data["tokens"])
    if "redemption_chains" in data:
        kw["redemption_chains"] = tuple(
            RedemptionChain(chain=c["chain"], chain_id=int(c["chain_id"]), token_address=c.get("token_address"),
                            token_decimals=int(c.get("token_decimals", 6)),
                            initial_reserve=decimal_setting(
                                _required(c, "initial_reserve", f"redemption_chains.{c['chain']}"),
                                f"{c['chain']}.initial"))
            for c in data["redemption_chains"])
    if "redemption_asset" in data:
        kw["redemption_asset"] = data["redemption_asset"]
    if "tiers" in data:
        kw["tiers"] = Tiers(**{k: decimal_setting(v, f"tiers.{k}") for k, v in data["tiers"].items()})
    if "levels" in data:
        kw["levels"] = UtilizationLevels(**{k: decimal_setting(v, f"levels.{k}") for k, v in data["levels"].items()})
    for key in ("bank_balance_max_age_days", "default_lock_ttl_seconds", "receipt_batch_size"):
        if key in data:
            kw[key] = int(data[key])
    if "holder_tolerance" in data:
        kw["holder_tolerance"] = decimal_setting(data["holder_tolerance"], "holder_tolerance")
    if "holder_tolerance_by_asset" in data:
        kw["holder_tolerance_by_asset"] = {a: decimal_setting(v, f"holder_tolerance_by_asset.{a}")
                                           for a, v in data["holder_tolerance_by_asset"].items()}
    return ReservesConfig(**kw)


def reserves_object(config_file: str | None, inline_json: str | None = None) -> dict[str, Any]:
    """The "reserves" object of the file (RECON_RESERVES_CONFIG), then the inline JSON's keys over it."""
    data: dict[str, Any] = {}
    if config_file:
        data.update(load_json(config_file, "RECON_RESERVES_CONFIG").get("reserves", {}))
    if inline_json:
        data.update(json.loads(inline_json))
    return data


def load_reserves_config(config_file: str | None, inline_json: str | None = None) -> ReservesConfig:
    """NotConfigured when neither is set: reserve verdicts are then unknown, never checked against
    defaults (no made-up initial reserve, no accounts)."""
    data = reserves_object(config_file, inline_json)
    if not data:
        where = f"{config_file} has no \"reserves\" object" if config_file else "RECON_RESERVES_CONFIG is not set"
        raise NotConfigured(f"reserves not configured: {where}")
    try:
        return config_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigurationError(f"reserves configuration {config_file or 'inline'}: {exc}") from exc
