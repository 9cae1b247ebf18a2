"""The audit trail: every action appended, never edited."""
