"""Dagster's handle on the statement drop folder (clients/folder_source.py reads it)."""

from __future__ import annotations

import dagster as dg

from clients.folder_source import LocalFolderSource


class StatementsResource(dg.ConfigurableResource):
    """The statement drop folder (RECON_STATEMENTS_DIR; empty: not configured)."""

    drop_folder: str = ""

    def source(self) -> LocalFolderSource:
        """The source, or StatementSourceUnavailable saying why not (never the working directory)."""
        return LocalFolderSource(self.drop_folder)
