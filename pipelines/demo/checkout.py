"""The demo world's stand-in servers (devworld/) come with a checkout of the project, not with the wheel."""

from __future__ import annotations

import importlib.util

NEEDS_CHECKOUT = (
    "the demo world (its local EVM chains and Horizon fixture, package `devworld`) comes with a checkout "
    "of reserve-recon, not with the installed package: run `make demo` in a checkout of the project"
)


class DemoNeedsCheckout(RuntimeError):
    """The installed package has no demo world."""


def require_devworld() -> None:
    if importlib.util.find_spec("devworld") is None:
        raise DemoNeedsCheckout(NEEDS_CHECKOUT)
