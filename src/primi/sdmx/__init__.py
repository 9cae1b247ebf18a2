"""SDMX REST endpoints, message writers and content negotiation."""
