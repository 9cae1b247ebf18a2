"""Public pages, their templates and the static code for charts and maps."""
