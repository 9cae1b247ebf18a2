"""The JSON API (django-ninja) for the portal and for scripts."""
