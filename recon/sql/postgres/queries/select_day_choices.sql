-- Every statement the dates of a business day counted or set aside at its last load, with the rule's verdict.
SELECT * FROM recon.bank_statement_choices WHERE business_date = ANY(CAST(:ds AS date[]))
