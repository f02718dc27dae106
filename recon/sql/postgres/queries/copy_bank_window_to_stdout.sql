-- Bank movements booked in a window plus carried-over ones, once each, as CSV: only the columns matching reads.
COPY (SELECT entry_key, statement_key, entry_seq, account, currency, direction, amount, entry_amount, booking_date,
             value_date, business_date, uetr, end_to_end_id, acct_svcr_ref, entry_acct_svcr_ref, instr_id, tx_id,
             pmt_inf_id, batch_pmt_inf_id, batch_msg_id, reversal
      FROM recon.v_bank_movements
      WHERE business_date BETWEEN %(s)s AND %(e)s OR entry_key = ANY(%(keys)s::text[]))
TO STDOUT (FORMAT csv, HEADER, NULL '\N')
