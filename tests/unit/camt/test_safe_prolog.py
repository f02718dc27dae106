"""The prolog walk: a DOCTYPE is refused wherever it stands before the root, in every encoding a
bank file may come in, and every refusal names its real cause."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from recon.camt.errors import CamtError
from recon.camt.reader import read_all
from tests.unit.camt.camt_xml import acct, bal, document, ntry, statement

GOOD = document(statement(acct() + bal("OPBD", "1") + bal("CLBD", "4") + ntry("3")))
BODY = '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&x;</Document>'
XXE = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
LAUGHS = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY x "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'

PROLOGS = {
    "plain": "",
    # The case that once slipped through: a PI whose text holds '<' (and '>') before the DOCTYPE.
    "pi_with_markup": '<?note if a < b then c > d ?>',
    "comment_with_markup": "<!-- <Document> looks like a root > but is a comment -->\n",
    "pi_then_comment": "<?x <y?><!-- <!DOCTYPE in a comment is fine --> <?z >?>",
}
ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda t: t.encode(),
    "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode(),
    "utf-16-le-bom": lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
    "utf-16-le": lambda t: t.encode("utf-16-le"),
    "utf-16-be": lambda t: t.encode("utf-16-be"),
}


def _declaration(encoding: str) -> str:
    name = "UTF-16" if encoding.startswith("utf-16") else "UTF-8"
    return f'<?xml version="1.0" encoding="{name}"?>'


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("prolog", PROLOGS)
@pytest.mark.parametrize("dtd", [XXE, LAUGHS], ids=["xxe", "billion_laughs"])
def test_doctype_is_refused_wherever_it_stands(camt_file: Callable[[bytes], Path], encoding: str,
                                               prolog: str, dtd: str) -> None:
    data = ENCODINGS[encoding](_declaration(encoding) + PROLOGS[prolog] + dtd + BODY)
    with pytest.raises(CamtError, match="DTD/DOCTYPE not allowed"):
        read_all(camt_file(data))


def test_a_long_comment_across_read_chunks_still_hides_nothing(camt_file: Callable[[bytes], Path]
                                                               ) -> None:
    # The prolog is read 64 KiB at a time: the DOCTYPE sits after a comment longer than that.
    data = ("<?xml version='1.0'?><!--" + "<x>" * 40_000 + "-->" + XXE + BODY).encode("utf-16")
    with pytest.raises(CamtError, match="DTD/DOCTYPE not allowed"):
        read_all(camt_file(data))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"])
def test_a_valid_file_in_any_encoding_is_read(camt_file: Callable[[bytes], Path], encoding: str
                                              ) -> None:
    text = GOOD.replace('encoding="UTF-8"', 'encoding="UTF-16"') if "16" in encoding else GOOD
    body = text.replace("?>", "?>" + PROLOGS["pi_then_comment"], 1)
    reader, entries = read_all(camt_file(ENCODINGS[encoding](body)))
    assert reader.statements[0]["proof_ok"] is True and entries.height == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t ", "empty file"),
        (bytes(range(256)) * 8, "binary content"),
        (b"%PDF-1.7 not a statement", "begins with '%PDF-1.7"),
        (b'<?xml version="1.0"?><!-- never closed', "ends before any root element"),
        (b'<?xml version="1.0"?><!ELEMENT x ANY><x/>', "markup declaration"),
        (GOOD.encode()[:-60], "malformed XML (the file ends early: truncated?)"),
        # An amount with a sign: ISO amounts are never negative (the direction carries it).
        (GOOD.replace('<Amt Ccy="CHF">3</Amt>', '<Amt Ccy="CHF">-3.00</Amt>').encode(),
         "negative amount '-3.00'"),
        # Nineteen integer digits: more than ISO's 18, and more than Decimal(38, 5) should be asked.
        (GOOD.replace('<Amt Ccy="CHF">3</Amt>', '<Amt Ccy="CHF">1234567890123456789.5</Amt>').encode(),
         "has 20 digits, at most 18 allowed"),
    ],
    ids=["empty", "blank", "binary", "pdf", "open_comment", "element_decl", "truncated",
         "negative", "over_long"],
)
def test_each_refusal_names_its_cause(camt_file: Callable[[bytes], Path], data: bytes,
                                      reason: str) -> None:
    with pytest.raises(CamtError) as err:
        read_all(camt_file(data))
    assert reason in err.value.message
    assert "non-numeric" not in err.value.message
