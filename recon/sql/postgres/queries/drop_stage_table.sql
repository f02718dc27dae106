-- A staging table left by an earlier statement of this transaction.
DROP TABLE IF EXISTS {stage}
