"""Safe streaming parse: no DTD, no entity expansion, no network, bounded tree size.

A CAMT message never needs a DTD, so any DOCTYPE is refused before lxml sees the file: that
closes billion-laughs (entity expansion) and XXE (external entities) at the door, and the parser
is configured not to resolve entities or touch the network anyway.
"""

from __future__ import annotations

import hashlib
import re
from typing import IO, Any

from lxml import etree

from recon.camt.errors import CamtError

_PROLOG_LIMIT = 1 << 20
# The first markup that is not an XML declaration, a PI or a comment is the root or a DOCTYPE.
_FIRST_MARKUP = re.compile(rb"<(?!\?|!--)")


class HashingReader:
    """File wrapper that feeds every byte lxml reads into a sha256, so one pass does both."""

    def __init__(self, raw: IO[bytes], already: bytes = b"") -> None:
        self._raw = raw
        self._pending = already
        self.sha256 = hashlib.sha256(already)
        self.size = len(already)

    def read(self, n: int = -1) -> bytes:
        if self._pending:
            out, self._pending = self._pending, b""
            return out
        chunk = self._raw.read(n)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


def check_prolog(fh: IO[bytes]) -> bytes:
    """Read the prolog; refuse a DTD. Returns the bytes consumed, to be replayed to the parser."""
    head = b""
    while len(head) < _PROLOG_LIMIT:
        chunk = fh.read(65536)
        if not chunk:
            break
        head += chunk
        text = _as_ascii(head)
        m = _FIRST_MARKUP.search(_strip_comments(text))
        if m:
            if _strip_comments(text)[m.start():m.start() + 9].upper() == b"<!DOCTYPE":
                raise CamtError(
                    "DTD/DOCTYPE not allowed (entity expansion or external entity: "
                    "possible billion-laughs or XXE)", "/"
                )
            return head
    if not head.strip():
        raise CamtError("empty file", "/")
    raise CamtError("no root element within the first 1 MiB", "/")


def _as_ascii(head: bytes) -> bytes:
    """UTF-16 files: drop the zero bytes so the markup scan still sees '<!DOCTYPE'."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00<" in head[:4] or b"<\x00" in head[:4]:
        return head.replace(b"\x00", b"")
    return head


def _strip_comments(text: bytes) -> bytes:
    return re.sub(rb"<!--.*?-->", b"", text, flags=re.DOTALL)


def iter_end(source: Any, tags: list[str]) -> Any:
    """iterparse on end events of `tags` with every unsafe feature off."""
    return etree.iterparse(
        source,
        events=("end",),
        tag=tags,
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=True,
    )
