"""API tokens of institutions for machine submission."""
