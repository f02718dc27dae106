"""Where the project's settings are read from: the project file (recon.toml) and the business calendar
in it, one rule for every entry point.

Imports go one way: stores, resources, pipelines -> settings -> embedded, recon (no Dagster here)."""
