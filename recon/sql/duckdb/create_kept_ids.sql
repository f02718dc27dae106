-- Rows a strict key pass left open although they carry its key: the only one with that key value, on either side.
CREATE OR REPLACE TEMP TABLE kept (match_key VARCHAR, side VARCHAR, id UINTEGER)
