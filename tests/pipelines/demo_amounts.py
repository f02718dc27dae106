"""Every amount the demo week stored, read back as text and compared with what its source sent.

Sources are read here on their own, not through the suite: the CAMT files' text with lxml, the ledger's
rows, the chains' raw integer units with the token's decimals.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lxml import etree

from recon.money import digits_after_point, exact, minor_units, significant_scale
from recon.stored_amounts import STORED_AMOUNTS, STORED_RATIOS
from stores.identifiers import render
from stores.warehouse import Warehouse


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _camt_amounts(path: Path) -> list[dict[str, list[str]]]:
    """Per statement in file order: balance amounts (signed as the bank's indicator says), entry
    amounts, and each row's amount (a TxDtls's own, else its entry's when it is the only one)."""
    out = []
    root = etree.parse(str(path)).getroot()
    for stmt in root.iter("{*}Stmt", "{*}Ntfctn", "{*}Rpt"):
        balances, entries, rows = [], [], []
        for bal in _children(stmt, "Bal"):
            text = _children(bal, "Amt")[0].text or ""
            sign = _children(bal, "CdtDbtInd")[0].text
            balances.append(("-" if sign == "DBIT" and Decimal(text) else "") + text.strip())
        for ntry in _children(stmt, "Ntry"):
            entry_amount = (_children(ntry, "Amt")[0].text or "").strip()
            entries.append(entry_amount)
            txs = [tx for d in _children(ntry, "NtryDtls") for tx in _children(d, "TxDtls")]
            for tx in txs or [None]:
                own = _children(tx, "Amt") if tx is not None else []
                rows.append(own[0].text.strip() if own else entry_amount if len(txs) <= 1 else None)
        out.append({"balances": balances, "entries": entries, "rows": rows})
    return out


def assert_bank_amounts_as_sent(wh: Warehouse, drop: Path) -> int:
    compared = 0
    files = {p.name: p for p in drop.rglob("*.xml")}
    for s in wh.rows("SELECT statement_key, source_file, position, opening_balance::text AS o, "
                     "closing_balance::text AS c FROM recon.bank_statements"):
        sent = _camt_amounts(files[s["source_file"]])[s["position"] - 1]
        stored = [r["a"] for r in wh.rows("SELECT amount::text AS a FROM recon.bank_balances "
                                          "WHERE statement_key = :k ORDER BY position", k=s["statement_key"])]
        assert stored == sent["balances"], s["source_file"]
        rows = wh.rows("SELECT entry_seq, tx_seq, entry_amount::text AS e, amount::text AS a "
                       "FROM recon.bank_entries WHERE statement_key = :k ORDER BY entry_seq, tx_seq",
                       k=s["statement_key"])
        assert [r["e"] for r in rows if r["tx_seq"] == 1] == sent["entries"], s["source_file"]
        assert [r["a"] for r in rows] == sent["rows"], s["source_file"]
        compared += len(stored) + 2 * len(rows)
    return compared


def assert_ledger_and_bank_sides_as_sent(wh: Warehouse) -> int:
    """The ledger's values exactly as its tables hold them (NUMERIC text: 44069.6 stays 44069.6, 250.00
    stays 250.00), in matches, items in transit and balance checks; the bank's closing balances as sent."""
    matches = wh.rows("""
        SELECT abs(m.ledger_amount)::text AS stored, t.amount::text AS sent, m.currency
        FROM recon.transaction_matches m JOIN ledger.transactions t ON t.txn_id = m.ledger_txn_id""")
    assert matches
    assert [m for m in matches if m["stored"] != m["sent"]] == []
    # What the comparison proves: some values were sent with fewer decimals than their currency's.
    assert any(len(m["sent"].partition(".")[2]) < (minor_units(m["currency"]) or 0) for m in matches)
    transit = wh.rows("""
        SELECT i.amount::text AS stored, t.amount::text AS sent
        FROM recon.transactions_in_transit i JOIN ledger.transactions t ON t.txn_id = i.item_key
        WHERE i.side = 'ledger'""")
    assert [t for t in transit if t["stored"] != t["sent"]] == []
    checks = wh.rows("""
        SELECT c.partition_key, c.account, c.currency, c.ledger_balance::text AS ledger,
               a.ledger_balance::text AS ledger_sent, c.bank_balance::text AS bank,
               s.closing_balance::text AS bank_sent
        FROM recon.balance_checks c
        JOIN ledger.accounts a ON a.iban = c.account AND a.as_of::date = c.partition_key::date
             AND a.as_of::time = '22:00'
        JOIN recon.bank_statements s ON s.account = c.account AND s.business_date::text = c.partition_key
             AND s.message_type LIKE 'camt.053.%'
        WHERE c.partition_key ~ '^\\d{4}-\\d{2}-\\d{2}$'""")
    assert checks
    assert [c for c in checks if c["bank"] != c["bank_sent"] or c["ledger"] != c["ledger_sent"]] == []
    return 2 * len(checks) + len(matches) + len(transit)


# Columns stored as the ledger sent them: their own decimals, which may be fewer than the currency's.
LEDGER_SENT = {("transaction_matches", "ledger_amount"), ("transactions_in_transit", "amount"),
               ("balance_checks", "ledger_balance")}


def assert_chain_amounts_as_read(wh: Warehouse) -> int:
    """Token amounts are the raw units over 10^decimals at exactly the token's decimals (Stellar 7:
    Horizon's own string form)."""
    compared = 0
    decimals_of = {(r["chain"], r["asset"]): r["decimals"] for r in wh.rows(
        "SELECT DISTINCT chain, asset, decimals FROM recon.chain_supply")}
    for table, pairs in (("chain_supply", ("total_supply", "treasury", "circulating")),
                         ("chain_balances", ("balance",))):
        for c in pairs:
            for r in wh.rows(render("SELECT chain, asset, {c}::text AS v, {c}_raw::text AS raw FROM recon.{table}",
                                    c=c, table=table)):
                decimals = decimals_of[(r["chain"], r["asset"])]
                assert r["v"] == format(Decimal(r["raw"]).scaleb(-decimals), "f"), (table, c, r)
                compared += 1
    return compared


def assert_no_padding_anywhere(wh: Warehouse) -> int:
    """Every other amount: its own digits and at least its currency's minor units, never more."""
    compared = 0
    for table, columns in STORED_AMOUNTS.items():
        for col, unit in columns.items():
            select = render("SELECT {col}::text AS v, {unit} AS u FROM recon.{table} WHERE {col} IS NOT NULL",
                            col=col, table=table, unit=unit) if unit else \
                render("SELECT {col}::text AS v, NULL::text AS u FROM recon.{table} WHERE {col} IS NOT NULL",
                       col=col, table=table)
            for r in wh.rows(select):
                if table.startswith("bank_"):  # the bank's own scale (compared with the files above)
                    assert len(r["v"].partition(".")[2]) <= 5, (table, col, r)
                elif (table, col) in LEDGER_SENT:  # the ledger's own scale (compared above), never padded
                    v = Decimal(r["v"])
                    assert digits_after_point(v) <= max(significant_scale(v), minor_units(r["u"]) or 0), (table, col, r)
                else:
                    assert r["v"] == exact(Decimal(r["v"]), minor_units(r["u"])), (table, col, r)
                compared += 1
    for table, ratios in STORED_RATIOS.items():
        for col in ratios:
            for r in wh.rows(render("SELECT {col}::text AS v FROM recon.{table} WHERE {col} IS NOT NULL",
                                    col=col, table=table)):
                assert r["v"] == exact(Decimal(r["v"])), (table, col, r)
                compared += 1
    return compared
