"""The regional standard: code lists, indicators, DSD, dataflows and rules, kept as data."""
