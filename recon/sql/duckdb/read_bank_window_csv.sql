-- The bank window as Postgres sent it (CSV, \N is NULL, a quoted empty string stays a string), typed exactly.
SELECT * FROM read_csv($path, header = true, auto_detect = false, nullstr = '\N', allow_quoted_nulls = false,
    columns = {'entry_key': 'VARCHAR', 'statement_key': 'VARCHAR', 'entry_seq': 'INTEGER', 'account': 'VARCHAR',
               'currency': 'VARCHAR', 'direction': 'VARCHAR', 'amount': 'DECIMAL(38, 18)',
               'entry_amount': 'DECIMAL(38, 18)', 'booking_date': 'DATE', 'value_date': 'DATE',
               'business_date': 'DATE', 'uetr': 'VARCHAR', 'end_to_end_id': 'VARCHAR', 'acct_svcr_ref': 'VARCHAR',
               'entry_acct_svcr_ref': 'VARCHAR', 'instr_id': 'VARCHAR', 'tx_id': 'VARCHAR', 'pmt_inf_id': 'VARCHAR',
               'batch_pmt_inf_id': 'VARCHAR', 'batch_msg_id': 'VARCHAR', 'reversal': 'BOOLEAN'})
