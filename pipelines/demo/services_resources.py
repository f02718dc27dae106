"""The chain resources, for a configuration with a demo world: before a step reads a chain, the world's
local chains and Horizon are started when they are down (the same history every time). Loading the
definitions starts nothing; only a run that reads a chain does."""

from __future__ import annotations

import dagster as dg

from pipelines.config.load import load_config
from pipelines.demo.servers import ensure_for
from resources.evm import EvmResource
from resources.stellar import StellarResource


class DemoEvmResource(EvmResource):
    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        ensure_for(load_config())
        super().setup_for_execution(context)


class DemoStellarResource(StellarResource):
    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        ensure_for(load_config())
        super().setup_for_execution(context)
