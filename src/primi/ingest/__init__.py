"""Readers that turn submitted files into the canonical columnar frame."""
