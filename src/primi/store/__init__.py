"""Series and observations with full revision history, publication state and queries."""
