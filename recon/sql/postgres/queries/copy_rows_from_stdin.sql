-- Bulk-load CSV rows into a table; \N is NULL, so an empty quoted string stays a string.
COPY {target} ({columns}) FROM STDIN (FORMAT csv, NULL '\N')
