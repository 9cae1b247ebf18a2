"""PRIMI: regional platform for official migration statistics."""

__version__ = "0.1.0"
