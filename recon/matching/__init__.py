"""Set-based, exact transaction matching of bank movements against ledger transactions, in DuckDB."""

from recon.matching.config import MatchConfig
from recon.matching.engine import MatchResult, match_parquet, match_transactions
from recon.matching.frames import BANK_SCHEMA, LEDGER_SCHEMA, bank_movements, ledger_movements, ledger_rows_wanted

__all__ = ["BANK_SCHEMA", "LEDGER_SCHEMA", "MatchConfig", "MatchResult", "bank_movements",
           "ledger_movements", "ledger_rows_wanted", "match_parquet", "match_transactions"]
