"""Retries for transient faults only.

Dagster's RetryPolicy retries whatever a step raises; a configuration error or a bug would then run
three times and fail three times, minutes later. Each step's function is wrapped so that an exception
`recon.sources.is_transient` does not recognise (timeouts, refused connections, 429, 5xx, lock
timeouts) leaves as `Failure(allow_retries=False)`, which the policy lets through at once."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import dagster as dg

from recon.sources import describe, is_transient

D = TypeVar("D", dg.AssetsDefinition, dg.AssetChecksDefinition)

# Transient failures (a node timing out, a lock) get two more tries; verdicts never depend on them.
RETRY = dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL)


def _final(exc: Exception) -> Exception:
    if isinstance(exc, dg.Failure) or is_transient(exc):
        return exc
    return dg.Failure(description=f"not retried (not a transient fault): {describe(exc)}", allow_retries=False)


def transient_only(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` with its non-transient exceptions turned into failures no retry policy retries."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from fn(*args, **kwargs)
            except Exception as exc:
                final = _final(exc)
                if final is exc:
                    raise
                raise final from exc
        return gen

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            final = _final(exc)
            if final is exc:
                raise
            raise final from exc
    return call


def retry_transient_only(definitions: list[D]) -> list[D]:
    """Wrap each definition's step function in place (once); returns the same definitions."""
    for d in definitions:
        op = d.node_def
        compute = getattr(op, "compute_fn", None)
        fn = getattr(compute, "decorated_fn", None)
        if fn is None or getattr(fn, "_transient_only", False):
            continue
        wrapped = transient_only(fn)
        wrapped._transient_only = True  # type: ignore[attr-defined]
        # Dagster has no public hook between a step's exception and its retry policy.
        op._compute_fn = compute._replace(decorated_fn=wrapped)  # type: ignore[union-attr,attr-defined]
    return definitions
