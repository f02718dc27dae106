-- Bank movements booked in a window plus carried-over ones, once each.
SELECT * FROM recon.v_bank_movements WHERE business_date BETWEEN :s AND :e OR entry_key = ANY(CAST(:keys AS text[]))
