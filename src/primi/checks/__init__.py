"""Validation levels 0-3 on one submission and the report in Spanish and English."""
