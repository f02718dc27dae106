"""Tier 1: each CAMT.054 notification checked as it arrives (see README.md beside this file)."""
