"""Why a CAMT file cannot be read, with the path of the element at fault."""

from __future__ import annotations


class CamtError(Exception):
    """A file that cannot be read as CAMT: the reason becomes the quarantine reason."""

    def __init__(self, reason: str, path: str | None = None, line: int | None = None) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = f" at {self.path}" if self.path else ""
        line = f" (line {self.line})" if self.line else ""
        return f"{self.reason}{where}{line}"

    def under(self, prefix: str) -> CamtError:
        """The same error with its path made absolute below `prefix`."""
        path = f"{prefix}/{self.path}" if self.path else prefix
        return CamtError(self.reason, path, self.line)
