"""Safe streaming parse: no DTD, no entity expansion, no network, bounded tree size.

A CAMT message never needs a DTD, so any DOCTYPE is refused before lxml sees the file: that
closes billion-laughs (entity expansion) and XXE (external entities) at the door, and the parser
is configured not to resolve entities or touch the network anyway.
"""

from __future__ import annotations

import codecs
import hashlib
from typing import IO, Any

from lxml import etree

from recon.camt.errors import CamtError

_PROLOG_LIMIT = 1 << 20
# Byte-order marks and the first bytes of '<?' without one (XML 1.0 appendix F).
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"),
         (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_UNMARKED = ((b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
             (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"))
_NEED_MORE = object()


class HashingReader:
    """File wrapper that feeds every byte lxml reads into a sha256, so one pass does both."""

    def __init__(self, raw: IO[bytes], already: bytes = b"") -> None:
        self._raw = raw
        self._pending = already
        self.sha256 = hashlib.sha256(already)
        self.size = len(already)
        self.newlines = already.count(b"\n")
        self.eof = False

    def read(self, n: int = -1) -> bytes:
        if self._pending:
            out, self._pending = self._pending, b""
            return out
        chunk = self._raw.read(n)
        self.sha256.update(chunk)
        self.size += len(chunk)
        self.newlines += chunk.count(b"\n")
        self.eof = self.eof or not chunk
        return chunk


def check_prolog(fh: IO[bytes]) -> bytes:
    """Read the prolog; refuse a DTD. Returns the bytes consumed, to be replayed to the parser.

    The prolog is decoded as the file is encoded (BOM or the first bytes: UTF-8, UTF-16/32 LE/BE)
    and walked item by item: XML declaration and processing instructions end at the first '?>',
    comments at the first '-->', whatever they contain; the first other markup must be the root
    element. A DOCTYPE anywhere before it is refused.
    """
    head = b""
    while True:
        chunk = fh.read(65536)
        head += chunk
        verdict = _scan(_decode(head, final=not chunk), final=not chunk)
        if verdict is not _NEED_MORE:
            return head
        if not chunk:
            break
        if len(head) >= _PROLOG_LIMIT:
            raise CamtError("no root element within the first 1 MiB (prolog too long)", "/")
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise CamtError("empty file", "/")
    raise CamtError("not a CAMT message: the file ends before any root element (truncated?)", "/")


def _decode(head: bytes, final: bool) -> str:
    """The head as text; a character cut at the end of what was read so far is held back."""
    codec, skip = "latin-1", 0  # every ASCII-compatible encoding spells the markup alike
    for bom, name in _BOMS:
        if head.startswith(bom):
            codec, skip = name, len(bom)
            break
    else:
        for start, name in _UNMARKED:
            if head.startswith(start):
                codec = name
                break
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    return decoder.decode(head[skip:], final=final)


def _scan(text: str, final: bool) -> object:
    """None when the root element is reached; _NEED_MORE when the prolog goes on past `text`."""
    pos, n = 0, len(text)
    while True:
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        if pos >= n:
            return _NEED_MORE
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
        elif text.startswith("<!", pos):
            if len(text) - pos < 9 and not final:
                return _NEED_MORE
            if text[pos:pos + 9].upper() == "<!DOCTYPE":
                raise CamtError(
                    "DTD/DOCTYPE not allowed (entity expansion or external entity: "
                    "possible billion-laughs or XXE)", "/")
            raise CamtError(f"markup declaration {text[pos:pos + 12]!r} before the root element "
                            "(not allowed in a CAMT message)", "/")
        elif text[pos] == "<":
            return None
        else:
            raise CamtError(_not_xml(text[pos:pos + 16]), "/")
        if end < 0:
            return _NEED_MORE
        pos = end + 2 if text[end] == "?" else end + 3


def _not_xml(start: str) -> str:
    if any(ord(c) < 32 and c not in "\t\r\n" for c in start) or "\ufffd" in start:
        return "not an XML file: binary content where markup should begin"
    return f"not an XML file: it begins with {start!r} instead of markup"


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
