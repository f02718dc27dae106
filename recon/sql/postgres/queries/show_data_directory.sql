-- The server's data directory (only an embedded server lets the suite read it).
SHOW data_directory
