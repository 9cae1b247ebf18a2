"""Institutions, roles, submissions' life cycle, release and audit."""
