"""SDMX-REST under /rest: 1.5 paths at the root, 2.x paths under v2/."""

from primi.sdmx import data_urls, structure_urls

urlpatterns = [*structure_urls.urlpatterns, *data_urls.urlpatterns]
