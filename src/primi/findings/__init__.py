"""Findings: discrepancies discussed between the countries involved."""
