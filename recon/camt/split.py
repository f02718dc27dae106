"""Where a large CAMT file can be cut in two at an entry boundary, and the byte streams of both parts.

The first part is the file up to the cut, then a marker element and the end tags of what is open
there; the second is the file's own beginning (prolog, root, GrpHdr), the head of the statement
being cut (its start tag up to its first Ntry) and the rest of the file from the cut. A plan is
only a proposal read from bytes: the reader accepts the parts only when the parsed first part ends
with the marker as a child of the statement that the second part reopens, under the same elements
and namespaces, with the same message and statement head (`parallel.py`).
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from lxml import etree

MARKER_NS = "urn:x-reserve-recon:camt-part-end"
MARKER_TAG = f"{{{MARKER_NS}}}end"
_MARKER = f'<end xmlns="{MARKER_NS}"/>'.encode()
_NAME = rb"(?:[A-Za-z_][\w.-]*:)?"
_NTRY = re.compile(rb"<(" + _NAME + rb")Ntry[\s>]")
_STATEMENT = re.compile(rb"<" + _NAME + rb"(?:Stmt|Rpt|Ntfctn)[\s>]")
_DECLARED = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
# Encodings in which every '<' byte is a '<' character, so markup can be found in bytes.
_BYTE_SAFE = (b"utf-8", b"utf8", b"us-ascii", b"ascii", b"iso-8859-", b"iso8859-", b"latin",
              b"windows-125", b"cp125")
_SCAN = 1 << 20  # a statement head and the file's beginning are far smaller than this
_CHUNK = 16 << 20  # backward search step
_HEAD_START = 10 << 20  # about what one part parses while the other's interpreter starts


@dataclass(frozen=True)
class Split:
    cut: int  # offset of the Ntry start tag where the second part begins
    preamble_end: int  # the file's beginning, up to its first statement
    head: tuple[int, int]  # the cut statement's start tag up to its first Ntry
    closers: bytes  # end tags of the elements open at the cut, innermost first
    size: int


def plan(path: Path, size: int) -> Split | None:
    """A cut near the middle of the file, or None when the bytes do not allow a sound one.

    Read in chunks with plain reads (a memory map would count the pages it touches as the
    process's own memory): the beginning, a chunk at the middle, then backwards to the start
    tag of the statement being cut.
    """
    with path.open("rb") as fh:
        start = fh.read(_SCAN)
        if not _byte_safe(start):
            return None
        first = _STATEMENT.search(start)
        if first is None:
            return None
        preamble_end = first.start()
        # Near the middle: this process also hashes the whole file (about a twentieth of a
        # read's work), the child first starts an interpreter (about a second).
        middle = size * 97 // 200 + min(size // 10, _HEAD_START)
        fh.seek(middle)
        m = _NTRY.search(fh.read(_SCAN))
        if m is None:
            return None
        cut, prefix = middle + m.start(), m.group(1)
        stmt = _last_statement_start(fh, cut, prefix)
        if stmt is None or stmt < preamble_end:
            return None
        fh.seek(stmt)
        head_end = _NTRY.search(fh.read(min(cut - stmt, _SCAN) + 16))
        if head_end is None or stmt + head_end.start() > cut:
            return None
        fh.seek(0)
        preamble = fh.read(preamble_end)
        fh.seek(stmt)
        head = fh.read(head_end.start())
    # No comment, CDATA, PI or declaration in the bytes given to the second part: every '<' in
    # them is a tag, so the second part's parser is in element content where the cut begins.
    body = preamble.removeprefix(b"\xef\xbb\xbf")
    if body.startswith(b"<?xml"):
        body = body[body.find(b"?>") + 2:]
    if b"<!" in body or b"<?" in body or b"<!" in head or b"<?" in head:
        return None
    closers = _closers(preamble + head)
    if closers is None:
        return None
    return Split(cut, preamble_end, (stmt, stmt + head_end.start()), closers, size)


def _byte_safe(start: bytes) -> bool:
    if start.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00", b"<\x00")):
        return False  # UTF-16/32
    declared = _DECLARED.match(start.removeprefix(b"\xef\xbb\xbf"))
    return declared is None or declared.group(1).lower().startswith(_BYTE_SAFE)


def _last_statement_start(fh: IO[bytes], cut: int, prefix: bytes) -> int | None:
    """Offset of the last statement start tag (`<Stmt`, `<Rpt`, `<Ntfctn` with the cut Ntry's
    prefix, then whitespace or '>') before the cut, searched backwards chunk by chunk in a map
    whose pages are given back after each chunk (so they never count as the process's memory)."""
    names = [b"<" + prefix + name for name in (b"Stmt", b"Rpt", b"Ntfctn")]
    with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        end = cut
        while end > 0:
            low = max(0, (end - _CHUNK) // mmap.PAGESIZE * mmap.PAGESIZE)
            found = max(_rfind_tag(mm, name, low, end) for name in names)
            mm.madvise(mmap.MADV_DONTNEED, low, min(end + 16, len(mm)) - low)
            if found >= 0:
                return found
            end = low
    return None


def _rfind_tag(mm: mmap.mmap, name: bytes, low: int, end: int) -> int:
    at = mm.rfind(name, low, end + len(name))
    while at >= 0 and mm[at + len(name):at + len(name) + 1] not in (b" ", b"\t", b"\r", b"\n", b">"):
        at = mm.rfind(name, low, at + len(name) - 1)
    return at


def _closers(opening: bytes) -> bytes | None:
    """End tags of the elements still open after `opening` (parsed safely), innermost first."""
    parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False, load_dtd=False,
                                 no_network=True, huge_tree=False)
    stack: list[str] = []
    try:
        parser.feed(opening)
        for event, el in parser.read_events():
            if event == "start":
                local = etree.QName(el).localname
                stack.append(f"{el.prefix}:{local}" if el.prefix else local)
            else:
                stack.pop()
    except etree.XMLSyntaxError:
        return None
    if len(stack) < 2:
        return None
    return "".join(f"</{name}>" for name in reversed(stack)).encode()


class _Readable(Protocol):
    def read(self, n: int = -1) -> bytes: ...


class FirstPart:
    """The file up to the cut, then the marker and the end tags: what the first part parses.

    `raw` is read from its beginning; bytes it returns past the cut are not given to the parser.
    """

    def __init__(self, raw: _Readable, split: Split) -> None:
        self._raw = raw
        self._left = split.cut
        self._tail = _MARKER + split.closers

    def read(self, n: int = -1) -> bytes:
        if self._left > 0:
            chunk = self._raw.read(self._left if n < 0 else min(n, self._left))
            if len(chunk) > self._left:
                chunk = chunk[:self._left]
            self._left -= len(chunk)
            if chunk:
                return chunk
            self._left = 0
        out, self._tail = self._tail, b""
        return out


class SecondPart:
    """The file's beginning, the cut statement's head, then the file from the cut to its end."""

    def __init__(self, path: Path, split: Split) -> None:
        self._fh = path.open("rb")
        self._fh.seek(0)
        preamble = self._fh.read(split.preamble_end)
        self._fh.seek(split.head[0])
        head = self._fh.read(split.head[1] - split.head[0])
        self._fh.seek(split.cut)
        self._prefix = preamble + head

    def read(self, n: int = -1) -> bytes:
        if self._prefix:
            out, self._prefix = self._prefix, b""
            return out
        return self._fh.read(n)

    def close(self) -> None:
        self._fh.close()
