"""How a run started from the command line reports: Dagster's full debug log to a file, and one line
per step on the terminal as it finishes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import dagster as dg

_META = "dagster_meta"  # where Dagster puts the event on each log record it emits


class _StepLines(logging.Handler):
    """One line per finished step: ok / FAILED / skipped, with its duration."""

    def __init__(self, show: Callable[[str], None]) -> None:
        super().__init__(logging.DEBUG)
        self.show = show

    def emit(self, record: logging.LogRecord) -> None:
        event = (getattr(record, _META, None) or {}).get("dagster_event")
        if event is None or not event.step_key:
            return
        kind = event.event_type_value
        if kind == "STEP_SUCCESS":
            ms = getattr(event.event_specific_data, "duration_ms", None)
            self.show(f"  ok      {event.step_key}" + (f" ({ms / 1000:.1f} s)" if ms is not None else ""))
        elif kind == "STEP_FAILURE":
            error = getattr(event.event_specific_data, "error", None)
            while error is not None and error.cause is not None:  # a retried step: the first error is the reason
                error = error.cause
            why = error.message.strip().splitlines()[-1] if error and error.message else "failed"
            self.show(f"  FAILED  {event.step_key}: {why[:200]}")
        elif kind == "STEP_SKIPPED":
            self.show(f"  skipped {event.step_key} (an upstream step failed)")


def cli_loggers(log_file: Path, show: Callable[[str], None] | None) -> dict[str, dg.LoggerDefinition]:
    """Loggers for a job run from the CLI: everything (DEBUG) to `log_file`, step lines to `show`."""
    log_file.parent.mkdir(parents=True, exist_ok=True)

    @dg.logger(config_schema=None, description="Dagster's debug log to a file; one line per step to the terminal.")
    def recon_cli(init_context: dg.InitLoggerContext) -> logging.Logger:
        log = logging.Logger("recon.run", logging.DEBUG)
        to_file = logging.FileHandler(log_file)
        to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(to_file)
        if show is not None:
            log.addHandler(_StepLines(show))
        return log

    return {"recon_cli": recon_cli}
