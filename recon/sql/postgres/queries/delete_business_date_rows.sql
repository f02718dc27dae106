-- One table's rows of the given business dates.
DELETE FROM recon.{table} WHERE business_date = ANY(:days)
