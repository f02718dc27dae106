"""The camt_file fixture: write a document into a temp file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def camt_file(tmp_path: Path) -> Callable[[str | bytes], Path]:
    counter = iter(range(10_000))

    def write(text: str | bytes) -> Path:
        path = tmp_path / f"f{next(counter)}.xml"
        path.write_bytes(text.encode() if isinstance(text, str) else text)
        return path

    return write
