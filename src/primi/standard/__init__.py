"""The regional standard: code lists, indicators, the DSD, dataflows and rules, kept as data files."""
