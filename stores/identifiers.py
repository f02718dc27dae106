"""The one way a schema, table or column name enters SQL text: checked, then put in its template.

Values are always bound parameters. Names cannot be bound, so a query file that needs one carries a
`{placeholder}` and goes through `render`, which takes only plain lower-case identifiers and only from
the schemas the suite owns or reads (SCHEMAS, plus the ledger's configured schema passed in).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence

_PLAIN = re.compile(r"^[a-z_][a-z0-9_]*$")
SCHEMAS = frozenset({"recon", "ledger"})  # the output store, and the ledger's default schema


def ident(name: str) -> str:
    """`name` when it is a plain lower-case SQL identifier, else ValueError."""
    if not isinstance(name, str) or not _PLAIN.match(name):
        raise ValueError(f"{name!r} is not a plain lower-case SQL identifier")
    return name


def schema(name: str, allowed: Iterable[str] = ()) -> str:
    """A schema name the suite may touch: recon, ledger, or one the configuration names (`allowed`)."""
    if ident(name) not in SCHEMAS | set(allowed):
        raise ValueError(f"schema {name!r} is not one the suite reads or writes")
    return name


def names(columns: Sequence[str], prefix: str = "") -> str:
    """`a, b, c` (or `t.a, t.b, t.c` with prefix "t"), each checked."""
    lead = f"{ident(prefix)}." if prefix else ""
    return ", ".join(lead + ident(c) for c in columns)


def render(template: str, **parts: str) -> str:
    """`template` with its {placeholders} filled by checked names: each part is one identifier, a
    schema-qualified one (`recon.t`), or a list made by `names`. Every placeholder must be given."""
    wanted = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    if wanted != set(parts):
        raise ValueError(f"template wants {sorted(wanted)}, got {sorted(parts)}")
    for value in parts.values():
        for item in value.split(", "):
            for piece in item.split("."):
                ident(piece[1:] if piece.startswith(":") else piece)  # a bind marker names a value
    return template.format(**parts)
