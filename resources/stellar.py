"""Stellar (Horizon) as a Dagster resource; the stellar-sdk client is built at run time."""

from __future__ import annotations

import dagster as dg
from pydantic import Field, PrivateAttr

from clients.chain_retry import ChainReadError, RetryPolicy
from clients.stellar_client import StellarClient, StellarSettings
from recon.sources import load_json


class StellarAssetConfig(dg.Config):
    code: str
    issuer: str


class StellarResource(dg.ConfigurableResource):
    horizon_url: str | None = None
    network_passphrase: str = "Public Global Stellar Network ; September 2015"  # noqa: S105
    assets: list[StellarAssetConfig] = Field(default_factory=list)
    treasury: list[str] = Field(default_factory=list)  # issued but not in circulation (distribution accounts)
    accounts: list[str] = Field(default_factory=list)  # collateral and custodial accounts whose balances are read
    config_file: str | None = None  # JSON with a "stellar" object, read at run time
    max_head_lag_seconds: int = 300  # Horizon's newest ledger may trail a cut-off by this much
    timeout_seconds: int = 10
    retry_attempts: int = 5
    retry_base_delay: float = 0.25

    _client: StellarClient | None = PrivateAttr(default=None)

    def settings(self) -> StellarSettings:
        data = {}
        if self.config_file:
            data = load_json(self.config_file, "RECON_CHAIN_CONFIG").get("stellar", {})
        url = self.horizon_url or data.get("horizon_url")
        if not url:
            raise ChainReadError("stellar: no Horizon URL configured")
        assets = [(a.code, a.issuer) for a in self.assets]
        assets += [(a["code"], a["issuer"]) for a in data.get("assets", [])]
        return StellarSettings(
            horizon_url=url,
            passphrase=data.get("network_passphrase", self.network_passphrase),
            assets=tuple(assets),
            treasury=tuple([*self.treasury, *data.get("treasury", [])]),
            accounts=tuple([*self.accounts, *data.get("accounts", [])]),
            max_head_lag=int(data.get("max_head_lag_seconds", self.max_head_lag_seconds)),
            timeout=self.timeout_seconds,
            policy=RetryPolicy(attempts=self.retry_attempts, base_delay=self.retry_base_delay),
        )

    def enabled(self) -> bool:
        """Configured at all: a Horizon URL, or a config file with a "stellar" object (an EVM-only
        file leaves Stellar out rather than failing its reads)."""
        if self.horizon_url:
            return True
        return bool(self.config_file) and "stellar" in load_json(self.config_file, "RECON_CHAIN_CONFIG")

    def client(self) -> StellarClient:
        if self._client is None:
            self._client = StellarClient(self.settings())
        return self._client
