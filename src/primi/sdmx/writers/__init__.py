"""Data message writers, one module per format and version (as pysdmx lays out its io/)."""
