"""EVM chains as a Dagster resource: configuration per chain, live clients built at run time.

The RPC URL comes from `rpc_url` (pass `dg.EnvVar("ETHEREUM_RPC_URL")`) or from the environment
variable named by `rpc_url_env`; it is never logged or put in an error message."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from pydantic import Field, PrivateAttr

from clients.chain_retry import ChainReadError, RetryPolicy
from clients.evm_client import EvmClient, EvmSettings, Token
from recon.sources import load_json


class EvmTokenConfig(dg.Config):
    address: str
    symbol: str
    decimals: int


class EvmChainConfig(dg.Config):
    name: str
    chain_id: int
    rpc_url: str | None = None
    rpc_url_env: str | None = None
    confirmations: int = 0
    # A node whose newest block trails a cut-off it has not reached by more than this is behind the
    # chain: its reads fail (verdicts unknown) rather than pass old state off as the cut-off's.
    max_head_lag_seconds: int = 900
    tokens: list[EvmTokenConfig] = Field(default_factory=list)
    treasury: list[str] = Field(default_factory=list)  # issued but not in circulation
    holders: list[str] = Field(default_factory=list)  # custodial users and reserve wallets whose balances are read
    multicall3: str | None = None  # Multicall3 address where deployed (used only if code is there)
    batch_size: int = 500
    log_chunk: int = 2000
    timeout_seconds: float = 10.0
    retry_attempts: int = 5
    retry_base_delay: float = 0.25

    def settings(self) -> EvmSettings:
        url = self.rpc_url or (os.environ.get(self.rpc_url_env) if self.rpc_url_env else None)
        if not url:
            raise ChainReadError(f"{self.name}: no RPC URL (set rpc_url or {self.rpc_url_env})")
        return EvmSettings(
            name=self.name, chain_id=self.chain_id, url=url, confirmations=self.confirmations,
            max_head_lag=self.max_head_lag_seconds,
            tokens=tuple(Token(t.address, t.symbol, t.decimals) for t in self.tokens),
            treasury=tuple(self.treasury), holders=tuple(self.holders), multicall3=self.multicall3,
            batch_size=self.batch_size, log_chunk=self.log_chunk, timeout=self.timeout_seconds,
            policy=RetryPolicy(attempts=self.retry_attempts, base_delay=self.retry_base_delay),
        )


def load_evm_chains(path: str | Path) -> list[EvmChainConfig]:
    """Chains from a JSON file: {"evm": [{"name": ..., "rpc_url_env": ..., ...}], ...}."""
    data = load_json(str(path), "RECON_CHAIN_CONFIG")
    return [EvmChainConfig(**c) for c in data.get("evm", [])]


class EvmResource(dg.ConfigurableResource):
    chains: list[EvmChainConfig] = Field(default_factory=list)
    config_file: str | None = None  # JSON with an "evm" list, read at run time

    _clients: dict[str, EvmClient] = PrivateAttr(default_factory=dict)

    def configured(self) -> list[EvmChainConfig]:
        extra = load_evm_chains(self.config_file) if self.config_file else []
        return [*self.chains, *extra]

    def chain_names(self) -> list[str]:
        return [c.name for c in self.configured()]

    def client(self, name: str) -> EvmClient:
        if name not in self._clients:
            config = next((c for c in self.configured() if c.name == name), None)
            if config is None:
                raise ChainReadError(f"chain {name!r} is not configured")
            self._clients[name] = EvmClient(config.settings())
        return self._clients[name]
