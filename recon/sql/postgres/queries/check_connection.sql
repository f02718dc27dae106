-- The server answers.
SELECT 1
