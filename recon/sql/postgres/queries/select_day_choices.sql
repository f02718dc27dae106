-- Every statement a business date counted or set aside at its last load, with the rule's verdict.
SELECT * FROM recon.bank_statement_choices WHERE business_date = :d
