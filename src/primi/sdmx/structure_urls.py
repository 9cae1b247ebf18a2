"""SDMX-REST structure queries (1.5 and 2.x paths)."""

urlpatterns: list = []
