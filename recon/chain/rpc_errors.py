"""What a JSON-RPC error means for the reader: shrink the range, retry later, or give up."""

from __future__ import annotations

import re

RANGE_TOO_LARGE = "range_too_large"
TRANSIENT = "transient"
PERMANENT = "permanent"

# Phrases nodes use when an eth_getLogs range or result set is too big (geth, Infura, Alchemy,
# QuickNode, Erigon, Base's public nodes).
_RANGE = re.compile(
    r"block range|range (is )?too (large|wide)|more than \d+ results|query returned more than"
    r"|limited to a \d+|exceed(s|ed)? (max|maximum)? ?(block )?range|log response size exceeded"
    r"|too many (logs|results)",
    re.IGNORECASE,
)
_TRANSIENT = re.compile(
    r"rate limit|too many requests|timeout|timed out|temporarily|unavailable|busy|internal error"
    r"|header not found|try again",
    re.IGNORECASE,
)


def classify(code: int | None, message: str, method: str = "") -> str:
    if method == "eth_getLogs" and _RANGE.search(message or ""):
        return RANGE_TOO_LARGE
    if code in (-32603, 429) or _TRANSIENT.search(message or ""):
        return TRANSIENT
    return PERMANENT
